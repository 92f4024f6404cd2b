"""Reach and coverage of a campaign, computed with aggregate queries (never a loop over the registry), and how
the figures are shown to someone outside the campaign (through ``core.disclosure``: small cells hidden,
counts rounded, sites merged into districts).

Definitions, for one campaign:

- **Registered**: its people (``selectors.population``): active, unmerged, registered by the running organisation
  or a partner, in one of its target groups, living at one of its sites. A person is counted at the site where
  they live now (their household's site), so a person who moved between two of the campaign's sites counts
  once, at the new one, and a person who moved away from all of them no longer counts.
- **Reached**: registered people with at least one ``Reach`` row for the campaign (a linked session attendance, or
  a phone message export handed over), wherever and however often that happened: the message was handed over.
- **Confirmed**: reached people with a ``Reach`` row whose delivery is confirmed (``confirmed_on``: they attended a
  session, or a delivery report says their phone received the text message). Always at most "reached".
- **Period** (``start``, ``end``, optional): reach, sessions, knowledge checks, copies handed out and files handed
  over in the period; radio spots on air during it. "Registered" is who is registered now: there is no history
  of where people lived.
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

from hifazat.core.disclosure import Policy, Shown, district_of
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


@dataclass(frozen=True)
class Cell:
    registered: int = 0
    reached: int = 0
    confirmed: int = 0

    @property
    def share(self) -> float | None:
        return self.reached / self.registered if self.registered else None

    @property
    def not_reached(self) -> int:
        return self.registered - self.reached

    def __add__(self, other: Cell) -> Cell:
        return Cell(
            self.registered + other.registered, self.reached + other.reached, self.confirmed + other.confirmed
        )


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
    # People whose delivery is confirmed, by channel (``reached_via``: handed over).
    confirmed_via: dict[str, int] = field(default_factory=dict)

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


def _between(field_name: str, start, end) -> Q:
    condition = Q()
    if start is not None:
        condition &= Q(**{f"{field_name}__gte": start})
    if end is not None:
        condition &= Q(**{f"{field_name}__lte": end})
    return condition


def campaign_figures(campaign: Campaign, *, start=None, end=None) -> Figures:
    """Every figure of the campaign page, in about a dozen aggregate queries whatever the registry's size; with
    ``start`` and ``end`` (dates), what happened in that period (see the module's definitions)."""
    site_ids = selectors.campaign_site_ids(campaign)
    org_ids = selectors.campaign_organisation_ids(campaign)
    groups = list(campaign.target_groups)
    # One pass over the target groups' rows of the vulnerability table, grouped by the site the person lives at.
    # A person has a row per group (two if a rule and a person both recorded it), so people are counted
    # distinct: once in the site's total whatever their groups, once in each of their groups. "Reached" and
    # "high risk" are IN lists the database computes once and probes per row, never a correlated subquery per
    # person: this is what keeps the page within 300 ms at 100,000 people (bench/bench_campaigns.py).
    reach = Reach.objects.filter(_between("reached_on", start, end), campaign=campaign)
    reached = Q(person_id__in=reach.values("person_id"))
    confirmed = Q(person_id__in=reach.filter(confirmed_on__isnull=False).values("person_id"))
    high_risk = Q(person_id__in=selectors.latest_band_in(HIGH_RISK))
    person = Count("person_id", distinct=True)
    per_group = {}
    for index, group in enumerate(groups):
        per_group[f"g{index}"] = Count("person_id", distinct=True, filter=Q(group=group))
        per_group[f"g{index}_reached"] = Count("person_id", distinct=True, filter=Q(group=group) & reached)
        per_group[f"g{index}_confirmed"] = Count(
            "person_id", distinct=True, filter=Q(group=group) & confirmed
        )
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
            confirmed=Count("person_id", distinct=True, filter=confirmed),
            high_risk=Count("person_id", distinct=True, filter=high_risk),
            high_risk_reached=Count("person_id", distinct=True, filter=high_risk & reached),
            **per_group,
        )
    )
    attendances = Attendance.objects.filter(
        _between("session__held_on", start, end),
        session__campaign=campaign,
        pre_score__isnull=False,
        post_score__isnull=False,
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
        Session.objects.filter(_between("held_on", start, end), campaign=campaign)
        .values("site_id")
        .annotate(n=Count("pk"), **{name: Sum(name) for name in AttendanceCounts.COUNT_FIELDS})
    )
    copies = (
        Distribution.objects.filter(_between("distributed_on", start, end), material__campaign=campaign)
        .values("site_id")
        .annotate(n=Sum("quantity"))
    )

    sites = {
        site.pk: SiteFigures(site)
        for site in Site.objects.filter(pk__in=site_ids).select_related("area__parent").order_by("name")
    }
    group_cells: dict[str, Cell] = {group: Cell() for group in groups}
    for row in by_site:
        site = sites[row["person__household__site_id"]]
        site.people = Cell(row["registered"], row["reached"], row["confirmed"])
        site.high_risk = Cell(row["high_risk"], row["high_risk_reached"])
        for index, group in enumerate(groups):
            cell = Cell(row[f"g{index}"], row[f"g{index}_reached"], row[f"g{index}_confirmed"])
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
    # A spot on air during the period counts whole: its airings are not dated one by one.
    radio = (
        RadioSpot.objects.filter(
            _between("last_aired_on", start, None), _between("first_aired_on", None, end)
        )
        .filter(campaign=campaign)
        .aggregate(n=Count("pk"), airings=Sum("airings"))
    )
    handed = MessageExport.objects.filter(
        _between("downloaded_at__date", start, end), campaign=campaign, downloaded_at__isnull=False
    ).aggregate(n=Count("pk"), recipients=Sum("recipients"))
    by_via = (
        reach.values("via")
        .annotate(
            n=Count("person_id", distinct=True),
            confirmed=Count("person_id", distinct=True, filter=Q(confirmed_on__isnull=False)),
        )
        .values_list("via", "n", "confirmed")
    )
    reached_via, confirmed_via = {}, {}
    for via, n, n_confirmed in by_via:
        reached_via[via], confirmed_via[via] = n, n_confirmed
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
        reached_via=reached_via,
        copies_printed=Material.objects.filter(campaign=campaign).aggregate(n=Sum("print_run"))["n"] or 0,
        copies_distributed=distributed,
        radio_spots=radio["n"],
        radio_airings=radio["airings"] or 0,
        exports=handed["n"],
        export_recipients=handed["recipients"] or 0,
        confirmed_via=confirmed_via,
    )


