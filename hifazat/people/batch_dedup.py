"""Batch de-duplication of an organisation's registry, or of some of its people (an import), into the review queue.

The pairs are exactly those that scanning each person one at a time (``review_queue.duplicates_scan_person``)
would raise, with the same scores and reasons: the same key-table rows and ranking, the same scorer, the same
threshold and number of candidates per person (``matching.batch``, which this feeds and whose results it writes).
A whole registry is read in a few queries (its people, the key table's rows under the queue's keys, the name
counts, the queue as it stands) and its pairs written in bulk: a new pair is added open, an open pair's score and
reasons are brought up to date, a decided pair (merged, or not the same person) stays as it was, so that running
it again adds nothing. Only the organisation's active, unmerged people are paired.

It is long work: ``duplicates_batch_start`` records a ``core.models.Job`` and ``tasks.duplicates_batch_run`` does
it; ``hifazat duplicates_batch`` starts it from the command line.
"""

from __future__ import annotations

import operator
import os
import time
from collections import defaultdict
from collections.abc import Collection, Iterator
from dataclasses import asdict, dataclass, field
from functools import reduce

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from hifazat.accounts.models import Organisation
from hifazat.core.access import require
from hifazat.core.audit import Actor, audit
from hifazat.core.jobs import enqueue_on_commit, job_create, job_finish, job_start
from hifazat.core.models import AuditEntry, Job
from hifazat.matching.batch import Scoring, blocks_of, matches, queue_pairs, ranked_candidates
from hifazat.matching.blocking import QUEUE_KINDS, queue_lookup
from hifazat.matching.records import MatchRecord
from hifazat.matching.scoring import LIKELY_FROM, Match, NameFrequencies, member_of
from hifazat.people.duplicates import (
    POOL,
    RECORD_FIELDS,
    name_skeletons,
    record_of_values,
    weights_in_force,
)
from hifazat.people.models import DuplicateSuspicion, Person, PersonMatchKey

JOB_KIND = "people.duplicates_batch"
# How many candidates of each person the queue takes: the scan's (``candidates_in``'s default limit).
LIMIT = 10
# Rows read from the database at a time, and written in one statement.
CHUNK = 20_000
WRITE_BATCH = 2_000
# Keys named in one query: the rows of a few people's keys (an import's), and the name counts.
KEYS_PER_QUERY = 900
# The rows of the queue's kinds of key (``matching.blocking.QUEUE_KINDS``): what a whole registry's scans read.
QUEUE_ROWS = reduce(operator.or_, (Q(key__startswith=f"{kind}:") for kind in QUEUE_KINDS))


def default_workers() -> int:
    """The processes that compare pairs: one per core this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


@dataclass
class BatchResult:
    """What a run found and wrote: the people scanned, the distinct candidate pairs compared, the pairs at or
    above the threshold among each person's best ``LIMIT`` (``queued``), of which added, brought up to date,
    already up to date, and left alone as decided; and the seconds each step took."""

    people: int = 0
    candidates: int = 0
    queued: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    decided: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


def _rows(queryset: QuerySet, *fields: str) -> Iterator[tuple]:
    return queryset.values_list(*fields).iterator(chunk_size=CHUNK)


def registry_of(organisation: Organisation) -> QuerySet[Person]:
    """The people a run pairs: the organisation's active, unmerged people (what ``persons_visible_to`` gives
    its members, and the scan's scope)."""
    return Person.objects.filter(organisation=organisation, is_active=True, merged_into__isnull=True)


def _key_rows(organisation: Organisation, scanned: list[MatchRecord], whole: bool) -> dict[str, list]:
    """The key table's rows under the queue's keys of the people scanned: key → [(person id, birth year)]. For
    the whole registry, the rows of its people under the queue's keys (one query: people of other organisations
    under the same keys would be ranked and left out, which changes nothing); for a few people, every row under
    their keys (whose people are kept when in scope)."""
    rows: dict[str, list] = defaultdict(list)
    if whole:
        queries = [
            PersonMatchKey.objects.filter(
                QUEUE_ROWS,
                person__organisation=organisation,
                person__is_active=True,
                person__merged_into__isnull=True,
            )
        ]
    else:
        wanted = sorted({key for record in scanned for keys in queue_lookup(record) for key in keys})
        queries = [
            PersonMatchKey.objects.filter(key__in=wanted[start : start + KEYS_PER_QUERY])
            for start in range(0, len(wanted), KEYS_PER_QUERY)
        ]
    for queryset in queries:
        for person, key, year in _rows(queryset, "person_id", "key", "birth_year"):
            rows[key].append((person, year))
    return rows


