"""Donor report benchmark: the time to make a donor report PDF for a large campaign, in English and in Urdu.

The campaign: 48 camps in 12 districts, six target groups, 60,000 registered people (about 40% in a target group),
600 sessions with 24,000 attendance records, text-message files handed over to 6,000 people (two thirds of them
confirmed delivered), leaflets given out at every camp. Its Urdu report runs to several pages: twelve districts,
72 rows of district and group, knowledge by group and district.

Measured, each as one user asks for it (``reporting.donor.donor_report``: figures, HTML, PDF, audit entry):

1. The first PDF a fresh process makes (loads the fonts once: about two seconds of it).
2. Later PDFs, English and Urdu. Target: under 5 s.

Baseline, in the same run: the report's HTML alone (the same figures and template, no PDF), so the ratio says what
the PDF itself costs.
"""

from __future__ import annotations

import datetime
import random
import time

from bench.bench_campaigns import write_attendance
from bench.timing import measure, report

PEOPLE = 60_000
DISTRICTS = 12
SITES_PER_DISTRICT = 4
SESSIONS = 600
ATTENDANCES = 24_000
SMS = 6_000
SEED = 2005
REPEAT = 5
GROUPS = [
    "separated_or_widowed_woman",
    "widowed_single_parent",
    "at_risk_child",
    "child_headed_household",
    "female_headed_household",
    "older_person_alone",
]


def build(rng: random.Random):
    from django.utils import timezone

    from hifazat.accounts.models import Membership, Organisation, User
    from hifazat.campaigns.models import (
        Attendance,
        Campaign,
        Distribution,
        KeyMessage,
        Material,
        MessageExport,
        Reach,
        Session,
    )
    from hifazat.core.audit import Actor
    from hifazat.core.jobs import job_create
    from hifazat.geography.models import AdminArea, Site
    from hifazat.people.models import Household, Person, Vulnerability

    started = time.perf_counter()
    org = Organisation.objects.create(name="Bench donor reports", org_type="NGO", hosts_system=True)
    funder = Organisation.objects.create(name="Government of Japan", org_type="Donor")
    coordinator = User.objects.create(username="bench-donor-coordinator")
    Membership.objects.create(user=coordinator, organisation=org, role="campaign_coordinator")
    donor = User.objects.create(username="bench-donor")
    Membership.objects.create(user=donor, organisation=funder, role="donor_viewer")
    country, _ = AdminArea.objects.get_or_create(pcode="PK", defaults={"name": "Pakistan", "level": 0})
    province = AdminArea.objects.create(pcode="PKD1", name="Bench province D", level=1, parent=country)
    sites = []
    for d in range(DISTRICTS):
        district = AdminArea.objects.create(
            pcode=f"PKD1{d:02d}", name=f"District {d}", name_ur=f"ضلع {d}", level=2, parent=province
        )
        for s in range(SITES_PER_DISTRICT):
            sites.append(
                Site.objects.create(
                    code=f"BD{d:02d}{s}", name=f"Camp {d}-{s}", site_type="relief_camp", area=district
                )
            )
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
            gender="Feminine" if rng.random() < 0.55 else "Masculine",
            birth_year=1950 + i % 55,
        )
        for i in range(PEOPLE)
    ]
    Person.objects.bulk_create(people, batch_size=5000)
    in_groups, rows = [], []
    for person in people:
        if rng.random() < 0.4:
            groups = {rng.choice(GROUPS)}
            if rng.random() < 0.2:
                groups.add(rng.choice(GROUPS))
            rows.extend(Vulnerability(person=person, group=g, source="rule", reason="bench") for g in groups)
            in_groups.append(person)
    Vulnerability.objects.bulk_create(rows, batch_size=5000)

    start = datetime.date(2006, 1, 10)
    campaign = Campaign.objects.create(
        organisation=org,
        funder=funder,
        name="Bench campaign",
        objective="bench",
        starts_on=start,
        ends_on=datetime.date(2006, 6, 30),
        target_groups=GROUPS,
        status="active",
        launched_on=start,
        launch_site=sites[0],
    )
    campaign.sites.set(sites)
    sessions = [
        Session(
            campaign=campaign,
            site=rng.choice(sites),
            held_on=start + datetime.timedelta(days=i % 150),
            facilitator=org,
            target_group=rng.choice(GROUPS),
            female_18_59=rng.randrange(20, 60),
            female_0_17=rng.randrange(0, 15),
            male_18_59=rng.randrange(0, 10),
            check_max_score=5,
        )
        for i in range(SESSIONS)
    ]
    Session.objects.bulk_create(sessions)
    attendances, seen = [], set()
    for i in range(ATTENDANCES):
        session = sessions[i % SESSIONS]
        person = rng.choice(in_groups) if rng.random() < 0.85 else None
        if person is not None and (session.pk, person.pk) in seen:
            person = None
        seen.add((session.pk, getattr(person, "pk", None)))
        pre = rng.randrange(0, 4)
        attendances.append(
            Attendance(
                session=session, person=person, pre_score=pre, post_score=min(5, pre + rng.randrange(0, 3))
            )
        )
    write_attendance(campaign, attendances)
    message = KeyMessage.objects.create(campaign=campaign, title="Ask first", topic="what_to_do")
    handed_on = datetime.datetime(2006, 3, 1, 10, tzinfo=timezone.get_current_timezone())
    export = MessageExport.objects.create(
        campaign=campaign,
        organisation=org,
        message=message,
        target_group=GROUPS[0],
        fallback_language="urd",
        job=job_create(actor=Actor.for_user(coordinator), kind="campaigns.audience_export"),
        recipients=SMS,
        created_by=coordinator,
        downloaded_at=handed_on,
        downloaded_by=coordinator,
    )
    texted = rng.sample(in_groups, k=SMS)
    Reach.objects.bulk_create(
        [
            Reach(
                campaign=campaign,
                person=person,
                via="sms",
                site_id=person.household.site_id,
                reached_on=handed_on.date(),
                confirmed_on=handed_on.date() if rng.random() < 0.66 else None,
                export=export,
            )
            for person in texted
        ],
        batch_size=5000,
    )
    leaflet = Material.objects.create(
        campaign=campaign, kind="leaflet", title="Leaflet", language="urd", print_run=50_000
    )
    Distribution.objects.bulk_create(
        [
            Distribution(
                material=leaflet,
                site=site,
                distributed_on=start + datetime.timedelta(days=rng.randrange(0, 150)),
                quantity=rng.randrange(100, 800),
                organisation=org,
            )
            for site in sites
        ]
    )
    print(
        f"campaign built in {time.perf_counter() - started:.1f} s ({PEOPLE:,} people, {len(in_groups):,} in a target "
        f"group, {len(sites)} camps in {DISTRICTS} districts, {len(GROUPS)} groups, {SESSIONS} sessions, "
        f"{len(attendances):,} attendance records, {SMS:,} text messages handed over)",
        flush=True,
    )
    return campaign, Actor.for_user(donor)


