"""Monitoring benchmarks, at 100,000 reports naming 300,000 traces on SQLite.

1. Linking from scratch (``monitoring.linking.relink_network``): every trace of every report normalised (phone
   numbers in their Pakistani forms, plates, names in two scripts, agencies, destinations), the entities written,
   300,000 mentions written, the clusters found by union-find and written back. Target: under 60 s.
   Baseline, in the same run: writing the same 300,000 mention rows alone, ids already known (the floor of any
   from-scratch linking).
2. One new report (``linking.link_report`` and ``rules.check_report``): its mentions, the union of its cluster
   with the clusters it touches, and every alert rule (shared traces within 30 days across sites, the rise at its
   site, registered people named), in one transaction. Target: p95 under 50 ms.
   Baseline, in the same run: saving the report row alone.

Traces follow what the network sees: most phone numbers, plates and names turn up once, and a pool of recurring
ones (recruiters, vans, agencies) turns up again and again, so clusters form, the largest of them large.
Reports are written with ``bulk_create``, not through the services, which would take an hour at this size.
On a shared machine the wall-clock figures carry the other work's load: the CPU time of this process (SQLite runs
in it) and the load average are printed beside them.
"""

from __future__ import annotations

import datetime
import random
import time
from itertools import count

from bench.timing import measure, report
from hifazat.demo.names import FAMILY, MALE

REPORTS = 100_000
MENTIONS_PER_REPORT = 3
NEW_REPORTS = 200
SITES = 20
SEED = 2005
START = datetime.date(2005, 10, 15)
DAYS = 730
KINDS = ["offer_work", "offer_education", "offer_marriage", "recruiter_seen", "missing_person", "other"]
CITIES = [
    "Lahore",
    "Karachi",
    "Faisalabad",
    "Rawalpindi",
    "Islamabad",
    "Dubai",
    "Peshawar",
    "Multan",
    "Quetta",
]
AGENCIES = [
    "Al-Noor",
    "Madina",
    "Khyber",
    "Crescent",
    "Falcon",
    "Star",
    "Hazara",
    "Indus",
    "Sitara",
    "Paradise",
]


