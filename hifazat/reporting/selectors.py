"""The response dashboard's figures, scoped to the actor's organisation and shown through ``disclosure`` (exact
for supervisors, who see the records; controlled for analysts, who see figures only).

Scope: what the organisation holds. People and screenings it registered; cases it runs; referrals it sent; alerts
of its monitoring network; its campaigns' reach; enrolments in the livelihood programmes it implements. The area
filter keeps what is at a site in the area (or below it); the period filter keeps what happened in it (people
registered, screenings taken, cases opened or closed, referrals sent, alerts first seen, people reached, people
listed).

The counts come from ``reporting.counts``: the summary where it is fresh and the period is whole months (always,
for analysts), the records otherwise. Every figure published together (a table, its months, the map's areas) is
in one disclosure ``Table`` with its additive relations, so secondary suppression covers them all.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from hifazat.campaigns.models import Campaign
from hifazat.cases.models import CaseStatus
from hifazat.core import disclosure
from hifazat.core.audit import Actor
from hifazat.core.disclosure import Policy, Shown
from hifazat.core.text import in_reader_language
from hifazat.geography.models import AdminArea, Site
from hifazat.livelihoods.models import Enrolment, Programme
from hifazat.monitoring.models import Alert
from hifazat.people.models import VulnerabilityGroup
from hifazat.referrals.models import ReferralStatus
from hifazat.reporting import boundaries
from hifazat.reporting.counts import Counts, count, summary_answers, summary_of, summary_read, summary_stale
from hifazat.reporting.tasks import summary_refresh_soon
from hifazat.screening.models import Band

# The time series shows at most this many months (the latest); a longer period is cut, and its months are then
# not declared to add up to the totals (they do not).
MAX_MONTHS = 36


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


def _next_month(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


@dataclass
class Row:
    """A labelled row of counts, as shown."""

    label: str
    cells: list[Shown]
    total: Shown | None = None


@dataclass
class Breakdown:
    """A one-way table: a count per category and the total, and the same per month where asked."""

    title: str
    rows: list[tuple[str, Shown]]
    total: Shown
    per_month: list[Shown] = field(default_factory=list)  # the total of each month of the series
    by_key_month: list[tuple[str, list[Shown]]] = field(default_factory=list)  # each category, per month

    @property
    def chart(self) -> dict:
        return {"labels": [label for label, _shown in self.rows], "values": [s.value for _l, s in self.rows]}


@dataclass
class MapPlace:
    """A place drawn on the map: a site (exact figures) or a district (under disclosure control)."""

    name: str
    code: str
    latitude: float
    longitude: float
    people: Shown


@dataclass
class MapArea:
    """An admin level 1 area, its people, and the base layer's area (ISO 3166-2 code) it is drawn as."""

    name: str
    pcode: str
    feature: str | None
    people: Shown


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
    closed: Breakdown
    referrals: Breakdown
    alerts: Breakdown
    campaigns: list[tuple[str, Shown]]
    livelihoods: list[tuple[str, list[Shown]]]
    enrolment_statuses: list[str]
    months: list[datetime.date] = field(default_factory=list)
    months_cut: bool = False
    people_per_month: list[Shown] = field(default_factory=list)
    reach_per_month: list[Shown] = field(default_factory=list)
    reach_total: Shown | None = None
    map_places: list[MapPlace] = field(default_factory=list)
    map_areas: list[MapArea] = field(default_factory=list)
    counted_at: datetime.datetime | None = None  # when the summary was counted; None: from the records, now
    # What was asked, after widening (for the export's rows and the page's note).
    area: AdminArea | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None
    place_codes: list[str] = field(default_factory=list)
    place_parents: list[tuple[str, str]] = field(default_factory=list)  # each place's admin 1 (name, P-code)

    @property
    def month_labels(self) -> list[str]:
        return [date_format(month, "YEAR_MONTH_FORMAT") for month in self.months]

    @property
    def over_time(self) -> list[tuple[str, list[Shown]]]:
        """The time series as rows: a month, then people registered, screenings, cases opened and closed,
        referrals sent, alerts and people reached."""
        columns = [
            self.people_per_month,
            self.screenings.per_month,
            self.cases.per_month,
            self.closed.per_month,
            self.referrals.per_month,
            self.alerts.per_month,
            self.reach_per_month,
        ]
        return [(label, [column[i] for column in columns]) for i, label in enumerate(self.month_labels)]

    @property
    def over_time_totals(self) -> list[Shown | None]:
        """The series' totals (the months add up to each)."""
        return [
            self.people_total,
            self.screenings.total,
            self.cases.total,
            self.closed.total,
            self.referrals.total,
            self.alerts.total,
            self.reach_total,
        ]

    @property
    def chart(self) -> dict:
        def values(cells: list[Shown]) -> list[int | None]:
            return [cell.value for cell in cells]

        return {
            "groups": {
                "labels": [row.label for row in self.group_rows],
                "values": [row.total.value if row.total else None for row in self.group_rows],
            },
            "screenings": self.screenings.chart,
            "cases": self.cases.chart,
            "months": self.month_labels,
            "series": [
                {"label": str(_("People registered")), "values": values(self.people_per_month)},
                {"label": str(_("Cases opened")), "values": values(self.cases.per_month)},
                {"label": str(_("Cases closed")), "values": values(self.closed.per_month)},
                {"label": str(_("Referrals sent")), "values": values(self.referrals.per_month)},
                {"label": str(_("Alerts")), "values": values(self.alerts.per_month)},
                {"label": str(_("People reached")), "values": values(self.reach_per_month)},
            ],
            "bands": [
                {"label": label, "values": values(cells)} for label, cells in self.screenings.by_key_month
            ],
            "text": {
                "people": str(_("People")),
                "screenings": str(_("Screenings")),
                "cases": str(_("Cases")),
                "groups_title": str(_("People by vulnerability group")),
                "screenings_title": str(_("Screenings by band")),
                "cases_title": str(_("Cases by status")),
                "over_time_title": str(_("Over time, by month")),
                "bands_title": str(_("Screenings by band, by month")),
                "hidden": disclosure.HIDDEN,
            },
        }

    @property
    def map(self) -> dict:
        return {
            "places": [
                {
                    "name": place.name,
                    "lat": place.latitude,
                    "lon": place.longitude,
                    "value": place.people.value,
                    "text": place.people.text,
                }
                for place in self.map_places
            ],
            "areas": [
                {
                    "feature": area.feature,
                    "name": area.name,
                    "value": area.people.value,
                    "text": area.people.text,
                }
                for area in self.map_areas
                if area.feature
            ],
            "text": {"people": str(_("People registered")), "hidden": disclosure.HIDDEN},
        }


