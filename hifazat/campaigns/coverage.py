"""Reach and coverage of a campaign, computed with aggregate queries (never a loop over the registry), and how
the figures are shown to someone outside the campaign (small cells suppressed).

Definitions, for one campaign:

- **Registered**: its people (``selectors.population``): active, unmerged, registered by the running organisation
  or a partner, in one of its target groups, living at one of its sites. A person is counted at the site where
  they live now (their household's site), so a person who moved between two of the campaign's sites counts
  once, at the new one, and a person who moved away from all of them no longer counts.
- **Reached**: registered people with at least one ``Reach`` row for the campaign (a linked session attendance, or
  a phone message export handed over), wherever and however often that happened.
- **Share**: reached / registered. A person in two target groups counts in each group's row and once in a
  site's and the campaign's totals.
- **Knowledge**: the mean score before and after the sessions' knowledge checks, in percent of each session's
  maximum, over everyone with both scores (registered or not); the change is after minus before.
- **Where next**: the sites ranked by the number of people not yet reached whose latest screening band is high
  or urgent (most first), then by the lowest coverage of those people, then by the most people not yet reached.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Avg, Count, F, FloatField, Q, Sum
from django.db.models.functions import Cast
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from hifazat.geography.models import Site
from hifazat.people.models import Vulnerability, VulnerabilityGroup
from hifazat.screening.models import Band

from . import selectors
from .models import (
    Attendance,
    AttendanceCounts,
    Campaign,
    Distribution,
    Material,
    MessageExport,
    RadioSpot,
    Reach,
    Session,
)

HIGH_RISK = [Band.HIGH, Band.URGENT]

# Counts from 1 to SMALL_CELL - 1 are shown as "<5" to anyone outside the campaign (a funder): a cell that small
# could point at one family in a camp.
SMALL_CELL = 5


@dataclass(frozen=True)
class Cell:
    registered: int = 0
    reached: int = 0

    @property
    def share(self) -> float | None:
        return self.reached / self.registered if self.registered else None

    @property
    def not_reached(self) -> int:
        return self.registered - self.reached

    def __add__(self, other: Cell) -> Cell:
        return Cell(self.registered + other.registered, self.reached + other.reached)


@dataclass(frozen=True)
class Knowledge:
    respondents: int = 0
    before: float | None = None
    after: float | None = None

    @property
    def change(self) -> float | None:
        return None if self.before is None or self.after is None else self.after - self.before

    @staticmethod
    def pooled(parts: list[Knowledge]) -> Knowledge:
        n = sum(part.respondents for part in parts)
        if not n:
            return Knowledge()
        return Knowledge(
            n,
            sum(part.before * part.respondents for part in parts if part.respondents) / n,
            sum(part.after * part.respondents for part in parts if part.respondents) / n,
        )


@dataclass
class SiteFigures:
    site: Site
    people: Cell = field(default_factory=Cell)
    groups: dict[str, Cell] = field(default_factory=dict)
    high_risk: Cell = field(default_factory=Cell)
    knowledge: Knowledge = field(default_factory=Knowledge)
    sessions: int = 0
    attendance: int = 0
    copies: int = 0


@dataclass
class Figures:
    campaign: Campaign
    total: Cell
    groups: dict[str, Cell]
    sites: list[SiteFigures]
    knowledge: Knowledge
    knowledge_by_group: dict[str, Knowledge]
    attendance: dict[str, int]
    sessions: int
    reached_via: dict[str, int]
    copies_printed: int
    copies_distributed: int
    radio_spots: int
    radio_airings: int
    exports: int
    export_recipients: int

    @property
    def where_next(self) -> list[SiteFigures]:
        candidates = [s for s in self.sites if s.people.not_reached]
        return sorted(
            candidates,
            key=lambda s: (
                -s.high_risk.not_reached,
                s.high_risk.share if s.high_risk.share is not None else 1.0,
                -s.people.not_reached,
                s.site.name,
            ),
        )


def _percent(score_field: str) -> Cast:
    return Cast(F(score_field), FloatField()) * 100.0 / F("session__check_max_score")


def _avg(score_field: str) -> Avg:
    return Avg(_percent(score_field))


def _knowledge(rows, key: str) -> dict:
    return {row[key]: Knowledge(row["n"], row["before"], row["after"]) for row in rows if row["n"]}


def campaign_figures(campaign: Campaign) -> Figures:
    """Every figure of the campaign page, in about a dozen aggregate queries whatever the registry's size."""
    site_ids = selectors.campaign_site_ids(campaign)
    org_ids = selectors.campaign_organisation_ids(campaign)
    groups = list(campaign.target_groups)
    # One pass over the target groups' rows of the vulnerability table, grouped by the site the person lives at.
    # A person has a row per group (two if a rule and a person both recorded it), so people are counted
    # distinct: once in the site's total whatever their groups, once in each of their groups. "Reached" and
    # "high risk" are IN lists the database computes once and probes per row, never a correlated subquery per
    # person: this is what keeps the page within 300 ms at 100,000 people (bench/bench_campaigns.py).
    reached = Q(person_id__in=Reach.objects.filter(campaign=campaign).values("person_id"))
    high_risk = Q(person_id__in=selectors.latest_band_in(HIGH_RISK))
    person = Count("person_id", distinct=True)
    per_group = {}
    for index, group in enumerate(groups):
        per_group[f"g{index}"] = Count("person_id", distinct=True, filter=Q(group=group))
        per_group[f"g{index}_reached"] = Count("person_id", distinct=True, filter=Q(group=group) & reached)
    by_site = (
        Vulnerability.objects.filter(
            group__in=groups,
            person__organisation_id__in=org_ids,
            person__is_active=True,
            person__merged_into__isnull=True,
            person__household__site_id__in=site_ids,
        )
        .values("person__household__site_id")
        .annotate(
            registered=person,
            reached=Count("person_id", distinct=True, filter=reached),
            high_risk=Count("person_id", distinct=True, filter=high_risk),
            high_risk_reached=Count("person_id", distinct=True, filter=high_risk & reached),
            **per_group,
        )
    )
    attendances = Attendance.objects.filter(
        session__campaign=campaign, pre_score__isnull=False, post_score__isnull=False
    )
    knowledge_rows = dict(
        site=attendances.values("session__site_id").annotate(
            n=Count("pk"), before=_avg("pre_score"), after=_avg("post_score")
        ),
        group=attendances.values("session__target_group").annotate(
            n=Count("pk"), before=_avg("pre_score"), after=_avg("post_score")
        ),
    )
    sessions = (
        Session.objects.filter(campaign=campaign)
        .values("site_id")
        .annotate(n=Count("pk"), **{name: Sum(name) for name in AttendanceCounts.COUNT_FIELDS})
    )
    copies = (
        Distribution.objects.filter(material__campaign=campaign).values("site_id").annotate(n=Sum("quantity"))
    )

    sites = {site.pk: SiteFigures(site) for site in Site.objects.filter(pk__in=site_ids).order_by("name")}
    group_cells: dict[str, Cell] = {group: Cell() for group in groups}
    for row in by_site:
        site = sites[row["person__household__site_id"]]
        site.people = Cell(row["registered"], row["reached"])
        site.high_risk = Cell(row["high_risk"], row["high_risk_reached"])
        for index, group in enumerate(groups):
            cell = Cell(row[f"g{index}"], row[f"g{index}_reached"])
            site.groups[group] = cell
            group_cells[group] = group_cells[group] + cell
    for site_id, knowledge in _knowledge(knowledge_rows["site"], "session__site_id").items():
        if site_id in sites:
            sites[site_id].knowledge = knowledge
    attendance = dict.fromkeys(AttendanceCounts.COUNT_FIELDS, 0)
    session_count = 0
    for row in sessions:
        counts = {name: row[name] or 0 for name in AttendanceCounts.COUNT_FIELDS}
        for name, value in counts.items():
            attendance[name] += value
        session_count += row["n"]
        if row["site_id"] in sites:
            sites[row["site_id"]].sessions = row["n"]
            sites[row["site_id"]].attendance = sum(counts.values())
    distributed = 0
    for row in copies:
        distributed += row["n"] or 0
        if row["site_id"] in sites:
            sites[row["site_id"]].copies = row["n"] or 0
    attendance["total"] = sum(attendance.values())
    knowledge_by_group = _knowledge(knowledge_rows["group"], "session__target_group")
    radio = RadioSpot.objects.filter(campaign=campaign).aggregate(n=Count("pk"), airings=Sum("airings"))
    handed = MessageExport.objects.filter(campaign=campaign, downloaded_at__isnull=False).aggregate(
        n=Count("pk"), recipients=Sum("recipients")
    )
    site_list = list(sites.values())
    return Figures(
        campaign=campaign,
        total=sum((s.people for s in site_list), Cell()),
        groups=group_cells,
        sites=site_list,
        knowledge=Knowledge.pooled(list(_knowledge(knowledge_rows["site"], "session__site_id").values())),
        knowledge_by_group=knowledge_by_group,
        attendance=attendance,
        sessions=session_count,
        reached_via=dict(
            Reach.objects.filter(campaign=campaign)
            .values("via")
            .annotate(n=Count("person_id", distinct=True))
            .values_list("via", "n")
        ),
        copies_printed=Material.objects.filter(campaign=campaign).aggregate(n=Sum("print_run"))["n"] or 0,
        copies_distributed=distributed,
        radio_spots=radio["n"],
        radio_airings=radio["airings"] or 0,
        exports=handed["n"],
        export_recipients=handed["recipients"] or 0,
    )


