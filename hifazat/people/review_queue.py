"""The duplicate review queue: the scan that fills it (``duplicates_scan_person``, run by ``people.tasks``) and the
review page's reading of it: one page of open pairs at a time, by position (keyset).

A page is read from a position in the queue (the pair it starts after or ends before, named by its UUID), never
by an offset: the database seeks to the position on ``suspicion_review_idx`` and reads a page's worth of pairs,
whatever the depth and however many pairs wait. The number waiting is counted only up to ``COUNT_LIMIT``, so a
queue of tens of thousands is not counted on every page. Scores are stored by the scan, never recomputed by
the page.
"""

from __future__ import annotations

import uuid as uuid_module
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from hifazat.core.access import require
from hifazat.core.audit import Actor
from hifazat.matching.scoring import POSSIBLE_FROM
from hifazat.people.duplicates import candidates_in, record_for
from hifazat.people.models import DuplicateSuspicion, Person
from hifazat.people.selectors import suspicions_visible_to

# The count shown is exact up to this many pairs, and "more than" above it.
COUNT_LIMIT = 1000


@dataclass(frozen=True)
class QueuePage:
    """One page of the review queue: its pairs, the positions of the pages before and after it (``None`` where
    there is none), and how many pairs wait (exact up to ``COUNT_LIMIT``; ``more`` when there are more)."""

    pairs: list[DuplicateSuspicion]
    before: uuid_module.UUID | None
    after: uuid_module.UUID | None
    count: int
    more: bool


def duplicates_scan_person(person: Person, *, threshold: float = POSSIBLE_FROM) -> list[DuplicateSuspicion]:
    """Add ``person``'s likely and possible duplicates within their organisation to the review queue (or update
    the score of a pair still open). A pair already decided (merged or dismissed) is not raised again. The
    candidates are those the queue's keys find (``candidates_in(..., queue=True)``), the same that batch
    de-duplication of the whole registry finds (``people.batch_dedup``)."""
    if not person.is_active or person.merged_into_id is not None:
        return []
    people = Person.objects.filter(
        organisation_id=person.organisation_id, is_active=True, merged_into__isnull=True
    )
    found = []
    candidates = candidates_in(
        people, record_for(person), exclude_pk=person.pk, queue=True, threshold=threshold
    )
    for candidate in candidates:
        if candidate.match.score < threshold:
            continue
        a, b = sorted((person.pk, candidate.person.pk))
        suspicion, created = DuplicateSuspicion.objects.get_or_create(
            person_a_id=a,
            person_b_id=b,
            defaults={
                "organisation_id": person.organisation_id,
                "score": candidate.match.score,
                "band": candidate.match.band,
                "reasons": candidate.match.as_json()["reasons"],
            },
        )
        if not created and suspicion.status == DuplicateSuspicion.Status.OPEN:
            suspicion.score, suspicion.band = candidate.match.score, candidate.match.band
            suspicion.reasons = candidate.match.as_json()["reasons"]
            suspicion.save(update_fields=["score", "band", "reasons", "modified_at"])
        found.append(suspicion)
    return found


def open_suspicions(actor: Actor) -> QuerySet[DuplicateSuspicion]:
    """The open pairs the actor may review, in the queue's order: highest score first, newest first among
    equal scores."""
    require(actor, "people.merge")
    return (
        suspicions_visible_to(actor).filter(status=DuplicateSuspicion.Status.OPEN).order_by("-score", "-id")
    )


def queue_position(actor: Actor, uuid: uuid_module.UUID) -> tuple[float, int] | None:
    """The place in the queue of the actor's organisation's pair ``uuid`` (its score and id), or ``None``. A pair
    decided since, or hidden by a merge, still marks its place."""
    require(actor, "people.merge")
    return (
        DuplicateSuspicion.objects.filter(organisation=actor.organisation, uuid=uuid)
        .values_list("score", "id")
        .first()
    )


def review_queue_page(
    actor: Actor,
    *,
    size: int,
    after: tuple[float, int] | None = None,
    before: tuple[float, int] | None = None,
) -> QueuePage:
    """The page of ``size`` open pairs that starts after the position ``after`` (or ends just before ``before``,
    or the first page). Three queries whatever the queue's length: the page (one more row, to know whether another
    page follows), the pair before it when needed, and the count up to ``COUNT_LIMIT``."""
    queue = open_suspicions(actor)
    if before is not None:
        score, pk = before
        # Read backwards from the position; a page that reaches the start of the queue is the first page.
        earlier = list(
            queue.filter(score__gte=score)
            .filter(Q(score__gt=score) | Q(id__gt=pk))
            .order_by("score", "id")[: size + 1]
        )
        if len(earlier) > size:
            pairs = earlier[:size][::-1]
            return _page(queue, pairs, has_before=True, has_after=True)
        after = None
    if after is not None:
        score, pk = after
        # ``score <= s`` lets the database seek on the index; the OR skips the pairs tied with the position.
        rows = list(queue.filter(score__lte=score).filter(Q(score__lt=score) | Q(id__lt=pk))[: size + 1])
        return _page(queue, rows[:size], has_before=True, has_after=len(rows) > size)
    rows = list(queue[: size + 1])
    return _page(queue, rows[:size], has_before=False, has_after=len(rows) > size)


def _page(queue: QuerySet, pairs: list, *, has_before: bool, has_after: bool) -> QueuePage:
    count = queue[: COUNT_LIMIT + 1].count()
    return QueuePage(
        pairs=pairs,
        before=pairs[0].uuid if has_before and pairs else None,
        after=pairs[-1].uuid if has_after and pairs else None,
        count=min(count, COUNT_LIMIT),
        more=count > COUNT_LIMIT,
    )
