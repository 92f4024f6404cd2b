"""Spreadsheet import of households and people (``intake.sheet_services``), at 100,000 registered people on SQLite.

1. Speed: a 10,000-row CSV file checked (the dry run), then committed: every row checked again through the
   registration form and the registration service's checks, then households, people, consent, match keys,
   vulnerability groups and audit written, and the duplicate scans queued. Target: at least 5,000 rows per second
   for the commit. About 2% of the rows are re-registrations of registered people under other spellings (their
   keys collide with the registry's). Then the same file again: nothing new.
2. Memory: the dry run of a 20,000-row file and of a 200,000-row file, each in a fresh process (so that the
   registry this benchmark builds in memory does not hide the import's own), for an organisation of its own,
   side by side while the registry is built; peak resident memory of each. Target: flat, the 200,000-row peak
   under 1.25 times the 20,000-row peak (for ten times the rows).

Baseline, in the same run: registering people one by one through ``people.services.person_register`` (with
households), the path the registration page takes. The registry is built as ``bench_people`` builds it
(``bulk_create`` of valid rows and their match keys). The duplicate scans are queued on the database task backend
(their work is the background worker's, as at registration), not run inline.
"""

from __future__ import annotations

import csv
import gc
import os
import random
import tempfile
import time
from pathlib import Path

SEED = 2013
SPEED_ROWS = 10_000
SMALL_ROWS = 20_000
LARGE_ROWS = 200_000
TARGET_ROWS_PER_SECOND = 5_000
BASELINE_PEOPLE = 300
DUPLICATE_SHARE = 0.02


def write_file(
    path: Path, rows: int, rng: random.Random, registered: list[tuple], site_codes: list[str]
) -> None:
    """A CSV file of ``rows`` people in households of 1 to 8, written row by row (never held in memory)."""
    from hifazat.demo.names import FEMALE
    from hifazat.intake.sheets import PersonSheet
    from hifazat.matching.synthetic import family_name, male_name, spell

    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(PersonSheet.columns)
        written = household = 0
        while written < rows:
            household += 1
            key, site, shelter = f"HH-{household}", rng.choice(site_codes), f"T-{household}"
            family, father = family_name(rng), male_name(rng)
            size = min(rng.choice([1, 2, 3, 4, 4, 5, 5, 6, 6, 7, 8]), rows - written)
            for member in range(size):
                role = "head" if member == 0 else ("spouse" if member == 1 else "child")
                male = rng.random() < (0.8 if role == "head" else 0.5 if role == "child" else 0.2)
                given = male_name(rng) if male else rng.choice(FEMALE)
                second = family
                age = rng.randint(22, 75) if role != "child" else rng.randint(0, 17)
                parentage = ("son_of" if male else "daughter_of", father[0], father[1])
                if rng.random() < DUPLICATE_SHARE and registered:
                    # A re-registration of a registered person, as another registrar writes it.
                    first, last, parent_word, parent, year, gender = rng.choice(registered)
                    given, second = (spell(rng, first), ""), (spell(rng, last), "")
                    parentage = (parent_word, spell(rng, parent) if parent else "", "")
                    age, male = 2026 - year, gender == "Masculine"
                child = age < 18
                row = {
                    "household_key": key,
                    "first_name": given[0],
                    "second_name": second[0],
                    "first_name_ur": given[1],
                    "second_name_ur": second[1],
                    "parentage_word": parentage[0],
                    "parentage_name": parentage[1],
                    "parentage_name_ur": parentage[2],
                    "gender": "Masculine" if male else "Feminine",
                    "age_years": str(age),
                    "marital_status": "Married" if role == "spouse" else "",
                    "relationship_to_head": role,
                    "phone": f"0300{rng.randrange(10**7):07d}"
                    if role == "head" and rng.random() < 0.5
                    else "",
                    "site_code": site,
                    "shelter_number": shelter,
                    "consent": "yes",
                    "consent_given_by": "caregiver" if child else "self",
                    "consent_given_by_name": f"{father[0]} {family[0]}" if child else "",
                    "child_view": "agrees" if child else "",
                }
                writer.writerow([row.get(column, "") for column in PersonSheet.columns])
                written += 1