# --- Showing the figures ----------------------------------------------------------------------------------------


def count_text(n: int, *, suppress: bool) -> str:
    if suppress and 0 < n < SMALL_CELL:
        return f"<{SMALL_CELL}"
    return f"{n:,}"


def is_small(n: int) -> bool:
    return 0 < n < SMALL_CELL


@dataclass(frozen=True)
class ShownCell:
    registered: str
    reached: str
    share: str
    # For the charts: None where a value is suppressed.
    registered_value: int | None
    reached_value: int | None
    share_value: float | None


def show_cell(cell: Cell, *, suppress: bool) -> ShownCell:
    hidden = suppress and (is_small(cell.registered) or is_small(cell.reached))
    share = None if hidden or cell.share is None else round(100 * cell.share)
    return ShownCell(
        registered=count_text(cell.registered, suppress=suppress),
        reached=count_text(cell.reached, suppress=suppress),
        share="—" if share is None else f"{share}%",
        registered_value=None if suppress and is_small(cell.registered) else cell.registered,
        reached_value=None if suppress and is_small(cell.reached) else cell.reached,
        share_value=share,
    )


@dataclass(frozen=True)
class ShownKnowledge:
    respondents: str
    before: str
    after: str
    change: str
    before_value: float | None
    after_value: float | None