class Traces:
    """Written traces as reporters write them, from a recurring pool or once only."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.phones = [f"3{rng.choice('0134')}{rng.randrange(10**7, 10**8)}" for _ in range(2_000)]
        self.plates = [
            f"{rng.choice(['LEA', 'LES', 'RIK', 'ICT', 'PRL', 'MN'])}{rng.randrange(100, 9999)}"
            for _ in range(1_500)
        ]
        self.names = [f"{rng.choice(MALE)[0]} {rng.choice(FAMILY)[0]}" for _ in range(1_500)]
        self.unique = count(1)

    def phone(self) -> str:
        digits = (
            self.rng.choice(self.phones)
            if self.rng.random() < 0.4
            else f"3{self.rng.randrange(10**9, 10**10 - 1)}"[:10]
        )
        form = self.rng.randrange(5)
        return [
            f"0{digits[:3]}-{digits[3:]}",
            f"0{digits[:3]} {digits[3:]}",
            f"+92 {digits[:3]} {digits[3:]}",
            f"92{digits}",
            f"0092{digits}",
        ][form]

    def plate(self) -> str:
        if self.rng.random() < 0.4:
            plate = self.rng.choice(self.plates)
        else:
            plate = f"{self.rng.choice(['LEB', 'ISB', 'KHI', 'ABT'])}{next(self.unique) % 100_000}"
        letters = plate.rstrip("0123456789")
        return (
            f"{letters}-{plate[len(letters) :]}"
            if self.rng.random() < 0.5
            else f"{letters.lower()} {plate[len(letters) :]}"
        )

    def name(self) -> str:
        if self.rng.random() < 0.4:
            return self.rng.choice(self.names)
        first, family = self.rng.choice(MALE)[0], self.rng.choice(FAMILY)[0]
        return f"{first} {family} {next(self.unique)}"  # a nickname number makes it another person

    def employer(self) -> str:
        return f"{self.rng.choice(AGENCIES)} {self.rng.choice(['Overseas', 'Domestic', 'Manpower'])} Services"

    def destination(self) -> str:
        return self.rng.choice(CITIES)

    def draw(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for _ in range(MENTIONS_PER_REPORT):
            kind = self.rng.choices(
                ["phone", "plate", "name", "employer", "destination"], weights=[35, 15, 25, 10, 15]
            )[0]
            out.setdefault(kind, []).append(getattr(self, kind)())
        return out


def build(rng: random.Random):
    from hifazat.accounts.models import Membership, Organisation, User
    from hifazat.core.audit import Actor
    from hifazat.geography.models import AdminArea, Site
    from hifazat.monitoring.models import Report, Reporter

    started = time.perf_counter()
    network = Organisation.objects.create(name="Bench network", short_name="BN", org_type="NGO")
    user = User.objects.create(username="bench-monitoring-focal-point")
    Membership.objects.create(user=user, organisation=network, role="monitoring_focal_point")
    reporter = Reporter.objects.create(user=user, network=network, organisation=network, kind="aid_worker")
    country, _ = AdminArea.objects.get_or_create(pcode="PK", defaults={"name": "Pakistan", "level": 0})
    province = AdminArea.objects.create(pcode="PKM1", name="Bench province", level=1, parent=country)
    district = AdminArea.objects.create(pcode="PKM101", name="Bench district", level=2, parent=province)
    sites = [
        Site.objects.create(code=f"BM{i:03d}", name=f"Bench camp {i}", site_type="relief_camp", area=district)
        for i in range(SITES)
    ]
    traces = Traces(rng)
    reports = []
    for index in range(REPORTS):
        day = START + datetime.timedelta(days=rng.randrange(DAYS))
        reports.append(
            Report(
                network=network,
                number=f"BN-R-{day.year}-{index + 1:06d}",
                reporter=reporter,
                kind=rng.choice(KINDS),
                occurred_on=day,
                site=rng.choice(sites),
                area=district,
                description="bench",
                traces=traces.draw(),
            )
        )
    Report.objects.bulk_create(reports, batch_size=2000)
    print(f"reports built in {time.perf_counter() - started:.1f} s ({REPORTS:,} reports)", flush=True)
    return Actor.for_user(user), network, sites, traces


def run() -> None:
    import os

    from django.db import transaction

    from hifazat.monitoring import linking, rules
    from hifazat.monitoring.models import Mention, Report

    rng = random.Random(SEED)
    # The machine may be shared: the load says how far wall-clock figures are from an idle machine's.
    print(f"load average at the start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    actor, network, sites, traces = build(rng)

    cpu = time.process_time()
    with transaction.atomic():
        result = linking.relink_network(network.pk)
    cpu = time.process_time() - cpu
    print(
        f"{'link all from scratch':<48} {result.seconds:7.1f} s  (CPU {cpu:.1f} s)  [{result.reports:,} reports, "
        f"{result.mentions:,} mentions, {result.entities:,} entities, {result.clusters:,} clusters, "
        f"largest {result.largest:,}]",
        flush=True,
    )
    rows = list(
        Mention.objects.filter(report__network=network).values_list("report_id", "entity_id", "written")
    )
    started, cpu_started = time.perf_counter(), time.process_time()
    with transaction.atomic():
        Mention.objects.all().delete()
        Mention.objects.bulk_create(
            [Mention(report_id=r, entity_id=e, written=w) for r, e, w in rows], batch_size=5000
        )
    floor, floor_cpu = time.perf_counter() - started, time.process_time() - cpu_started
    print(
        f"{'  baseline: write the 300,000 mention rows alone':<48} {floor:7.1f} s  (CPU {floor_cpu:.1f} s)  "
        f"ratio {result.seconds / floor:5.2f}",
        flush=True,
    )

    numbers = count(REPORTS + 1)

    def new_report() -> Report:
        day = START + datetime.timedelta(days=rng.randrange(DAYS))
        return Report.objects.create(
            network=network,
            number=f"BN-R-{day.year}-{next(numbers):06d}",
            reporter_id=actor.user.reporter_profile.pk,
            kind=rng.choice(KINDS),
            occurred_on=day,
            site=rng.choice(sites),
            description="bench",
            traces=traces.draw(),
        )

    baseline = measure(new_report, repeat=NEW_REPORTS)
    pending = [new_report() for _ in range(NEW_REPORTS + 3)]
    alerts = []

    def link_and_check() -> None:
        target = pending.pop()
        with transaction.atomic():
            linking.link_report(target)
            alerts.append(len(rules.check_report(actor, target)))

    cpu_samples: list[float] = []

    def timed_link_and_check() -> None:
        started = time.process_time()
        link_and_check()
        cpu_samples.append((time.process_time() - started) * 1000)

    figures = measure(timed_link_and_check, repeat=NEW_REPORTS)
    cpu_samples = sorted(cpu_samples[3:])  # without the warm-up
    report(
        "link and check alerts for one new report",
        figures,
        baseline,
        size=f"{REPORTS:,} reports; {NEW_REPORTS} new, {sum(1 for a in alerts if a)} of them in an alert",
    )
    report("  baseline: save the report row alone", baseline)
    print(
        f"{'  the same, CPU time of this process':<48} p50 {cpu_samples[len(cpu_samples) // 2]:7.2f} ms  "
        f"p95 {cpu_samples[max(0, int(len(cpu_samples) * 0.95) - 1)]:7.2f} ms",
        flush=True,
    )
    print(f"load average at the end: {os.getloadavg()[0]:.1f}", flush=True)