# --- Showing the figures ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShownCell:
    registered: str
    reached: str
    share: str
    # For the charts and the API: None where a value is hidden.
    registered_value: int | None
    reached_value: int | None
    share_value: int | None
    # Delivery confirmed (some of the reached).
    confirmed: str = "—"
    confirmed_value: int | None = None


def _shown_cell(
    registered: Shown, reached: Shown, policy: Policy, confirmed: Shown | None = None
) -> ShownCell:
    share = policy.share(reached, registered)
    return ShownCell(
        registered=registered.text,
        reached=reached.text,
        share="—" if share is None else f"{share}%",
        registered_value=registered.value,
        reached_value=reached.value,
        share_value=share,
        confirmed=confirmed.text if confirmed is not None else "—",
        confirmed_value=confirmed.value if confirmed is not None else None,
    )


@dataclass(frozen=True)
class ShownKnowledge:
    before: str
    after: str
    change: str
    before_value: float | None
    after_value: float | None


def _shown_knowledge(knowledge: Knowledge, respondents: Shown, policy: Policy) -> ShownKnowledge:
    before = policy.mean(knowledge.before, respondents, n=knowledge.respondents)
    after = policy.mean(knowledge.after, respondents, n=knowledge.respondents)
    if before is None or after is None:
        return ShownKnowledge("—", "—", "—", None, None)
    return ShownKnowledge(
        before=f"{before:.0f}%",
        after=f"{after:.0f}%",
        change=f"{after - before:+.0f}",
        before_value=round(before, 1),
        after_value=round(after, 1),
    )