def _frequencies(records: Collection[MatchRecord]) -> NameFrequencies:
    """The registry's counts of the names of ``records``, as the scan's ``registry_frequencies`` reads them (the
    people filed under each name's ``t:`` key, of all people), counted now."""
    keys = sorted({f"t:{found}" for record in records for found in name_skeletons(record)})
    counts: dict[str, int] = {}
    for start in range(0, len(keys), KEYS_PER_QUERY):
        counts.update(
            PersonMatchKey.objects.filter(key__in=keys[start : start + KEYS_PER_QUERY])
            .values("key")
            .annotate(people=Count("id"))
            .values_list("key", "people")
        )
    return NameFrequencies({key[2:]: people for key, people in counts.items()}, Person.objects.count())


def _records(registry: QuerySet[Person], ids: Collection[int] | None) -> dict[int, MatchRecord]:
    """The records of the registry's people (of those of ``ids`` among them), by id."""
    if ids is None:
        return {values[0]: record_of_values(values) for values in _rows(registry, *RECORD_FIELDS)}
    ordered, out = sorted(ids), {}
    for start in range(0, len(ordered), KEYS_PER_QUERY):
        chunk = registry.filter(pk__in=ordered[start : start + KEYS_PER_QUERY])
        out.update((values[0], record_of_values(values)) for values in _rows(chunk, *RECORD_FIELDS))
    return out


def _members(registry: QuerySet[Person], records: dict, households: set[int], whole: bool) -> dict:
    """The members of ``households`` among the registry, as the household comparison reads them (the scan's
    ``household_members``); from the records already read when they are the whole registry."""
    if whole:
        people = records.values()
    else:
        ordered, people = sorted(households), []
        for start in range(0, len(ordered), KEYS_PER_QUERY):
            chunk = registry.filter(household_id__in=ordered[start : start + KEYS_PER_QUERY])
            people.extend(record_of_values(values) for values in _rows(chunk, *RECORD_FIELDS))
    members = defaultdict(list)
    for record in people:
        if record.household in households:
            members[record.household].append(member_of(record))
    return {household: tuple(found) for household, found in members.items()}


def duplicates_batch(
    *,
    organisation: Organisation,
    person_ids: Collection[int] | None = None,
    threshold: float = LIKELY_FROM,
    limit: int = LIMIT,
    workers: int = 1,
    actor: Actor | None = None,
) -> BatchResult:
    """Scan every person of the organisation's registry (or those of ``person_ids`` among them) as
    ``duplicates_scan_person`` scans one, at once, and write the pairs to the review queue. ``workers``
    processes compare the pairs. The pairs added are stamped with ``actor``'s user. The whole registry is read
    at once; a few people (an import's) read only what their scans would read."""
    result, started = BatchResult(), time.perf_counter()

    def lap(name: str) -> None:
        nonlocal started
        now = time.perf_counter()
        result.seconds[name] = round(now - started, 2)
        started = now

    registry, whole = registry_of(organisation), person_ids is None
    records = _records(registry, None if whole else person_ids)
    scanned = [records[pk] for pk in sorted(records)]
    result.people = len(scanned)
    lap("read people")
    rows = _key_rows(organisation, scanned, whole)
    lap("read keys")
    if whole:
        visible = records.keys()
    else:
        found = {person for found in rows.values() for person, _ in found}
        records.update(_records(registry, found - records.keys()))
        visible = records.keys()
    blocks = blocks_of(rows)
    del rows
    pools = ranked_candidates(scanned, blocks, visible=visible, pool=POOL, workers=workers)
    del blocks
    involved = set(pools).union(*pools.values())
    result.candidates = len({(min(a, b), max(a, b)) for a, found in pools.items() for b in found})
    lap("find candidates")
    households = {records[pk].household for pk in involved if records[pk].household}
    scoring = Scoring(
        records,
        _members(registry, records, households, whole),
        weights_in_force(),
        _frequencies([records[pk] for pk in involved]),
    )
    lap("read households and name counts")
    scores = queue_pairs(pools, scoring, threshold=threshold, limit=limit, workers=workers)
    result.queued = len(scores)
    lap("compare pairs")
    explained = matches(sorted(scores), scoring, workers=workers)
    lap("explain pairs")
    _write(organisation, explained, result, actor)
    lap("write the queue")
    return result


