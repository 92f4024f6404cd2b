"""Campaign benchmarks, at 100,000 registered people and 20,000 attendance records on SQLite.

1. The campaign page's figures (``campaigns.coverage.campaign_figures`` and ``shown``): registered, reached and
   share per site and target group, people by latest screening band (where next), knowledge scores, attendance,
   materials and radio. Target: p95 under 300 ms.
2. The first page of the gap list (25 people not yet reached, and the count), as a caseworker opens it.

Baseline, in the same run: one aggregate that any coverage figure must at least read, the number of people in each
target group (``Vulnerability`` grouped by group, through its index).

The registry, screenings, sessions, attendance and reach are written with ``bulk_create`` in the shapes the
services write (the services would take an hour at this size). The campaign covers 15 of the 20 camps and three
target groups; about 35,000 people are in a target group, 30% of them screened.
"""

from __future__ import annotations

import datetime
import random
import time

from bench.timing import measure, report

PEOPLE = 100_000
ATTENDANCES = 20_000
SESSIONS = 400
SEED = 2006
REPEAT = 60
GROUPS = ["separated_or_widowed_woman", "at_risk_child", "widowed_single_parent"]
OTHER_GROUPS = ["female_headed_household", "older_person_alone", "person_with_disability"]


def write_attendance(campaign, attendances) -> None:
    """Write ``attendances`` (unsaved, one person at most once a session) and the reach each linked one gives the
    campaign, in bulk, as ``campaigns.services.attendee_add`` records them one by one."""
    from hifazat.campaigns.models import Attendance, Reach

    Attendance.objects.bulk_create(attendances, batch_size=5000)
    Reach.objects.bulk_create(
        [
            Reach(
                campaign=campaign,
                person_id=row.person_id,
                via="session",
                site_id=row.session.site_id,
                reached_on=row.session.held_on,
                confirmed_on=row.session.held_on,
                attendance=row,
            )
            for row in attendances
            if row.person_id
        ],
        batch_size=5000,
    )