def site_name(site: Site) -> str:
    return site.name_ur if get_language() == "ur" and site.name_ur else site.name


def _area_name(area) -> str:
    return area.name_ur if get_language() == "ur" and area.name_ur else area.name


@dataclass
class Place:
    """A row of the table of places: a site inside the team, a district (admin level 2) outside it."""

    key: str
    name: str
    code: str
    figures: SiteFigures
    site: Site | None = None


def _places(figures: Figures, policy: Policy) -> list[Place]:
    if not policy.controlled:
        return [Place(f"s{s.site.pk}", site_name(s.site), s.site.code, s, s.site) for s in figures.sites]
    districts: dict[int, list[SiteFigures]] = {}
    areas = {}
    for s in figures.sites:
        district = district_of(s.site.area)
        areas[district.pk] = district
        districts.setdefault(district.pk, []).append(s)
    places = []
    for pk, parts in districts.items():
        merged = SiteFigures(parts[0].site)
        merged.people = sum((p.people for p in parts), Cell())
        merged.high_risk = sum((p.high_risk for p in parts), Cell())
        for group in figures.groups:
            merged.groups[group] = sum((p.groups.get(group, Cell()) for p in parts), Cell())
        merged.knowledge = Knowledge.pooled([p.knowledge for p in parts])
        merged.sessions = sum(p.sessions for p in parts)
        merged.attendance = sum(p.attendance for p in parts)
        merged.copies = sum(p.copies for p in parts)
        places.append(Place(f"a{pk}", _area_name(areas[pk]), areas[pk].pcode, merged))
    return sorted(places, key=lambda place: place.name)


def _table(figures: Figures, places: list[Place], policy: Policy) -> dict:
    """Every count about people on the page, with how they add up, protected together."""
    table = policy.table()
    groups = list(figures.groups)
    # Confirmed people are some of the reached ones: their cells have the same relations as the reached ones',
    # among themselves.
    for what in ("registered", "reached", "confirmed"):
        table.add(("total", what), getattr(figures.total, what))
        for place in places:
            table.add((place.key, what), getattr(place.figures.people, what))
            for group in groups:
                table.add((place.key, group, what), getattr(place.figures.groups.get(group, Cell()), what))
        # A person counts once at the place they live: the places add up to the total.
        table.relate(("total", what), [(place.key, what) for place in places])
        for group in groups:
            table.add((group, what), getattr(figures.groups[group], what))
            table.relate((group, what), [(place.key, group, what) for place in places])
        # A person can be in two target groups, so a place's groups add up to it only when nobody is (always,
        # with one target group): then a group's cell would give the place's away, and the other way round.
        for place in places:
            table.relate((place.key, what), [(place.key, group, what) for group in groups], if_adds_up=True)
        table.relate(("total", what), [(group, what) for group in groups], if_adds_up=True)
    # Knowledge scores: the respondents behind each average.
    table.add(("knowledge", "total"), figures.knowledge.respondents)
    for place in places:
        table.add(("knowledge", place.key), place.figures.knowledge.respondents)
    for group in groups:
        table.add(("knowledge", group), figures.knowledge_by_group.get(group, Knowledge()).respondents)
    table.relate(("knowledge", "total"), [("knowledge", place.key) for place in places], if_adds_up=True)
    # Who came to the sessions: the age bands and sexes add up to the total, and so do the places' attendance.
    for name, n in figures.attendance.items():
        table.add(("attendance", name), n)
    table.relate(("attendance", "total"), [("attendance", name) for name in AttendanceCounts.COUNT_FIELDS])
    for place in places:
        table.add(("attendance", place.key), place.figures.attendance)
    table.relate(("attendance", "total"), [("attendance", place.key) for place in places], if_adds_up=True)
    for via in ("session", "sms"):
        table.add(("via", via), figures.reached_via.get(via, 0))
        table.add(("confirmed_via", via), figures.confirmed_via.get(via, 0))
    table.relate(("total", "reached"), [("via", "session"), ("via", "sms")], if_adds_up=True)
    table.relate(
        ("total", "confirmed"), [("confirmed_via", "session"), ("confirmed_via", "sms")], if_adds_up=True
    )
    table.add("export_recipients", figures.export_recipients)
    return table.protect()


