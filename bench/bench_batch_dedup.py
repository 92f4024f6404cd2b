"""Batch de-duplication of a whole registry into the review queue, and the candidate lookups, at scale (issue 12).

On generated household registries whose true identities are known (``hifazat.matching.synthetic``), written with
their key table in bulk (``people.testing.write_synthetic_registry``):

1. **The same pairs as one at a time.** On a registry of QUALITY_PEOPLE, every registration is scanned one at a
   time as the queue's background scan does (``review_queue.duplicates_scan_person`` at the queue's threshold),
   then the same registry is de-duplicated at once (``people.batch_dedup.duplicates_batch``): the pairs, scores and
   reasons must be the same, and so their precision and recall against the truth. On the same data, the queue that
   the registration page's broad lookup would fill (``candidates_in`` without ``queue``, what the scan read before
   the queue had keys of its own), for comparison. Baseline: the one-at-a-time scan; the ratio is its time over
   the batch's.
2. **Scale.** A registry of PEOPLE (100,000 by default; ``BATCH_PEOPLE=1000000`` for the issue's size),
   de-duplicated in a separate process with BATCH_WORKERS processes comparing pairs: the time of each step, the
   peak memory of the whole process tree (proportional set size, sampled every 0.2 s, so that memory the
   processes share counts once) and the largest resident size of one process, the processor time; precision and
   recall of the queue against the truth. Target (issue 12): 1,000,000 people under 60 s and 3 GB on 2 cores.
3. **Lookups on that registry** (after the batch has filled the queue). A new registration's candidate lookup (``duplicate_candidates``, what the
   registration page shows) and a registered person's scan for the queue (``candidates_in(..., queue=True)``),
   for LOOKUPS registrations of registered people as another registrar writes them: p50 and p95, and how often the
   registered person is among the candidates (the page's: the five best, possible or likely). Target (issue 12): p95 under 50 ms at 1,000,000 people on
   PostgreSQL. Baseline: 25 people by exact ``name_key``.

``python -m bench batch_dedup`` (SQLite in a temporary folder); for PostgreSQL give an empty database in
``DATABASE_URL``. Sizes: ``BATCH_PEOPLE``, ``QUALITY_PEOPLE``, ``BATCH_WORKERS`` (default: the cores).
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import threading
import time
from dataclasses import replace
from itertools import cycle
from pathlib import Path

from bench.timing import measure, report
from hifazat.matching.synthetic import generate, spell

PEOPLE = int(os.environ.get("BATCH_PEOPLE", "100000"))
QUALITY_PEOPLE = int(os.environ.get("QUALITY_PEOPLE", "2000"))
LOOKUPS = 200
SEED = 2006
TARGET_SECONDS, TARGET_GB, TARGET_P95_MS = 60, 3.0, 50


def organisation(name: str):
    from hifazat.accounts.models import Membership, Organisation, User
    from hifazat.core.audit import Actor

    org = Organisation.objects.create(name=name, org_type="NGO", hosts_system=True)
    user = User.objects.create(username=f"{name.lower().replace(' ', '-')}-supervisor")
    Membership.objects.create(user=user, organisation=org, role="supervisor")
    return org, Actor.for_user(user)


def queue_of(org) -> dict[tuple[int, int], float]:
    from hifazat.people.models import DuplicateSuspicion

    rows = DuplicateSuspicion.objects.filter(organisation=org).values_list(
        "person_a_id", "person_b_id", "score"
    )
    return {(a, b): value for a, b, value in rows.iterator(chunk_size=20_000)}


def reasons_of(org) -> dict[tuple[int, int], list]:
    from hifazat.people.models import DuplicateSuspicion

    rows = DuplicateSuspicion.objects.filter(organisation=org).values_list(
        "person_a_id", "person_b_id", "reasons"
    )
    return {(a, b): reasons for a, b, reasons in rows}


def line(label: str, pairs, registry, index_of) -> float:
    """Print precision, recall and F1 of the queue's ``pairs`` (person ids) against the truth; return F1."""
    flagged = [(index_of[a], index_of[b]) for a, b in pairs]
    true = sum(1 for a, b in flagged if registry.identity[a] == registry.identity[b])
    total = len(registry.true_pairs())
    precision = true / len(flagged) if flagged else 0.0
    recall = true / total if total else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(
        f"  {label:<56} flagged {len(flagged):7,}  true {true:7,} of {total:7,}  precision {precision:5.3f}  "
        f"recall {recall:5.3f}  F1 {f1:5.3f}",
        flush=True,
    )
    return f1


