"""Response dashboard benchmark: its figures at 100,000 registered people by default, 1,000,000 with
``HIFAZAT_BENCH_PEOPLE=1000000`` (on PostgreSQL: ``DATABASE_URL=postgres://...``, an empty database).

1. The dashboard's figures (``reporting.selectors.dashboard_figures``) as a supervisor (exact, by site) and an
   analyst (under disclosure control, by district), for the whole registry, one district, and three months; read
   from the summary (``reporting.counts``). Target: p95 under 300 ms at 1,000,000 people on PostgreSQL.
2. The same figures counted from the records (a period that does not start on the 1st cannot use the summary):
   the baseline, measured in the same run; its ratio says what the summary saves.
3. Rebuilding the organisation's summary (``summary_rebuild``), which a periodic job does: seconds, not a page.

The registry (households, people, vulnerability groups, screenings, cases, referrals, alerts, campaign reach) is
written with ``people.batch.insert_values`` (one prepared INSERT executed for every row), not through the
services, which would take hours at this size. Shapes: 30 camps in 6 districts of 3 provinces, five people a
household, registrations over 24 months, 45% in a vulnerability group, 30% screened, 3% with a case (a third
closed), a referral for a third of the cases, 2,000 alerts, a third of the people reached by one of 3 campaigns.
"""

from __future__ import annotations

import datetime
import os
import random
import time
import uuid

from bench.timing import measure, report

PEOPLE = int(os.environ.get("HIFAZAT_BENCH_PEOPLE", "100000"))
SEED = 2005
REPEAT = 40
CHUNK = 50_000
START = datetime.date(2005, 10, 1)
GROUPS = [
    "separated_or_widowed_woman",
    "at_risk_child",
    "widowed_single_parent",
    "female_headed_household",
    "older_person_alone",
    "person_with_disability",
]


def _chunks(rows):
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]


def insert(model, rows) -> None:
    from django.db import transaction

    from hifazat.people.batch import insert_values

    with transaction.atomic():
        for chunk in _chunks(rows):
            insert_values(model, chunk)


def day_in(rng: random.Random, months: int = 24) -> datetime.date:
    return START + datetime.timedelta(days=rng.randrange(0, months * 30))