def run_import(actor, path: Path, *, commit: bool):
    from django.db import transaction

    from hifazat.intake.sheet_services import SheetImport

    started = time.perf_counter()
    with path.open("rb") as binary:
        if commit:
            with transaction.atomic():
                outcome = SheetImport(actor=actor, commit=True).run(binary, xlsx=False)
        else:
            outcome = SheetImport(actor=actor, commit=False).run(binary, xlsx=False)
    seconds = time.perf_counter() - started
    if outcome.errors:
        raise SystemExit(f"the benchmark file has errors: {[e.as_dict() for e in outcome.errors[:5]]}")
    return outcome, seconds


def memory_child(path: str, username: str) -> None:
    """In a fresh process: the dry run of one file; the process's resident memory before it and its peak
    resident memory after it (in MB). A fresh process, so that the registry built by the benchmark does not hide
    what the import itself takes."""
    import resource

    import django

    django.setup()
    from hifazat.accounts.models import User
    from hifazat.core.audit import Actor

    actor = Actor.for_user(User.objects.get(username=username))
    from hifazat.intake import sheet_services  # noqa: F401  (imported before the first figure)

    with open("/proc/self/statm") as statm:  # resident pages now, before the run
        before = int(statm.read().split()[1]) * resource.getpagesize() / 1024 / 1024
    outcome, seconds = run_import(actor, Path(path), commit=False)
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{before:.1f} {after:.1f} {outcome.rows} {seconds:.1f}")


def start_memory(paths: list[Path], username: str) -> list:
    """Each file's dry run in its own process, side by side (the figures are each process's own)."""
    import subprocess
    import sys

    code = "import sys; from bench.bench_intake_import import memory_child; memory_child(sys.argv[1], sys.argv[2])"
    return [
        subprocess.Popen([sys.executable, "-c", code, str(path), username], stdout=subprocess.PIPE, text=True)
        for path in paths
    ]


def finish_memory(children: list) -> list[tuple[float, float, int, float]]:
    figures = []
    for child in children:
        out, _ = child.communicate()
        if child.returncode:
            raise SystemExit("a memory measurement failed")
        before, after, rows, seconds = out.split()[-4:]
        figures.append((float(before), float(after), int(rows), float(seconds)))
    return figures


def baseline_one_by_one(actor, site, rng: random.Random) -> float:
    """People per second registered through ``person_register`` one by one (households of five)."""
    from django.db import transaction

    from hifazat.people import services

    started = time.perf_counter()
    with transaction.atomic():
        household = None
        for index in range(BASELINE_PEOPLE):
            if index % 5 == 0:
                household = services.household_register(actor=actor, site=site, shelter_number=f"B-{index}")
            services.person_register(
                actor=actor,
                household=household,
                first_name=f"Baseline{index}",
                second_name="Khan",
                gender="Masculine",
                age_years=rng.randint(20, 60),
                relationship_to_head="head" if index % 5 == 0 else "sibling",
            )
    return BASELINE_PEOPLE / (time.perf_counter() - started)


def memory_organisation() -> tuple[str, list[str]]:
    """An organisation of its own (a supervisor, four sites) for the memory runs, which start before the
    registry is built."""
    from hifazat.accounts.models import Membership, Organisation, User
    from hifazat.geography.models import AdminArea, Site

    org = Organisation.objects.create(name="Bench memory", org_type="NGO")
    user = User.objects.create(username="bench-memory-supervisor")
    Membership.objects.create(user=user, organisation=org, role="supervisor")
    country, _ = AdminArea.objects.get_or_create(pcode="PK", defaults={"name": "Pakistan", "level": 0})
    province = AdminArea.objects.create(pcode="PKM1", name="Memory province", level=1, parent=country)
    district = AdminArea.objects.create(pcode="PKM101", name="Memory district", level=2, parent=province)
    codes = [f"BM{i:03d}" for i in range(4)]
    for code in codes:
        Site.objects.create(code=code, name=f"Memory camp {code}", site_type="relief_camp", area=district)
    return user.username, codes