def _months(counts: Counts, start: datetime.date | None, end: datetime.date | None) -> tuple[list, bool]:
    """The months of the series: the period's, or from the first month with a count to the last."""
    known = counts.months()
    first = start.replace(day=1) if start else (known[0] if known else None)
    last = end.replace(day=1) if end else (known[-1] if known else None)
    if first is None or last is None or first > last:
        return [], False
    months = []
    month = first
    while month <= last:
        months.append(month)
        month = _next_month(month)
    cut = len(months) > MAX_MONTHS
    return months[-MAX_MONTHS:], cut


def _breakdown(
    policy: Policy, title, choices, counts: Counts, figure: str, months: list, relate_months: bool
) -> Breakdown:
    """A figure by category, with each category and the total per month, protected together: a category is the
    sum of its months, a month the sum of its categories."""
    table = policy.table()
    keys = [value for value, _label in choices]
    for key in keys:
        table.add(key, counts.total(figure, key))
        for month in months:
            table.add((key, month), counts.by_month.get((figure, key, month), 0))
        if relate_months:
            table.relate(key, [(key, month) for month in months])
    table.add("total", sum(table.cells[key] for key in keys), headline=True)
    table.relate("total", keys)
    for month in months:
        table.add(("month", month), sum(table.cells[(key, month)] for key in keys))
        table.relate(("month", month), [(key, month) for key in keys])
    if relate_months:
        table.relate("total", [("month", month) for month in months])
    cells = table.protect()
    return Breakdown(
        str(title),
        [(str(label), cells[value]) for value, label in choices],
        cells["total"],
        per_month=[cells[("month", month)] for month in months],
        by_key_month=[(str(label), [cells[(value, month)] for month in months]) for value, label in choices],
    )


