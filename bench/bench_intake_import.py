"""Spreadsheet import of households and people (``intake.sheet_services``), at 100,000 registered people (SQLite
by default; the database of ``DATABASE_URL`` when set).

1. Speed: a 10,000-row CSV file checked (the dry run), then committed: every row checked again through the
   registration form and the registration service's checks, then households, people, consent, match keys,
   vulnerability groups and audit written, and the duplicate scans queued. Target: at least 5,000 rows per second
   for the commit. About 2% of the rows are re-registrations of registered people under other spellings (their
   keys collide with the registry's). Then the same file again: nothing new. Beside each rate, the rate per
   second of this process's CPU time (on a machine shared with other work, the wall clock also counts the time
   the process waited for a core; on PostgreSQL the server's work is not in this process's CPU time).
2. Memory: a 20,000-row file and a 200,000-row file, each imported in a fresh process (so that the registry this
   benchmark builds in memory does not hide the import's own) for an organisation of its own: the dry run, then
   the commit in one transaction, rolled back afterwards (what is measured is the memory; the registry of the
   speed measurement stays at 100,000). Peak resident memory after each. Target: flat, the 200,000-row peak under
   1.25 times the 20,000-row peak (for ten times the rows). The runs go one after the other, after the registry
   is built (SQLite has one writer at a time).

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


def run_import(actor, path: Path, *, commit: bool, keep: bool = True):
    """One import of the file; returns the outcome, its wall seconds and this process's CPU seconds. ``keep``:
    whether the commit's transaction is kept or rolled back (as the memory runs do)."""
    from django.db import transaction

    from hifazat.intake.sheet_services import SheetImport

    class RolledBack(Exception):
        pass

    started, cpu = time.perf_counter(), time.process_time()
    with path.open("rb") as binary:
        if commit:
            try:
                with transaction.atomic():
                    outcome = SheetImport(actor=actor, commit=True).run(binary, xlsx=False)
                    if not keep:
                        raise RolledBack
            except RolledBack:
                pass
        else:
            outcome = SheetImport(actor=actor, commit=False).run(binary, xlsx=False)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    if outcome.errors:
        raise SystemExit(f"the benchmark file has errors: {[e.as_dict() for e in outcome.errors[:5]]}")
    return outcome, seconds, cpu


def peak_mb() -> float:
    """This process's peak resident memory so far (``VmHWM``), in MB. Not ``getrusage``'s ``ru_maxrss``: Linux
    carries it over from the parent through fork and exec, so a child started by a parent holding the registry
    would report the parent's peak."""
    return _status_mb("VmHWM")


def _status_mb(name: str) -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(name + ":"):
                return int(line.split()[1]) / 1024
    raise SystemExit(f"/proc/self/status has no {name}")


def memory_child(path: str, username: str) -> None:
    """In a fresh process: the dry run of one file, then its commit (rolled back); the process's resident
    memory before them, its peak after the dry run and after the commit (in MB), the rows, and the seconds of
    each. A fresh process, so that the registry built by the benchmark does not hide what the import takes."""
    import django

    django.setup()
    from django.test import override_settings

    from hifazat.accounts.models import User
    from hifazat.core.audit import Actor

    actor = Actor.for_user(User.objects.get(username=username))
    from hifazat.intake import sheet_services  # noqa: F401  (imported before the first figure)

    before = _status_mb("VmRSS")  # resident now, before the run
    tasks = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    with override_settings(TASKS=tasks):
        outcome, dry_seconds, _cpu = run_import(actor, Path(path), commit=False)
        after_dry = peak_mb()
        committed, commit_seconds, _cpu = run_import(actor, Path(path), commit=True, keep=False)
        after_commit = peak_mb()
    if committed.new != outcome.new or committed.new + committed.skipped != outcome.rows:
        raise SystemExit(f"the memory run registered {committed.new} of {outcome.rows} rows")
    print(
        f"{before:.1f} {after_dry:.1f} {after_commit:.1f} {outcome.rows} {dry_seconds:.1f} {commit_seconds:.1f}"
    )