def build(rng: random.Random):
    from django.utils import timezone

    from hifazat.accounts.models import Membership, Organisation, User
    from hifazat.campaigns.models import Attendance, Campaign, Reach, Session
    from hifazat.cases.models import Case
    from hifazat.core.audit import Actor
    from hifazat.geography.models import AdminArea, Site
    from hifazat.monitoring.models import Alert
    from hifazat.people.models import Household, Person, Vulnerability
    from hifazat.referrals.models import Referral, ServiceProvider
    from hifazat.screening import indicators
    from hifazat.screening.models import Screening

    started = time.perf_counter()
    org = Organisation.objects.create(name="Bench reporting", org_type="NGO", hosts_system=True)
    partner = Organisation.objects.create(name="Bench partner", org_type="NGO")
    users = {}
    for role in ("supervisor", "analyst", "caseworker"):
        users[role] = User.objects.create(username=f"bench-reporting-{role}")
        Membership.objects.create(user=users[role], organisation=org, role=role)
    country, _ = AdminArea.objects.get_or_create(pcode="PK", defaults={"name": "Pakistan", "level": 0})
    sites, districts = [], []
    for p in range(3):
        province = AdminArea.objects.create(pcode=f"PKR{p}", name=f"Province {p}", level=1, parent=country)
        for d in range(2):
            district = AdminArea.objects.create(
                pcode=f"PKR{p}{d}", name=f"District {p}{d}", level=2, parent=province
            )
            districts.append(district)
            for s in range(5):
                sites.append(
                    Site.objects.create(
                        code=f"BR{p}{d}{s}",
                        name=f"Camp {p}{d}{s}",
                        site_type="relief_camp",
                        area=district,
                        latitude=33 + p + s / 10,
                        longitude=72 + d + s / 10,
                    )
                )
    site_ids = [site.pk for site in sites]
    insert(
        Household,
        [
            {"organisation_id": org.pk, "site_id": rng.choice(site_ids), "shelter_number": f"T-{i}"}
            for i in range(PEOPLE // 5)
        ],
    )
    households = list(Household.objects.filter(organisation=org).order_by("pk").values_list("pk", "site_id"))
    rows = []
    for i in range(PEOPLE):
        household, _site = households[i // 5]
        born = (
            None
            if rng.random() < 0.1
            else datetime.date(1940, 1, 1) + datetime.timedelta(days=rng.randrange(0, 24000))
        )
        rows.append(
            {
                "organisation_id": org.pk,
                "household_id": household,
                "relationship_to_head": "head" if i % 5 == 0 else "child",
                "first_name": f"P{i}",
                "second_name": "Bench",
                "gender": "Feminine" if rng.random() < 0.55 else "Masculine",
                "birthdate": born,
                "registered_on": day_in(rng),
                "uuid": uuid.uuid4(),
            }
        )
    insert(Person, rows)
    people = list(Person.objects.filter(organisation=org).order_by("pk").values_list("pk", "registered_on"))
    built_people = time.perf_counter() - started
    vulnerabilities = []
    for pk, _day in people:
        roll = rng.random()
        if roll < 0.45:
            first = rng.choice(GROUPS)
            vulnerabilities.append({"person_id": pk, "group": first, "source": "rule", "reason": "bench"})
            if roll < 0.1:
                second = rng.choice([g for g in GROUPS if g != first])
                vulnerabilities.append(
                    {"person_id": pk, "group": second, "source": "rule", "reason": "bench"}
                )
    insert(Vulnerability, vulnerabilities)
    _catalogue, version = indicators.current()
    screened = rng.sample(people, k=int(len(people) * 0.3))
    insert(
        Screening,
        [
            {
                "organisation_id": org.pk,
                "person_id": pk,
                "catalogue_version_id": version.pk,
                "answers": {},
                "subject_was_child": False,
                "score": rng.randrange(0, 30),
                "band": rng.choice(["low", "low", "medium", "medium", "high", "urgent"]),
                "screened_by_id": users["caseworker"].pk,
                "screened_at": timezone.make_aware(
                    datetime.datetime.combine(
                        day + datetime.timedelta(days=rng.randrange(0, 40)), datetime.time(10)
                    )
                ),
            }
            for pk, day in screened
        ],
    )
    case_rows = []
    for n, (pk, day) in enumerate(rng.sample(people, k=int(len(people) * 0.03))):
        opened = day + datetime.timedelta(days=rng.randrange(0, 60))
        closed = opened + datetime.timedelta(days=rng.randrange(10, 120)) if n % 3 == 0 else None
        case_rows.append(
            {
                "organisation_id": org.pk,
                "number": f"CT-B-{n:07d}",
                "person_id": pk,
                "owner_id": users["caseworker"].pk,
                "caseworker_id": users["caseworker"].pk,
                "origin": "screening",
                "opened_on": opened,
                "closed_on": closed,
                "status": "Closed" if closed else "Active",
            }
        )
    insert(Case, case_rows)
    provider = ServiceProvider.objects.create(organisation=partner, name="Bench clinic")
    case_ids = list(Case.objects.filter(organisation=org).order_by("pk").values_list("pk", "opened_on"))
    insert(
        Referral,
        [
            {
                "number": f"RF-B-{n:07d}",
                "case_id": pk,
                "sender_organisation_id": org.pk,
                "sent_by_id": users["caseworker"].pk,
                "receiver_organisation_id": partner.pk,
                "provider_id": provider.pk,
                "service": "medical",
                "reason": "bench",
                "urgency": "routine",
                "status": rng.choice(["sent", "accepted", "completed"]),
                "sent_at": timezone.make_aware(datetime.datetime.combine(opened, datetime.time(12))),
            }
            for n, (pk, opened) in enumerate(case_ids[::3])
        ],
    )
    insert(
        Alert,
        [
            {
                "network_id": org.pk,
                "number": f"AL-B-{n:05d}",
                "rule": "repeat_place",
                "key": f"bench-{n}",
                "severity": "high",
                "site_id": rng.choice(site_ids),
                "first_seen_on": (seen := day_in(rng)),
                "last_seen_on": seen,
                "status": rng.choice(["open", "acknowledged"]),
            }
            for n in range(2000)
        ],
    )
    campaigns = [
        Campaign.objects.create(
            organisation=org, name=f"Bench campaign {c}", objective="bench", starts_on=START
        )
        for c in range(3)
    ]
    # A reach row has its source: here a session's attendance (one session per campaign and camp).
    sessions = {}
    for campaign in campaigns:
        for site in sites:
            sessions[(campaign.pk, site.pk)] = Session.objects.create(
                campaign=campaign, site=site, held_on=START, facilitator=org, target_group=GROUPS[0]
            ).pk
    reached = rng.sample(people, k=len(people) // 3)
    site_of = dict(Person.objects.filter(organisation=org).values_list("pk", "household__site_id"))
    plan = [(campaigns[n % 3].pk, pk, day) for n, (pk, day) in enumerate(reached)]
    insert(Attendance, [{"session_id": sessions[(c, site_of[pk])], "person_id": pk} for c, pk, _day in plan])
    attendances = Attendance.objects.filter(session__campaign__organisation=org).order_by("pk")
    insert(
        Reach,
        [
            {
                "campaign_id": campaign,
                "person_id": pk,
                "via": "session",
                "site_id": site_of[pk],
                "reached_on": (reached_on := day + datetime.timedelta(days=rng.randrange(0, 90))),
                "confirmed_on": reached_on,
                "attendance_id": attendance,
            }
            for (campaign, pk, day), attendance in zip(
                plan, attendances.values_list("pk", flat=True), strict=True
            )
        ],
    )
    print(
        f"registry built in {time.perf_counter() - started:.1f} s ({built_people:.1f} s for {PEOPLE:,} people; "
        f"{len(vulnerabilities):,} groups, {len(screened):,} screenings, {len(case_rows):,} cases, "
        f"{len(reached):,} reach rows)",
        flush=True,
    )
    return org, districts, {role: Actor.for_user(user) for role, user in users.items()}


def run() -> None:
    from django.db import connection

    from hifazat.reporting.counts import buckets, summary_rebuild
    from hifazat.reporting.models import MonthlyCount
    from hifazat.reporting.selectors import dashboard_figures

    rng = random.Random(SEED)
    org, districts, actors = build(rng)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    size = f"{PEOPLE:,} people, {connection.vendor}"

    started = time.perf_counter()
    build_ = summary_rebuild(org)
    rebuilt = time.perf_counter() - started
    print(f"summary rebuilt in {rebuilt:.1f} s: {build_.rows:,} rows", flush=True)
    stored = {
        (r.figure, r.key, r.site_id, r.month): r.n for r in MonthlyCount.objects.filter(organisation=org)
    }
    assert stored == buckets(org), "the summary differs from a recount"
    print("summary equals a recount", flush=True)

    district = districts[0]
    spring = (datetime.date(2006, 3, 1), datetime.date(2006, 5, 31))
    # The baseline: the same figures counted from the records (a period starting on the 2nd cannot use the
    # summary), so fewer repetitions.
    baseline = measure(
        lambda: dashboard_figures(actors["supervisor"], start=datetime.date(2005, 10, 2)), repeat=5, warmup=1
    )
    report("baseline: figures counted from the records", baseline, size=size)
    cases = {
        "supervisor, everything": lambda: dashboard_figures(actors["supervisor"]),
        "analyst, everything": lambda: dashboard_figures(actors["analyst"]),
        "analyst, one district": lambda: dashboard_figures(actors["analyst"], area=district),
        "analyst, three months": lambda: dashboard_figures(actors["analyst"], start=spring[0], end=spring[1]),
    }
    worst = 0.0
    for name, function in cases.items():
        figures = measure(function, repeat=REPEAT)
        worst = max(worst, figures["p95"])
        report(f"dashboard from the summary: {name}", figures, baseline, size=size)
    print(f"worst p95 from the summary: {worst:.1f} ms (target 300 ms)", flush=True)