def shown(figures: Figures, *, policy: Policy) -> dict:
    """The figures as the page (and the API) shows them, through ``policy``: exact inside the team; outside it
    (a funder, an analyst) rounded, with small counts and the figures that would give them away hidden, places
    merged into districts, and no list of where to go next. Counts of activities (sessions, copies, radio
    spots) are not counts of people and are shown as they are."""
    places = _places(figures, policy)
    cells = _table(figures, places, policy)
    group_label = dict(VulnerabilityGroup.choices)

    def cell(*key) -> ShownCell:
        return _shown_cell(
            cells[(*key, "registered")], cells[(*key, "reached")], policy, cells[(*key, "confirmed")]
        )

    groups = [
        {
            "group": group,
            "label": group_label.get(group, group),
            "cell": cell(group),
            "knowledge": _shown_knowledge(
                figures.knowledge_by_group.get(group, Knowledge()), cells[("knowledge", group)], policy
            ),
        }
        for group in figures.groups
    ]
    sites = [
        {
            "site": place.site,
            "name": place.name,
            "code": place.code,
            "cell": cell(place.key),
            "groups": [cell(place.key, group) for group in figures.groups],
            "knowledge": _shown_knowledge(place.figures.knowledge, cells[("knowledge", place.key)], policy),
            "sessions": f"{place.figures.sessions:,}",
            "attendance": cells[("attendance", place.key)].text,
            "copies": f"{place.figures.copies:,}",
        }
        for place in places
    ]
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
        "policy": policy,
        "suppress": policy.controlled,
        "by_district": policy.controlled,
        "total": cell("total"),
        "groups": groups,
        "sites": sites,
        "knowledge": _shown_knowledge(figures.knowledge, cells[("knowledge", "total")], policy),
        "attendance": {name: cells[("attendance", name)].text for name in figures.attendance},
        "sessions": f"{figures.sessions:,}",
        "reached_via": {via: cells[("via", via)].text for via in ("session", "sms")},
        "confirmed_via": {via: cells[("confirmed_via", via)].text for via in ("session", "sms")},
        "copies_printed": f"{figures.copies_printed:,}",
        "copies_distributed": f"{figures.copies_distributed:,}",
        "radio_spots": f"{figures.radio_spots:,}",
        "radio_airings": f"{figures.radio_airings:,}",
        "exports": f"{figures.exports:,}",
        "export_recipients": cells["export_recipients"].text,
        "where_next": None
        if policy.controlled
        else [
            {
                "site": s.site,
                "name": site_name(s.site),
                "high_risk": _shown_cell(*_exact(s.high_risk), policy),
                "high_risk_not_reached": s.high_risk.not_reached,
                "cell": _shown_cell(*_exact(s.people), policy),
                "not_reached": s.people.not_reached,
            }
            for s in figures.where_next[:5]
        ],
        "chart": chart,
    }


def _exact(cell: Cell) -> tuple[Shown, Shown]:
    """Inside the team only (where next): the cell's counts as they are."""
    return Shown(cell.registered, f"{cell.registered:,}"), Shown(cell.reached, f"{cell.reached:,}")