@dataclass
class _Place:
    pk: int
    name: str
    code: str
    province: int | None
    points: list[tuple[float, float]]


def _reference() -> tuple[dict, list]:
    """Admin areas and sites: reference data, shared by every organisation, a few hundred rows each."""
    areas = {
        pk: (name, name_ur, level, parent, pcode)
        for pk, name, name_ur, level, parent, pcode in AdminArea.objects.values_list(
            "pk", "name", "name_ur", "level", "parent_id", "pcode"
        )
    }
    sites = list(
        Site.objects.values_list("pk", "name", "name_ur", "code", "area_id", "latitude", "longitude")
    )
    return areas, sites


def _places(
    policy: Policy, site_ids: set[int | None], areas: dict, sites: list
) -> tuple[dict[int, _Place], dict[int, int]]:
    """The places figures are shown by: the sites (exact), or the districts holding them (controlled), with
    their admin 1 area and the coordinates to draw them at; and the place of each site. Areas and sites are
    reference data: two queries."""

    def up_to(area: int | None, level: int) -> int | None:
        while area is not None and areas[area][2] > level:
            area = areas[area][3]
        return area

    places: dict[int, _Place] = {}
    if not policy.controlled:
        for pk, name, name_ur, code, area, lat, lon in sites:
            if pk in site_ids:
                points = [(float(lat), float(lon))] if lat is not None else []
                places[pk] = _Place(pk, in_reader_language(name, name_ur), code, up_to(area, 1), points)
        return places, {pk: pk for pk in places}
    # A district is drawn at the middle of all its sites (reference data; the base layer has no districts).
    district_of = {pk: up_to(area, disclosure.PUBLIC_LEVEL) for pk, _n, _u, _c, area, _la, _lo in sites}
    for pk in site_ids:
        district = district_of.get(pk)
        if district is not None and district not in places:
            name, name_ur, _level, _parent, pcode = areas[district]
            places[district] = _Place(
                district, in_reader_language(name, name_ur), pcode, up_to(district, 1), []
            )
    for pk, _n, _u, _c, _a, lat, lon in sites:
        place = places.get(district_of[pk])
        if place is not None and lat is not None:
            place.points.append((float(lat), float(lon)))
    return places, {pk: district_of[pk] for pk in site_ids if district_of.get(pk) in places}


def sites_in(area: AdminArea | None) -> set[int] | None:
    if area is None:
        return None
    """The sites in ``area`` or below it (reference data: one query)."""
    condition = Q()
    for step in range(4):
        condition |= Q(**{f"area{'__parent' * step}": area})
    return set(Site.objects.filter(condition).values_list("pk", flat=True))


def dashboard_counts(actor: Actor, *, area=None, start=None, end=None) -> Counts:
    """The counts behind the dashboard: from the summary where it can answer (however old: the page says when it
    was counted, and a stale one's rebuild is queued), from the records otherwise."""
    site_ids = sites_in(area)
    build = summary_of(actor.organisation)
    if summary_stale(build):
        summary_refresh_soon(actor.organisation)
    if build is not None and summary_answers(start, end):
        return summary_read(actor.organisation, build, start=start, end=end, site_ids=site_ids)
    return count(actor.organisation, start=start, end=end, site_ids=site_ids)