def build(rng: random.Random):
    from django.db import connection

    from hifazat.accounts.models import Membership, Organisation, User
    from hifazat.campaigns.models import Attendance, Campaign, Session
    from hifazat.core.audit import Actor
    from hifazat.geography.models import AdminArea, Site
    from hifazat.people.models import Household, Person, Vulnerability
    from hifazat.screening import indicators
    from hifazat.screening.models import Screening

    started = time.perf_counter()
    org = Organisation.objects.create(name="Bench campaigns", org_type="NGO", hosts_system=True)
    users = {}
    for role in ("campaign_coordinator", "caseworker"):
        users[role] = User.objects.create(username=f"bench-campaigns-{role}")
        Membership.objects.create(user=users[role], organisation=org, role=role)
    country, _ = AdminArea.objects.get_or_create(pcode="PK", defaults={"name": "Pakistan", "level": 0})
    province = AdminArea.objects.create(pcode="PKC1", name="Bench province C", level=1, parent=country)
    district = AdminArea.objects.create(pcode="PKC101", name="Bench district C", level=2, parent=province)
    sites = [
        Site.objects.create(
            code=f"BC{i:03d}", name=f"Campaign camp {i}", site_type="relief_camp", area=district
        )
        for i in range(20)
    ]
    households = [
        Household(organisation=org, site=rng.choice(sites), shelter_number=f"T-{i}")
        for i in range(PEOPLE // 5)
    ]
    Household.objects.bulk_create(households, batch_size=5000)
    people = [
        Person(
            organisation=org,
            household=households[i // 5],
            first_name=f"P{i}",
            second_name="Bench",
            gender="Feminine" if rng.random() < 0.55 else "Masculine",
            birth_year=1960 + i % 45,
        )
        for i in range(PEOPLE)
    ]
    Person.objects.bulk_create(people, batch_size=5000)
    rows = []
    in_groups = []
    for person in people:
        roll = rng.random()
        groups = []
        if roll < 0.35:
            groups.append(rng.choice(GROUPS))
            if rng.random() < 0.3:  # widows with children are in two groups
                groups.append(GROUPS[2] if groups[0] == GROUPS[0] else GROUPS[0])
            in_groups.append(person)
        elif roll < 0.45:
            groups.append(rng.choice(OTHER_GROUPS))
        rows.extend(Vulnerability(person=person, group=g, source="rule", reason="bench") for g in groups)
    Vulnerability.objects.bulk_create(rows, batch_size=5000)
    _catalogue, version = indicators.current()
    screenings = []
    for person in rng.sample(in_groups, k=int(len(in_groups) * 0.3)):
        for n in range(rng.choice([1, 1, 2])):
            screenings.append(
                Screening(
                    organisation=org,
                    person=person,
                    catalogue_version=version,
                    answers={},
                    subject_was_child=False,
                    score=rng.randrange(0, 30),
                    band=rng.choice(["low", "low", "medium", "medium", "high", "urgent"]),
                    screened_by=users["caseworker"],
                    screened_at=datetime.datetime(2006, 1 + n, 10, tzinfo=datetime.UTC),
                )
            )
    Screening.objects.bulk_create(screenings, batch_size=5000)

    campaign = Campaign.objects.create(
        organisation=org,
        name="Bench campaign",
        objective="bench",
        starts_on=datetime.date(2006, 1, 1),
        target_groups=GROUPS,
        status="active",
        launched_on=datetime.date(2006, 1, 10),
        launch_site=sites[0],
    )
    campaign.sites.set(sites[:15])
    sessions = [
        Session(
            campaign=campaign,
            site=rng.choice(sites[:15]),
            held_on=datetime.date(2006, 1, 10) + datetime.timedelta(days=i % 150),
            facilitator=org,
            target_group=rng.choice(GROUPS),
            female_18_59=60,
            female_0_17=10,
            check_max_score=5,
        )
        for i in range(SESSIONS)
    ]
    Session.objects.bulk_create(sessions)
    attendances = []
    for i in range(ATTENDANCES):
        session = sessions[i % SESSIONS]
        linked = rng.random() < 0.85
        pre = rng.randrange(0, 4)
        attendances.append(
            Attendance(
                session=session,
                person=rng.choice(in_groups) if linked else None,
                pre_score=pre,
                post_score=min(5, pre + rng.randrange(0, 4)),
            )
        )
    # A person drawn twice for one session is linked once (the register's rule).
    seen, unique = set(), []
    for row in attendances:
        key = (row.session_id, row.person_id)
        if row.person_id is None or key not in seen:
            seen.add(key)
            unique.append(row)
    write_attendance(campaign, unique)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM campaigns_reach")
        reach_rows = cursor.fetchone()[0]
    print(
        f"registry built in {time.perf_counter() - started:.1f} s ({PEOPLE:,} people, {len(in_groups):,} in a "
        f"target group, {len(screenings):,} screenings, {len(unique):,} attendance records, {reach_rows:,} reach rows)",
        flush=True,
    )
    return campaign, {role: Actor.for_user(user) for role, user in users.items()}


def cpu_ms(function, repeat: int = 10) -> float:
    """Processor time of one run, in milliseconds: SQLite works in this process, so on a machine shared with
    other work this says what the wall-clock figures would be on a quiet one."""
    started = time.process_time()
    for _ in range(repeat):
        function()
    return (time.process_time() - started) * 1000 / repeat


def run() -> None:
    from django.core.paginator import Paginator
    from django.db.models import Count

    from hifazat.campaigns import coverage, selectors
    from hifazat.core import disclosure
    from hifazat.people.models import Vulnerability

    rng = random.Random(SEED)
    campaign, actors = build(rng)
    size = f"{PEOPLE:,} people, {ATTENDANCES:,} attendance records"

    baseline = measure(
        lambda: list(
            Vulnerability.objects.filter(group__in=GROUPS).values("group").annotate(n=Count("person_id"))
        ),
        repeat=REPEAT,
    )

    def figures():
        return coverage.shown(coverage.campaign_figures(campaign), policy=disclosure.EXACT)

    result = figures()
    page = measure(figures, repeat=REPEAT)
    report(
        "campaign page figures (coverage, where next, knowledge)",
        page,
        baseline,
        size=f"{size}; {result['total'].registered} registered, {result['total'].reached} reached; "
        f"CPU {cpu_ms(figures):.0f} ms a run; target p95 < 300 ms",
    )

    def gaps():
        listed = Paginator(selectors.gap_list(actors["caseworker"], campaign), 25).page(1)
        return listed.paginator.count, list(listed.object_list)

    count, _rows = gaps()
    report(
        "gap list, first page of 25 and the count",
        measure(gaps, repeat=20),
        baseline,
        size=f"{count:,} not reached, highest risk first; CPU {cpu_ms(gaps):.0f} ms a run",
    )
    report("  baseline: people per target group (one indexed aggregate)", baseline)