def show_knowledge(knowledge: Knowledge, *, suppress: bool) -> ShownKnowledge:
    # An average of fewer than SMALL_CELL people's scores is nearly their own scores.
    hidden = knowledge.before is None or (suppress and knowledge.respondents < SMALL_CELL)
    if hidden:
        return ShownKnowledge(count_text(knowledge.respondents, suppress=suppress), "—", "—", "—", None, None)
    change = knowledge.change
    return ShownKnowledge(
        respondents=count_text(knowledge.respondents, suppress=suppress),
        before=f"{knowledge.before:.0f}%",
        after=f"{knowledge.after:.0f}%",
        change=f"{change:+.0f}",
        before_value=round(knowledge.before, 1),
        after_value=round(knowledge.after, 1),
    )


def site_name(site: Site) -> str:
    return site.name_ur if get_language() == "ur" and site.name_ur else site.name


def shown(figures: Figures, *, suppress: bool) -> dict:
    """The figures as the page shows them. With ``suppress`` (anyone outside the campaign: its funder), every
    count from 1 to 4 reads "<5", shares and averages built on such a count are not shown, and the list of where
    to go next is left out."""
    group_label = dict(VulnerabilityGroup.choices)
    groups = [
        {
            "group": group,
            "label": group_label.get(group, group),
            "cell": show_cell(cell, suppress=suppress),
            "knowledge": show_knowledge(
                figures.knowledge_by_group.get(group, Knowledge()), suppress=suppress
            ),
        }
        for group, cell in figures.groups.items()
    ]
    sites = [
        {
            "site": s.site,
            "name": site_name(s.site),
            "cell": show_cell(s.people, suppress=suppress),
            "groups": [show_cell(s.groups.get(group, Cell()), suppress=suppress) for group in figures.groups],
            "knowledge": show_knowledge(s.knowledge, suppress=suppress),
            "sessions": count_text(s.sessions, suppress=False),
            "attendance": count_text(s.attendance, suppress=suppress),
            "copies": count_text(s.copies, suppress=False),
            "high_risk": show_cell(s.high_risk, suppress=suppress),
        }
        for s in figures.sites
    ]
    attendance = {name: count_text(n, suppress=suppress) for name, n in figures.attendance.items()}
    chart = {
        "sites": {
            "labels": [row["name"] for row in sites],
            "registered": [row["cell"].registered_value for row in sites],
            "reached": [row["cell"].reached_value for row in sites],
        },
        "groups": {
            "labels": [str(row["label"]) for row in groups],
            "share": [row["cell"].share_value for row in groups],
        },
        "knowledge": {
            "labels": [row["name"] for row in sites if row["knowledge"].before_value is not None],
            "before": [
                row["knowledge"].before_value for row in sites if row["knowledge"].before_value is not None
            ],
            "after": [
                row["knowledge"].after_value for row in sites if row["knowledge"].after_value is not None
            ],
        },
        "text": {
            "registered": _("Registered in the target groups"),
            "reached": _("Reached"),
            "share": _("Share reached (%)"),
            "before": _("Before the session (%)"),
            "after": _("After the session (%)"),
        },
    }
    return {
        "suppress": suppress,
        "small_cell": SMALL_CELL,
        "total": show_cell(figures.total, suppress=suppress),
        "groups": groups,
        "sites": sites,
        "knowledge": show_knowledge(figures.knowledge, suppress=suppress),
        "attendance": attendance,
        "sessions": count_text(figures.sessions, suppress=False),
        "reached_via": {
            via: count_text(figures.reached_via.get(via, 0), suppress=suppress) for via in ("session", "sms")
        },
        "copies_printed": count_text(figures.copies_printed, suppress=False),
        "copies_distributed": count_text(figures.copies_distributed, suppress=False),
        "radio_spots": count_text(figures.radio_spots, suppress=False),
        "radio_airings": count_text(figures.radio_airings, suppress=False),
        "exports": count_text(figures.exports, suppress=False),
        "export_recipients": count_text(figures.export_recipients, suppress=suppress),
        "where_next": None
        if suppress
        else [
            {
                "site": s.site,
                "name": site_name(s.site),
                "high_risk": show_cell(s.high_risk, suppress=False),
                "high_risk_not_reached": s.high_risk.not_reached,
                "cell": show_cell(s.people, suppress=False),
                "not_reached": s.people.not_reached,
            }
            for s in figures.where_next[:5]
        ],
        "chart": chart,
    }