@transaction.atomic
def _write(
    organisation: Organisation, found: dict[tuple[int, int], Match], result: BatchResult, actor: Actor | None
) -> None:
    """Add the new pairs, bring open ones up to date, leave decided ones alone (a pair is one row whichever of
    its people was scanned: ``suspicion_once_per_pair``)."""
    existing = {}
    firsts = sorted({a for a, _ in found})
    for start in range(0, len(firsts), KEYS_PER_QUERY):
        rows = DuplicateSuspicion.objects.filter(
            organisation=organisation, person_a_id__in=firsts[start : start + KEYS_PER_QUERY]
        )
        fields = ("pk", "person_a_id", "person_b_id", "status", "score", "band", "reasons")
        for pk, a, b, status, score, band, reasons in _rows(rows, *fields):
            if (a, b) in found:
                existing[(a, b)] = (pk, status, score, band, reasons)
    user = actor.user if actor is not None else None
    now = timezone.now()
    added, changed = [], []
    for (a, b), match in sorted(found.items()):
        reasons = match.as_json()["reasons"]
        known = existing.get((a, b))
        if known is None:
            added.append(
                DuplicateSuspicion(
                    organisation=organisation,
                    person_a_id=a,
                    person_b_id=b,
                    score=match.score,
                    band=match.band,
                    reasons=reasons,
                    created_by=user,
                    modified_by=user,
                )
            )
        elif known[1] != DuplicateSuspicion.Status.OPEN:
            result.decided += 1
        elif (known[2], known[3], known[4]) == (match.score, match.band, reasons):
            result.unchanged += 1
        else:
            changed.append(
                DuplicateSuspicion(
                    pk=known[0],
                    score=match.score,
                    band=match.band,
                    reasons=reasons,
                    modified_at=now,
                    modified_by=user,
                )
            )
    # A pair raised meanwhile by a person's own scan is left as that scan wrote it.
    DuplicateSuspicion.objects.bulk_create(added, batch_size=WRITE_BATCH, ignore_conflicts=True)
    DuplicateSuspicion.objects.bulk_update(
        changed, ["score", "band", "reasons", "modified_at", "modified_by"], batch_size=WRITE_BATCH
    )
    result.added, result.updated = len(added), len(changed)


# --- The job ---------------------------------------------------------------------------------------------------


def duplicates_batch_start(
    *, actor: Actor, person_uuids: Collection[str] | None = None, enqueue: bool = True
) -> Job:
    """Record a batch de-duplication of the actor's organisation's registry (or of the people ``person_uuids``
    name, such as an import's) as a job, and queue its task (unless the caller runs it at once:
    ``duplicates_batch_job``). Supervisors (who decide the queue's pairs) only."""
    from hifazat.people.tasks import duplicates_batch_run

    require(actor, "people.merge")
    with transaction.atomic():
        job = job_create(
            actor=actor,
            kind=JOB_KIND,
            payload="\n".join(sorted(str(u) for u in person_uuids)) if person_uuids is not None else "",
        )
        if enqueue:
            enqueue_on_commit(duplicates_batch_run, str(job.uuid))
    return job


def duplicates_batch_job(job: Job, *, workers: int | None = None) -> None:
    """Do the work of a batch de-duplication job (once: a job another worker has taken, or finished, is left
    alone): the run, the job's result, and one audit entry for what it wrote."""
    if not Job.objects.filter(pk=job.pk, status=Job.Status.PENDING).update(status=Job.Status.RUNNING):
        return
    actor = Actor.for_user(job.created_by)
    uuids = [line for line in job.payload.splitlines() if line]
    person_ids = None
    if job.payload:
        person_ids = set(
            registry_of(job.organisation).filter(uuid__in=uuids).values_list("pk", flat=True).iterator()
        )
    job_start(job, total=len(person_ids) if person_ids is not None else registry_of(job.organisation).count())
    try:
        if not actor.can("people.merge") or actor.organisation != job.organisation:
            raise PermissionError("the user who started the job may no longer run it")
        result = duplicates_batch(
            organisation=job.organisation,
            person_ids=person_ids,
            workers=workers if workers is not None else default_workers(),
            actor=actor,
        )
    except PermissionError:
        job_finish(job, status=Job.Status.FAILED, errors=[{"row": 0, "column": "", "message": REFUSED}])
        return
    except Exception:
        job_finish(job, status=Job.Status.FAILED, errors=[{"row": 0, "column": "", "message": UNEXPECTED}])
        raise
    counts = {key: value for key, value in result.as_dict().items() if key != "seconds"}
    audit(actor, AuditEntry.Action.UPDATE, job, kind=JOB_KIND, **counts)
    job_finish(job, status=Job.Status.DONE, result=result.as_dict())


REFUSED = (
    "The user who started this job may no longer decide duplicates for the organisation; nothing was written."
)
UNEXPECTED = "An unexpected error stopped the de-duplication; nothing was written."
