"""The response dashboard's figures: one aggregate query per figure, whatever the size of the registry, scoped to
the actor's organisation, and shown through ``disclosure`` (exact for supervisors, who see the records; controlled
for analysts, who see figures only).

Scope: what the organisation holds. People and screenings it registered; cases it runs; referrals it sent; alerts
of its monitoring network; its campaigns' reach; enrolments in the livelihood programmes it implements. The area
filter keeps what is at a site in the area (or below it); the period filter keeps what happened in it (people
registered, screenings taken, cases opened, referrals sent, alerts first seen, people reached, people listed).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Case, Count, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from hifazat.campaigns.models import Campaign, Reach
from hifazat.cases.models import Case as ProtectionCase
from hifazat.cases.models import CaseStatus
from hifazat.core import disclosure
from hifazat.core.audit import Actor
from hifazat.core.disclosure import Policy, Shown
from hifazat.geography.models import AdminArea, Site
from hifazat.livelihoods.models import Enrolment, Programme
from hifazat.monitoring.models import Alert
from hifazat.people.models import Gender, Person, Vulnerability, VulnerabilityGroup
from hifazat.referrals.models import Referral, ReferralStatus
from hifazat.screening.models import Band, Screening


def dashboard_policy(actor: Actor) -> Policy:
    """Supervisors see their organisation's records, so exact figures; analysts (and any role that sees figures
    only) get them through disclosure control."""
    return disclosure.policy_for(actor, inside=True)


def in_area(site_path: str, area: AdminArea | None) -> Q:
    """Rows whose site (at ``site_path``) lies in ``area`` or below it: the hierarchy has four levels, so three
    parent steps reach any ancestor."""
    if area is None:
        return Q()
    path = f"{site_path}__area"
    condition = Q()
    for step in range(4):
        condition |= Q(**{f"{path}{'__parent' * step}": area})
    return condition


def _period(field: str, start: datetime.date | None, end: datetime.date | None, *, datetime_field=False) -> Q:
    condition = Q()
    if datetime_field:
        if start:
            condition &= Q(**{f"{field}__date__gte": start})
        if end:
            condition &= Q(**{f"{field}__date__lte": end})
    else:
        if start:
            condition &= Q(**{f"{field}__gte": start})
        if end:
            condition &= Q(**{f"{field}__lte": end})
    return condition


def whole_months(
    start: datetime.date | None, end: datetime.date | None
) -> tuple[datetime.date | None, datetime.date | None]:
    """The period widened to whole months. Under disclosure control a reader could otherwise move the period a
    day at a time and watch a rounded count change, learning on which day someone was registered."""
    if start:
        start = start.replace(day=1)
    if end:
        following = (end.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        end = following - datetime.timedelta(days=1)
    return start, end


@dataclass
class Row:
    """A labelled row of counts, as shown."""

    label: str
    cells: list[Shown]
    total: Shown | None = None


@dataclass
class Breakdown:
    """A one-way table: a count per category and the total."""

    title: str
    rows: list[tuple[str, Shown]]
    total: Shown

    @property
    def chart(self) -> dict:
        return {"labels": [label for label, _shown in self.rows], "values": [s.value for _l, s in self.rows]}


@dataclass
class Dashboard:
    policy: Policy
    places_are_districts: bool
    place_names: list[str]
    group_rows: list[Row]  # one row per vulnerability group, a cell per place, and the group's total
    people_per_place: list[Shown]
    people_total: Shown
    ages: list[Row]  # one row per age band: women and girls, men and boys, total
    screenings: Breakdown
    cases: Breakdown
    referrals: Breakdown
    alerts: Breakdown
    campaigns: list[tuple[str, Shown]]
    livelihoods: list[tuple[str, list[Shown]]]
    enrolment_statuses: list[str]

    @property
    def chart(self) -> dict:
        return {
            "groups": {
                "labels": [row.label for row in self.group_rows],
                "values": [row.total.value if row.total else None for row in self.group_rows],
            },
            "screenings": self.screenings.chart,
            "cases": self.cases.chart,
            "text": {
                "people": str(_("People")),
                "screenings": str(_("Screenings")),
                "cases": str(_("Cases")),
            },
        }


def _breakdown(policy: Policy, title, choices, counts: dict) -> Breakdown:
    table = policy.table()
    for value, _label in choices:
        table.add(value, counts.get(value, 0))
    table.add("total", sum(counts.get(value, 0) for value, _label in choices), headline=True)
    table.relate("total", [value for value, _label in choices])
    cells = table.protect()
    return Breakdown(str(title), [(str(label), cells[value]) for value, label in choices], cells["total"])


def dashboard_figures(
    actor: Actor,
    *,
    area: AdminArea | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> Dashboard:
    """Every figure of the dashboard in about a dozen aggregate queries."""
    policy = dashboard_policy(actor)
    if policy.controlled:
        start, end = whole_months(start, end)
    org = actor.organisation
    today = timezone.localdate()

    # People by vulnerability group and place. A person in two groups counts in each group's row and once in the
    # place's total; the places add up to each group's total and to the total of people.
    people = Person.objects.filter(
        Q(organisation=org, is_active=True, merged_into__isnull=True, household__isnull=False),
        in_area("household__site", area),
        _period("registered_on", start, end),
    )
    if policy.controlled:
        place_of = disclosure.district_id("household__site__area")
        vuln_place_of = disclosure.district_id("person__household__site__area")
    else:
        place_of = F("household__site_id")
        vuln_place_of = F("person__household__site_id")
    # One pass over the people gives both the places and the age bands by sex.
    women = [Gender.FEMININE, Gender.TRANSGENDER_FEMININE]
    rows = (
        people.annotate(
            place=place_of,
            band=disclosure.age_band_expression("birthdate", on=today),
            female=Case(When(gender__in=women, then=Value(True)), default=Value(False)),
        )
        .values("place", "band", "female")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_place: dict[int, int] = {}
    ages: dict[tuple[str, bool], int] = {}
    for row in rows:
        by_place[row["place"]] = by_place.get(row["place"], 0) + row["n"]
        ages[(row["band"], row["female"])] = ages.get((row["band"], row["female"]), 0) + row["n"]
    # The same conditions on the person, joined rather than an IN list of every person's id. A person has a row
    # per group and source, so people are counted distinct.
    by_group_place = (
        Vulnerability.objects.filter(
            Q(
                person__organisation=org,
                person__is_active=True,
                person__merged_into__isnull=True,
                person__household__isnull=False,
            ),
            in_area("person__household__site", area),
            _period("person__registered_on", start, end),
        )
        .annotate(place=vuln_place_of)
        .values("group", "place")
        .annotate(n=Count("person_id", distinct=True))
        .order_by()
    )
    group_counts: dict[tuple[str, int], int] = {
        (row["group"], row["place"]): row["n"] for row in by_group_place
    }
    place_ids = sorted({*by_place, *(place for _g, place in group_counts)})
    places = AdminArea.objects if policy.controlled else Site.objects
    urdu = get_language() == "ur"
    names = {
        pk: name_ur if urdu and name_ur else name
        for pk, name, name_ur in places.filter(pk__in=place_ids).values_list("pk", "name", "name_ur")
    }
    place_ids.sort(key=lambda pk: names.get(pk, ""))
    groups = list(VulnerabilityGroup.choices)
    table = policy.table()
    for pk in place_ids:
        table.add(("place", pk), by_place.get(pk, 0))
    table.add("people", sum(by_place.get(pk, 0) for pk in place_ids), headline=True)
    table.relate("people", [("place", pk) for pk in place_ids])
    for group, _label in groups:
        for pk in place_ids:
            table.add((group, pk), group_counts.get((group, pk), 0))
        table.add(group, sum(group_counts.get((group, pk), 0) for pk in place_ids), headline=True)
        table.relate(group, [(group, pk) for pk in place_ids])
    for pk in place_ids:
        table.relate(("place", pk), [(group, pk) for group, _l in groups], if_adds_up=True)
    table.relate("people", [group for group, _l in groups], if_adds_up=True)

    # People by age band and sex (never ages or birth dates).
    labels = [label for _f, _l, label in disclosure.AGE_BANDS] + [disclosure.UNKNOWN_AGE]
    age_table = table  # one table: the age bands add up to the same people as the places
    for label in labels:
        female, other = ages.get((label, True), 0), ages.get((label, False), 0)
        age_table.add((label, "female"), female)
        age_table.add((label, "other"), other)
        age_table.add((label, "all"), female + other)
        age_table.relate((label, "all"), [(label, "female"), (label, "other")])
    for sex in ("female", "other", "all"):
        age_table.add(("all", sex), sum(age_table.cells[(label, sex)] for label in labels))
        age_table.relate(("all", sex), [(label, sex) for label in labels])
    age_table.relate(("all", "all"), [("all", "female"), ("all", "other")])
    age_table.relate("people", [("all", "all")])
    cells = age_cells = table.protect()
    group_rows = [
        Row(str(label), [cells[(group, pk)] for pk in place_ids], cells[group]) for group, label in groups
    ]
    age_label = {disclosure.UNKNOWN_AGE: str(_("Age not known"))}
    age_rows_shown = [
        Row(
            age_label.get(label, label),
            [age_cells[(label, "female")], age_cells[(label, "other")]],
            age_cells[(label, "all")],
        )
        for label in [*labels, "all"]
    ]
    age_rows_shown[-1].label = str(_("All ages"))

    screenings = dict(
        Screening.objects.filter(
            Q(organisation=org, person__is_active=True),
            in_area("person__household__site", area),
            _period("screened_at", start, end, datetime_field=True),
        )
        .values_list("band")
        .annotate(n=Count("pk"))
    )
    cases = dict(
        ProtectionCase.objects.filter(
            Q(organisation=org), in_area("person__household__site", area), _period("opened_on", start, end)
        )
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    referrals = dict(
        Referral.objects.filter(
            Q(sender_organisation=org),
            in_area("case__person__household__site", area),
            _period("sent_at", start, end, datetime_field=True),
        )
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    alerts = dict(
        Alert.objects.filter(Q(network=org), in_area("site", area), _period("first_seen_on", start, end))
        .values_list("status")
        .annotate(n=Count("pk"))
    )

    # Campaign reach: people reached by each campaign the organisation runs, in the period and area.
    reach = dict(
        Reach.objects.filter(
            Q(campaign__organisation=org), in_area("site", area), _period("reached_on", start, end)
        )
        .values_list("campaign_id")
        .annotate(n=Count("person_id", distinct=True))
    )
    campaign_names = dict(
        Campaign.objects.filter(organisation=org).order_by("name").values_list("pk", "name")
    )
    reach_cells = policy.table({pk: reach.get(pk, 0) for pk in campaign_names}).protect()

    # Livelihoods: enrolments by status in each programme the organisation implements.
    statuses = list(Enrolment.Status.choices)
    enrolments = (
        Enrolment.objects.filter(
            Q(programme__implementing_organisation=org),
            in_area("household__site", area),
            _period("listed_on", start, end),
        )
        .values("programme_id", "status")
        .annotate(n=Count("pk"))
    )
    enrolment_counts = {(row["programme_id"], row["status"]): row["n"] for row in enrolments}
    programmes = dict(
        Programme.objects.filter(implementing_organisation=org).order_by("name").values_list("pk", "name")
    )
    live_table = policy.table()
    for pk in programmes:
        for status, _label in statuses:
            live_table.add((pk, status), enrolment_counts.get((pk, status), 0))
    live_cells = live_table.protect()

    return Dashboard(
        policy=policy,
        places_are_districts=policy.controlled,
        place_names=[names.get(pk, "") for pk in place_ids],
        group_rows=group_rows,
        people_per_place=[cells[("place", pk)] for pk in place_ids],
        people_total=cells["people"],
        ages=age_rows_shown,
        screenings=_breakdown(policy, _("Screenings by band"), Band.choices, screenings),
        cases=_breakdown(policy, _("Cases by status"), CaseStatus.choices, cases),
        referrals=_breakdown(policy, _("Referrals sent, by status"), ReferralStatus.choices, referrals),
        alerts=_breakdown(policy, _("Alerts by status"), Alert.Status.choices, alerts),
        campaigns=[(name, reach_cells[pk]) for pk, name in campaign_names.items()],
        livelihoods=[
            (name, [live_cells[(pk, status)] for status, _l in statuses]) for pk, name in programmes.items()
        ],
        enrolment_statuses=[str(label) for _s, label in statuses],
    )