def analyse() -> None:
    """On PostgreSQL, gather the planner's statistics as autovacuum does after a large load (this machine's
    server runs with autovacuum off); SQLite plans without any."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


# --- 1. The same pairs as one at a time ---------------------------------------------------------------------


def same_as_one_at_a_time() -> None:
    from hifazat.matching.scoring import LIKELY_FROM
    from hifazat.people.batch_dedup import LIMIT, duplicates_batch
    from hifazat.people.duplicates import POOL, candidates_in, clear_cache, record_for
    from hifazat.people.models import DuplicateSuspicion, Person
    from hifazat.people.review_queue import duplicates_scan_person
    from hifazat.people.testing import write_synthetic_registry

    registry = generate(QUALITY_PEOPLE, seed=SEED)
    org, _ = organisation("Bench batch quality")
    ids = write_synthetic_registry(org, registry, code="BQ")
    index_of = {pk: index for index, pk in enumerate(ids)}
    people = Person.objects.in_bulk(ids)
    clear_cache()
    print(
        f"1. the same pairs as one at a time: {QUALITY_PEOPLE:,} people, {len(ids):,} registrations, "
        f"{len(registry.true_pairs()):,} true pairs; the queue's threshold {LIKELY_FROM}, the best {LIMIT} "
        f"candidates of each scan",
        flush=True,
    )

    started = time.perf_counter()
    for pk in ids:
        duplicates_scan_person(people[pk], threshold=LIKELY_FROM)
    one_seconds = time.perf_counter() - started
    one = queue_of(org)
    reasons = reasons_of(org)
    DuplicateSuspicion.objects.filter(organisation=org).delete()

    started = time.perf_counter()
    duplicates_batch(organisation=org, threshold=LIKELY_FROM, workers=1)
    batch_seconds = time.perf_counter() - started
    batch = queue_of(org)
    same_reasons = reasons == reasons_of(org)
    print(
        f"  one at a time: {one_seconds:.1f} s ({1000 * one_seconds / len(ids):.1f} ms a person); at once: "
        f"{batch_seconds:.1f} s; ratio to baseline (one at a time / at once) {one_seconds / batch_seconds:5.1f}",
        flush=True,
    )
    verdict = "the same" if one == batch and same_reasons else "DIFFERENT"
    print(f"  pairs, scores and reasons of the two: {verdict} ({len(one):,} and {len(batch):,} pairs)")
    line("one at a time (the queue's scan)", one, registry, index_of)
    line("at once (batch de-duplication)", batch, registry, index_of)

    # The registration page's broad lookup as the queue's scan: each person's best candidates at the threshold.
    broad: dict[tuple[int, int], float] = {}
    started = time.perf_counter()
    queryset = Person.objects.filter(organisation=org, is_active=True, merged_into__isnull=True)
    for pk in ids:
        for candidate in candidates_in(queryset, record_for(people[pk]), exclude_pk=pk, limit=LIMIT):
            if candidate.match.score >= LIKELY_FROM:
                broad[tuple(sorted((pk, candidate.person.pk)))] = candidate.match.score
    line(
        f"the broad lookup as the queue ({time.perf_counter() - started:.0f} s one at a time)",
        broad,
        registry,
        index_of,
    )
    # Every candidate the queue's keys give, scored or not: the true pairs they miss no score can flag.
    compared = {
        tuple(sorted((pk, candidate.person.pk)))
        for pk in ids
        for candidate in candidates_in(
            queryset, record_for(people[pk]), exclude_pk=pk, limit=POOL, queue=True
        )
    }
    true = {tuple(sorted((ids[a], ids[b]))) for a, b in registry.true_pairs()}
    print(
        f"  true pairs among the candidates the queue's keys give: {len(compared & true):,} of {len(true):,} "
        f"({len(compared):,} pairs compared); bench_matching_quality reports the broad lookup's"
    )
    DuplicateSuspicion.objects.filter(organisation=org).delete()


# --- 2. Scale: the batch in its own process -----------------------------------------------------------------


def _tree(root: int) -> list[int]:
    """``root`` and every process descended from it."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(children.get(pid, []))
    return found