def measure_memory(paths: list[Path], username: str) -> list[tuple[float, ...]]:
    """Each file's import in its own fresh process, one after the other."""
    import subprocess
    import sys

    code = "import sys; from bench.bench_intake_import import memory_child; memory_child(sys.argv[1], sys.argv[2])"
    figures = []
    for path in paths:
        child = subprocess.run(
            [sys.executable, "-c", code, str(path), username], stdout=subprocess.PIPE, text=True, check=False
        )
        if child.returncode:
            raise SystemExit("a memory measurement failed")
        before, dry, commit, rows, dry_seconds, commit_seconds = child.stdout.split()[-6:]
        figures.append(
            (float(before), float(dry), float(commit), int(rows), float(dry_seconds), float(commit_seconds))
        )
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
    username, memory_sites = memory_organisation()
    write_file(small, SMALL_ROWS, random.Random(SEED + 1), [], memory_sites)
    write_file(large, LARGE_ROWS, random.Random(SEED + 1), [], memory_sites)

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
    print(
        f"memory files written ({small.stat().st_size / 1e6:.1f} and {large.stat().st_size / 1e6:.1f} MB); "
        f"their imports start, {time.perf_counter() - started:.0f} s after the start",
        flush=True,
    )
    memory = measure_memory([small, large], username)  # before timing the import: the machine has two cores
    print(f"memory runs done, {time.perf_counter() - started:.0f} s after the start", flush=True)
    # The duplicate scans go to the database queue, as in production; the immediate backend of the test
    # settings would run every scan inside the import.
    tasks = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    with override_settings(TASKS=tasks):
        baseline_cpu = time.process_time()
        baseline = baseline_one_by_one(actor, sites[0], rng)
        baseline_cpu = BASELINE_PEOPLE / (time.process_time() - baseline_cpu)
        checked, check_seconds, check_cpu = run_import(actor, speed, commit=False)
        committed, commit_seconds, commit_cpu = run_import(actor, speed, commit=True)
        again, again_seconds, _cpu = run_import(actor, speed, commit=False)
    from django_tasks_db.models import DBTaskResult

    from hifazat.people.models import Person

    rate = committed.rows / commit_seconds
    print(
        f"registry {Person.objects.count():,} people after the import; {DBTaskResult.objects.count():,} "
        f"duplicate-scan tasks queued",
        flush=True,
    )
    print(
        f"dry run, {checked.rows:,} rows{'':<40} {checked.rows / check_seconds:8,.0f} rows/s "
        f"({checked.rows / check_cpu:,.0f} per CPU second)",
        flush=True,
    )
    print(
        f"commit, {committed.rows:,} rows ({committed.new:,} new, {committed.households:,} households)"
        f"  {rate:8,.0f} rows/s ({committed.rows / commit_cpu:,.0f} per CPU second)  "
        f"target >= {TARGET_ROWS_PER_SECOND:,}: {'MET' if rate >= TARGET_ROWS_PER_SECOND else 'NOT MET'}",
        flush=True,
    )
    print(
        f"the same file again (dry run): {again.new} new, {again.skipped:,} skipped  "
        f"{again.rows / again_seconds:8,.0f} rows/s  {'MET' if again.new == 0 else 'NOT MET'} (nothing new)",
        flush=True,
    )
    (s_before, s_dry, s_commit, s_rows, _, _), (l_before, l_dry, l_commit, l_rows, l_dry_s, l_commit_s) = (
        memory
    )
    flat = l_dry < 1.25 * s_dry and l_commit < 1.25 * s_commit
    print(
        f"import in a fresh process (an organisation with no registry yet), peak RSS after the dry run and after "
        f"the commit: {s_rows:,} rows {s_dry:.0f} and {s_commit:.0f} MB (+{s_commit - s_before:.0f} MB over the "
        f"process before the run); {l_rows:,} rows {l_dry:.0f} and {l_commit:.0f} MB (+{l_commit - l_before:.0f} "
        f"MB; {l_rows / l_dry_s:,.0f} rows/s checked, {l_rows / l_commit_s:,.0f} rows/s committed); ratios "
        f"{l_dry / s_dry:.2f} and {l_commit / s_commit:.2f}, target < 1.25 (flat): {'MET' if flat else 'NOT MET'}",
        flush=True,
    )
    print(
        f"baseline: person_register one by one {baseline:,.0f} people/s ({baseline_cpu:,.0f} per CPU second); "
        f"ratio of the import's commit to it {rate / baseline:.1f}",
        flush=True,
    )
    print(f"[bench_intake_import: {time.perf_counter() - started:.0f} s]")
    for path in (speed, small, large):
        os.unlink(path)