def cpu_ms(function, repeat: int = 2) -> float:
    """Processor time of one run, in milliseconds (the database and WeasyPrint's Pango work in this process): on
    a machine shared with other work, what the wall-clock figures would be on a quiet one."""
    started = time.process_time()
    for _ in range(repeat):
        function()
    return (time.process_time() - started) * 1000 / repeat


def run() -> None:
    from django.utils import translation

    from hifazat.reporting import donor

    campaign, actor = build(random.Random(SEED))
    period = donor.Period.of_months(datetime.date(2006, 1, 1), datetime.date(2006, 6, 1))

    def pdf(language: str):
        return donor.donor_report(
            actor=actor, kind="campaign", record=campaign, period=period, language=language
        )

    def html(language: str):
        with translation.override(language):
            return donor.report_html("campaign", campaign, period, language=language)

    started = time.perf_counter()
    first = pdf("ur")
    cold = (time.perf_counter() - started) * 1000
    print(
        f"{'first Urdu PDF of the process (fonts loaded once)':<48} {cold:9.0f} ms  [{first.pages} pages, "
        f"{len(first.content) / 1024:.0f} KiB]",
        flush=True,
    )
    for language in ("en", "ur"):
        baseline = measure(lambda language=language: html(language), repeat=REPEAT, warmup=1)
        figures = measure(lambda language=language: pdf(language), repeat=REPEAT, warmup=1)
        pages = pdf(language).pages
        report(
            f"donor report PDF, {'Urdu' if language == 'ur' else 'English'}",
            figures,
            baseline,
            size=f"{pages} pages; CPU {cpu_ms(lambda language=language: pdf(language)):.0f} ms a run; "
            f"target p95 < 5,000 ms: {'met' if figures['p95'] < 5000 else 'NOT met'}",
        )
        report(f"  baseline: the same report's HTML alone ({language})", baseline)