def _kilobytes(pid: int, field: str) -> int:
    try:
        for row in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if row.startswith(f"{field}:"):
                return int(row.split()[1])
    except OSError:
        pass
    return 0


class MemorySampler(threading.Thread):
    """The peak proportional set size of a process tree (memory shared by forked processes counted once), and
    of the largest resident size of one of its processes, sampled every 0.2 s."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak_pss, self.peak_rss, self.processes = pid, 0, 0, 1
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            tree = _tree(self.pid)
            self.processes = max(self.processes, len(tree))
            self.peak_pss = max(self.peak_pss, sum(_kilobytes(pid, "Pss") for pid in tree))
            self.peak_rss = max([self.peak_rss, *(_kilobytes(pid, "Rss") for pid in tree)])
            self.done.wait(0.2)


def at_scale(registry, org, ids) -> None:
    from hifazat.people.batch_dedup import default_workers

    workers = int(os.environ.get("BATCH_WORKERS", default_workers()))
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "bench.bench_batch_dedup", "child", str(org.pk), str(workers)],
        stdout=subprocess.PIPE,
        text=True,
    )
    sampler = MemorySampler(child.pid)
    sampler.start()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    sampler.done.set()
    sampler.join()
    output = child.stdout.read()
    child.stdout.close()
    if status:
        raise RuntimeError(f"the batch process failed: {output}")
    result = json.loads(output.strip().splitlines()[-1])
    gigabytes = sampler.peak_pss / 1024**2
    print(
        f"2. at scale: {PEOPLE:,} people ({len(ids):,} registrations), {workers} processes comparing pairs",
        flush=True,
    )
    print(
        f"  batch de-duplication: {seconds:.1f} s in all (a process of its own, Django started), "
        f"processor {usage.ru_utime + usage.ru_stime:.0f} s; [target < {TARGET_SECONDS} s: "
        f"{'MET' if seconds < TARGET_SECONDS else 'NOT MET'}]"
    )
    print("  steps: " + ", ".join(f"{step} {value} s" for step, value in result["seconds"].items()))
    print(
        f"  memory: peak {gigabytes:.2f} GB for the {sampler.processes} processes together (PSS), largest "
        f"process {sampler.peak_rss / 1024**2:.2f} GB resident; [target < {TARGET_GB} GB: "
        f"{'MET' if gigabytes < TARGET_GB else 'NOT MET'}]"
    )
    print(
        f"  {result['people']:,} people scanned, {result['candidates']:,} candidate pairs compared, "
        f"{result['queued']:,} pairs at the queue's threshold, {result['added']:,} added to the queue"
    )
    index_of = {pk: index for index, pk in enumerate(ids)}
    line("the queue after batch de-duplication", queue_of(org), registry, index_of)


def child(org_pk: int, workers: int) -> None:
    """The batch, in a process of its own (``python -m bench.bench_batch_dedup child <org> <workers>``)."""
    os.environ.setdefault("HIFAZAT_ENV", "test")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from hifazat.accounts.models import Organisation
    from hifazat.people.batch_dedup import duplicates_batch

    result = duplicates_batch(organisation=Organisation.objects.get(pk=org_pk), workers=workers)
    print(json.dumps(result.as_dict()), flush=True)


# --- 3. Lookups ------------------------------------------------------------------------------------------------


def again(rng: random.Random, record):
    """``record`` as another registrar writes it: other spellings, sometimes the other order or without the
    father's name, an estimated age instead of the date for half, at another site."""
    first, second = spell(rng, record.first_name), spell(rng, record.second_name)
    if rng.random() < 0.2 and second:
        first, second = second, first
    estimated = rng.random() < 0.5
    year = record.birth_year
    if year is not None and estimated:
        year += rng.choice([-2, -1, 0, 1, 2])
    return replace(
        record,
        first_name=first,
        second_name=second,
        parentage_name=spell(rng, record.parentage_name) if rng.random() < 0.75 else "",
        birth_year=year,
        birthdate=None if estimated else record.birthdate,
        birthdate_is_estimate=estimated or record.birthdate_is_estimate,
        site=None,
        origin_area=None,
        household=None,
        phone_index="",
        person=None,
    )