def run() -> None:
    from django.test import override_settings

    from bench.bench_people import build

    started = time.perf_counter()
    folder = Path(tempfile.mkdtemp(prefix="hifazat-bench-intake-"))
    speed, small, large = folder / "speed.csv", folder / "small.csv", folder / "large.csv"
    # The memory runs go first, each in its own process, side by side with the building of the registry.
    username, memory_sites = memory_organisation()
    write_file(small, SMALL_ROWS, random.Random(SEED + 1), [], memory_sites)
    write_file(large, LARGE_ROWS, random.Random(SEED + 1), [], memory_sites)
    children = start_memory([small, large], username)
    print(
        f"memory files written ({small.stat().st_size / 1e6:.1f} and {large.stat().st_size / 1e6:.1f} MB), "
        f"their dry runs started, {time.perf_counter() - started:.0f} s after the start",
        flush=True,
    )

    rng = random.Random(SEED)
    actor, people, sites = build(rng)
    registered = [
        (p.first_name, p.second_name, p.parentage_word, p.parentage_name, p.birth_year, p.gender)
        for p in rng.sample(people, min(5000, len(people)))
    ]
    site_codes = [s.code for s in sites]
    del people
    gc.collect()
    write_file(speed, SPEED_ROWS, rng, registered, site_codes)
    memory = finish_memory(children)  # before timing the import: the machine has two cores
    print(f"memory runs done, {time.perf_counter() - started:.0f} s after the start", flush=True)
    # The duplicate scans go to the database queue, as in production; the immediate backend of the test
    # settings would run every scan inside the import.
    tasks = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    with override_settings(TASKS=tasks):
        baseline = baseline_one_by_one(actor, sites[0], rng)
        checked, check_seconds = run_import(actor, speed, commit=False)
        committed, commit_seconds = run_import(actor, speed, commit=True)
        again, again_seconds = run_import(actor, speed, commit=False)
    from django_tasks_db.models import DBTaskResult

    from hifazat.people.models import Person

    rate = committed.rows / commit_seconds
    print(
        f"registry {Person.objects.count():,} people after the import; {DBTaskResult.objects.count():,} "
        f"duplicate-scan tasks queued",
        flush=True,
    )
    print(f"dry run, {checked.rows:,} rows{'':<40} {checked.rows / check_seconds:8,.0f} rows/s", flush=True)
    print(
        f"commit, {committed.rows:,} rows ({committed.new:,} new, {committed.households:,} households)"
        f"  {rate:8,.0f} rows/s  target >= {TARGET_ROWS_PER_SECOND:,}: "
        f"{'MET' if rate >= TARGET_ROWS_PER_SECOND else 'NOT MET'}",
        flush=True,
    )
    print(
        f"the same file again (dry run): {again.new} new, {again.skipped:,} skipped  "
        f"{again.rows / again_seconds:8,.0f} rows/s  {'MET' if again.new == 0 else 'NOT MET'} (nothing new)",
        flush=True,
    )
    (small_before, small_peak, small_rows, _), (large_before, large_peak, large_rows, large_seconds) = memory
    growth_small, growth_large = small_peak - small_before, large_peak - large_before
    flat = large_peak < 1.25 * small_peak
    print(
        f"dry run in a fresh process (an organisation with no registry yet), peak RSS: {small_rows:,} rows {small_peak:.0f} MB (+{growth_small:.0f} MB "
        f"over the process before the run), {large_rows:,} rows {large_peak:.0f} MB (+{growth_large:.0f} MB; "
        f"{large_rows / large_seconds:,.0f} rows/s); ratio {large_peak / small_peak:.2f}, target < 1.25 "
        f"(flat): {'MET' if flat else 'NOT MET'}",
        flush=True,
    )
    print(
        f"baseline: person_register one by one {baseline:,.0f} people/s; ratio of the import's commit to it "
        f"{rate / baseline:.1f}",
        flush=True,
    )
    print(f"[bench_intake_import: {time.perf_counter() - started:.0f} s]")
    for path in (speed, small, large):
        os.unlink(path)