def dashboard_figures(
    actor: Actor,
    *,
    area: AdminArea | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    policy: Policy | None = None,
) -> Dashboard:
    """Every figure of the dashboard: the counts (two queries from the summary, nine from the records), the
    campaigns' reach, and the names of places, campaigns and programmes. ``policy`` only ever tightens the
    actor's own (an export is controlled for everyone)."""
    policy = dashboard_policy(actor) if policy is None or not policy.controlled else policy
    if policy.controlled:
        start, end = whole_months(start, end)
    org = actor.organisation
    counts = dashboard_counts(actor, area=area, start=start, end=end)
    months, cut = _months(counts, start, end)
    relate_months = not cut

    # People by vulnerability group and place. A person in two groups counts in each group's row and once in the
    # place's total; the places add up to each group's total and to the total of people.
    areas, sites = _reference()
    places, place_of = _places(policy, {site for (_f, _k, site) in counts.by_place}, areas, sites)
    by_place: dict[tuple[str, str, int], int] = {}
    for (figure, key, site), n in counts.by_place.items():
        place = place_of.get(site)
        if place is not None:
            by_place[(figure, key, place)] = by_place.get((figure, key, place), 0) + n
    place_ids = sorted(places, key=lambda pk: places[pk].name)
    groups = list(VulnerabilityGroup.choices)
    table = policy.table()
    for pk in place_ids:
        table.add(("place", pk), by_place.get(("people", "", pk), 0))
    table.add("people", sum(table.cells[("place", pk)] for pk in place_ids), headline=True)
    table.relate("people", [("place", pk) for pk in place_ids])
    for group, _label in groups:
        for pk in place_ids:
            table.add((group, pk), by_place.get(("group", group, pk), 0))
        table.add(group, sum(table.cells[(group, pk)] for pk in place_ids), headline=True)
        table.relate(group, [(group, pk) for pk in place_ids])
    for pk in place_ids:
        table.relate(("place", pk), [(group, pk) for group, _l in groups], if_adds_up=True)
    table.relate("people", [group for group, _l in groups], if_adds_up=True)

    # The map's admin 1 areas: the sum of their places, and together the people.
    provinces = sorted({places[pk].province for pk in place_ids if places[pk].province is not None})
    for province in provinces:
        members = [("place", pk) for pk in place_ids if places[pk].province == province]
        table.add(("province", province), sum(table.cells[key] for key in members))
        table.relate(("province", province), members)
    if all(places[pk].province is not None for pk in place_ids):
        table.relate("people", [("province", province) for province in provinces])

    # People registered per month.
    for month in months:
        table.add(("registered", month), counts.by_month.get(("people", "", month), 0))
    if relate_months:
        table.relate("people", [("registered", month) for month in months])

    # People by age band and sex (never ages or birth dates), adding up to the same people.
    labels = [label for _f, _l, label in disclosure.AGE_BANDS] + [disclosure.UNKNOWN_AGE]
    for label in labels:
        female, other = counts.total("age", f"{label}|f"), counts.total("age", f"{label}|o")
        table.add((label, "female"), female)
        table.add((label, "other"), other)
        table.add((label, "all"), female + other)
        table.relate((label, "all"), [(label, "female"), (label, "other")])
    for sex in ("female", "other", "all"):
        table.add(("all", sex), sum(table.cells[(label, sex)] for label in labels))
        table.relate(("all", sex), [(label, sex) for label in labels])
    table.relate(("all", "all"), [("all", "female"), ("all", "other")])
    table.relate("people", [("all", "all")])
    cells = table.protect()
    group_rows = [
        Row(str(label), [cells[(group, pk)] for pk in place_ids], cells[group]) for group, label in groups
    ]
    age_label = {disclosure.UNKNOWN_AGE: str(_("Age not known"))}
    ages = [
        Row(
            age_label.get(label, label),
            [cells[(label, "female")], cells[(label, "other")]],
            cells[(label, "all")],
        )
        for label in [*labels, "all"]
    ]
    ages[-1].label = str(_("All ages"))

    # The map: places with coordinates, and admin 1 areas matched to the base layer's by where their places are.
    map_places = []
    for pk in place_ids:
        place = places[pk]
        if place.points:
            lat = sum(p[0] for p in place.points) / len(place.points)
            lon = sum(p[1] for p in place.points) / len(place.points)
            map_places.append(
                MapPlace(place.name, place.code, round(lat, 4), round(lon, 4), cells[("place", pk)])
            )
    province_names = {
        pk: (in_reader_language(name, name_ur), pcode)
        for pk, (name, name_ur, level, _parent, pcode) in areas.items()
        if level == 1
    }
    map_areas = []
    for province in provinces:
        points = [p for pk in place_ids if places[pk].province == province for p in places[pk].points]
        feature = None
        if points:
            features = {boundaries.feature_at(lon, lat) for lat, lon in points} - {None}
            feature = features.pop() if len(features) == 1 else None
        name, pcode = province_names[province]
        map_areas.append(MapArea(name, pcode, feature, cells[("province", province)]))

    # Campaign reach: people reached by each campaign the organisation runs for the first time in the period and
    # area (each person once per campaign); the campaigns' months add up to their reach.
    campaign_names = dict(
        Campaign.objects.filter(organisation=org).order_by("name").values_list("pk", "name")
    )
    reach_table = policy.table()
    for pk in campaign_names:
        for month in months:
            reach_table.add((pk, month), counts.by_month.get(("reach", str(pk), month), 0))
        reach_table.add(pk, counts.total("reach", str(pk)))
        if relate_months:
            reach_table.relate(pk, [(pk, month) for month in months])
    for month in months:
        reach_table.add(("month", month), sum(reach_table.cells[(pk, month)] for pk in campaign_names))
        reach_table.relate(("month", month), [(pk, month) for pk in campaign_names])
    reach_table.add("total", sum(reach_table.cells[pk] for pk in campaign_names), headline=True)
    reach_table.relate("total", list(campaign_names))
    if relate_months:
        reach_table.relate("total", [("month", month) for month in months])
    reach_cells = reach_table.protect()

    # Cases closed, by the month they closed.
    closed_table = policy.table()
    for month in months:
        closed_table.add(("month", month), counts.by_month.get(("closed", "", month), 0))
    closed_table.add("total", counts.total("closed", ""), headline=True)
    if relate_months:
        closed_table.relate("total", [("month", month) for month in months])
    closed_cells = closed_table.protect()

    # Livelihoods: enrolments by status in each programme the organisation implements.
    statuses = list(Enrolment.Status.choices)
    programmes = dict(
        Programme.objects.filter(implementing_organisation=org).order_by("name").values_list("pk", "name")
    )
    live_table = policy.table()
    for pk in programmes:
        for status, _label in statuses:
            live_table.add((pk, status), counts.total("enrolment", f"{pk}|{status}"))
    live_cells = live_table.protect()

    def breakdown(title, choices, figure):
        return _breakdown(policy, title, choices, counts, figure, months, relate_months)

    return Dashboard(
        policy=policy,
        places_are_districts=policy.controlled,
        place_names=[places[pk].name for pk in place_ids],
        group_rows=group_rows,
        people_per_place=[cells[("place", pk)] for pk in place_ids],
        people_total=cells["people"],
        ages=ages,
        screenings=breakdown(_("Screenings by band"), Band.choices, "screening"),
        cases=breakdown(_("Cases by status"), CaseStatus.choices, "case"),
        closed=Breakdown(
            str(_("Cases closed")),
            [],
            closed_cells["total"],
            per_month=[closed_cells[("month", month)] for month in months],
        ),
        referrals=breakdown(_("Referrals sent, by status"), ReferralStatus.choices, "referral"),
        alerts=breakdown(_("Alerts by status"), Alert.Status.choices, "alert"),
        campaigns=[(name, reach_cells[pk]) for pk, name in campaign_names.items()],
        livelihoods=[
            (name, [live_cells[(pk, status)] for status, _l in statuses]) for pk, name in programmes.items()
        ],
        enrolment_statuses=[str(label) for _s, label in statuses],
        months=months,
        months_cut=cut,
        people_per_month=[cells[("registered", month)] for month in months],
        reach_per_month=[reach_cells[("month", month)] for month in months],
        reach_total=reach_cells["total"],
        map_places=map_places,
        map_areas=map_areas,
        counted_at=counts.counted_at,
        area=area,
        start=start,
        end=end,
        place_codes=[places[pk].code for pk in place_ids],
        place_parents=[province_names.get(places[pk].province, ("", "")) for pk in place_ids],
    )