def lookups(org, actor, ids) -> None:
    from hifazat.matching.scoring import LIKELY_FROM, POSSIBLE_FROM
    from hifazat.people.duplicates import candidates_in, duplicate_candidates, record_for
    from hifazat.people.models import Person
    from hifazat.people.selectors import persons_visible_to

    rng = random.Random(SEED)
    sample = Person.objects.in_bulk(rng.sample(ids, LOOKUPS))
    people = list(sample.values())
    names = cycle([p.name_key for p in people])
    baseline = measure(lambda: list(Person.objects.filter(name_key=next(names))[:25]), repeat=LOOKUPS)

    registrations = cycle([(again(rng, record_for(p)), p.pk) for p in people])
    found = []

    def registration() -> None:
        # What the registration page asks (``candidates_for_registration``): the five best, possible or likely.
        record, original = next(registrations)
        shown = duplicate_candidates(actor, record, limit=5, threshold=POSSIBLE_FROM)
        found.append(any(c.person.pk == original for c in shown))

    figures = measure(registration, repeat=LOOKUPS)
    size = f"{PEOPLE:,} people"
    print(f"3. lookups among {size}", flush=True)
    report(
        "  a new registration's candidates (registration page)",
        figures,
        baseline,
        size=f"{size}; registered person among them {100 * sum(found[-LOOKUPS:]) / LOOKUPS:.0f}%",
    )
    print(f"  [target p95 < {TARGET_P95_MS} ms: {'MET' if figures['p95'] < TARGET_P95_MS else 'NOT MET'}]")
    visible = persons_visible_to(actor)
    scans = cycle([(record_for(p), p.pk) for p in people])

    def scan() -> None:
        record, pk = next(scans)
        candidates_in(visible, record, exclude_pk=pk, queue=True, threshold=LIKELY_FROM)

    report("  a registered person's scan for the queue", measure(scan, repeat=LOOKUPS), baseline, size=size)
    report("  baseline: 25 people by exact name_key (indexed)", baseline)


def run() -> None:
    from hifazat.people.testing import write_synthetic_registry

    same_as_one_at_a_time()
    started = time.perf_counter()
    registry = generate(PEOPLE, seed=SEED + 1)
    org, actor = organisation("Bench batch registry")
    ids = write_synthetic_registry(org, registry, code="BR", chunk=10_000)
    analyse()
    print(
        f"registry of {PEOPLE:,} people ({len(ids):,} registrations, {len(registry.true_pairs()):,} true pairs) "
        f"generated and written in {time.perf_counter() - started:.0f} s",
        flush=True,
    )
    at_scale(registry, org, ids)
    lookups(org, actor, ids)


if __name__ == "__main__":
    if sys.argv[1:2] == ["child"]:
        child(int(sys.argv[2]), int(sys.argv[3]))
    else:
        sys.exit(
            "usage: python -m bench batch_dedup (the batch's own process: ... child <organisation> <workers>)"
        )
