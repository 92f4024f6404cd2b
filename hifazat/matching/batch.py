"""Batch de-duplication: every pair that the review queue's scan (``people.review_queue.duplicates_scan_person``)
would raise for each person of a registry, found in one pass instead of one lookup per person.

The same pairs with the same scores, by construction:

- **the same candidates**: the rows of the key table under each person's queue keys (``blocking.queue_lookup``),
  filtered by birth year as the scan's query filters them, ranked as it ranks them (most keys shared, then the
  nearest birth year, then the newest person), and cut, among the visible people, to its ``pool``
  (:func:`ranked_candidates`);
- **the same comparisons**: the scorer's own functions (``scoring.levels``, ``level_weights``, ``probability``),
  the registry's name counts and the households' members, each pair of registered people scored in the order of
  their ids (:func:`oriented`), as the scan scores it;
- **the same choice**: of each person's candidates, the ``limit`` best, kept when at or above the threshold
  (:func:`queue_pairs`).

It knows nothing of the database (``people.batch_dedup`` reads the registry and writes the queue). What makes it
fast is that a pair is compared once, not once from each side; that a pair whose score cannot reach the
threshold whatever its households hold is never compared member by member (:func:`score_if_reachable`); that
the reasons, whose sentences cost ten times the comparison, are made only for the pairs queued; and that the
comparisons run in ``workers`` processes.

Why not Splink on DuckDB: its speed comes from comparisons written in SQL, and these are the engine's own
(script-aware token levels, names counted in the registry, the other members of two households); in SQL they
would be a second engine to keep equal to the first. What a million people costs is the number of pairs times
the engine's comparison of one pair (``bench/bench_batch_dedup.py`` reports both).
"""

from __future__ import annotations

import gc
import multiprocessing
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any

from hifazat.matching.blocking import YEAR_WINDOW, date_years, lookup_years, queue_lookup
from hifazat.matching.records import MatchRecord
from hifazat.matching.scoring import (
    LEVELS,
    Match,
    Member,
    NameFrequencies,
    Weights,
    level_weights,
    levels,
    probability,
    score,
)

# Rows of the key table under one key: (person id, birth year beside the key).
Rows = Mapping[str, Sequence[tuple[int, int | None]]]
Households = Mapping[int, tuple[Member, ...]]


def oriented(a: MatchRecord, b: MatchRecord) -> tuple[MatchRecord, MatchRecord]:
    """The two records in the order a pair is scored: two registered people by their ids, the lower first, so
    that a pair's score does not depend on which of the two was looked up; a registration not yet saved first."""
    if a.person is not None and b.person is not None and b.person < a.person:
        return b, a
    return a, b


def quick_score(
    a: MatchRecord,
    b: MatchRecord,
    *,
    weights: Weights,
    frequencies: NameFrequencies | None,
    households: Households | None,
) -> float:
    """``scoring.score(a, b, ...).score`` without the reasons: the same levels, weights and calibration, rounded
    as the score is (``tests/test_batch.py`` checks the two agree)."""
    found, agreeing, _ = levels(a, b, households)
    bits = sum(level_weights(found, agreeing, weights, frequencies).values())
    return round(probability(bits, weights, frequencies.total if frequencies is not None else None), 3)


def household_bound(weights: Weights) -> float:
    """The most the household comparison can add, in bits (nothing when it is missing)."""
    return max([0.0, *(weights.weight("household_members", level) for level in LEVELS["household_members"])])


def best_possible(
    a: MatchRecord, b: MatchRecord, *, weights: Weights, frequencies: NameFrequencies | None, bound: float
) -> float:
    """The highest score the pair can have, rounded as the score is: every comparison but the household
    comparison (which compares every member of one household with every member of the other) made, and that
    one counted at its largest weight, ``bound`` (``household_bound``)."""
    found, agreeing, _ = levels(a, b, None)
    bits = sum(level_weights(found, agreeing, weights, frequencies).values())
    return round(
        probability(bits + bound, weights, frequencies.total if frequencies is not None else None), 3
    )


def score_if_reachable(
    a: MatchRecord,
    b: MatchRecord,
    threshold: float,
    *,
    weights: Weights,
    frequencies: NameFrequencies | None,
    households: Households | None,
    bound: float,
) -> float | None:
    """:func:`quick_score`, or None when the pair stays below ``threshold`` whatever the household comparison
    finds (:func:`best_possible`), which is then not made."""
    if best_possible(a, b, weights=weights, frequencies=frequencies, bound=bound) < threshold:
        return None
    return quick_score(a, b, weights=weights, frequencies=frequencies, households=households)


# --- Candidates ------------------------------------------------------------------------------------------------


# A key's rows are kept as they are up to this many; more are kept sorted by year (``_Block``) and read by bisection.
SMALL_BLOCK = 16


class _Block:
    """The rows under one key, by birth year (those without one apart), so that a lookup reads only the rows
    its birth-year filter keeps."""

    __slots__ = ("people", "undated", "years")

    def __init__(self, rows: Sequence[tuple[int, int | None]]) -> None:
        dated = sorted((year, person) for person, year in rows if year is not None)
        self.years = [year for year, _ in dated]
        self.people = [person for _, person in dated]
        self.undated = [person for person, year in rows if year is None]

    def all(self) -> Iterator[tuple[int, int | None]]:
        yield from ((person, None) for person in self.undated)
        yield from zip(self.people, self.years, strict=True)

    def between(self, low: int, high: int) -> Iterator[tuple[int, int]]:
        start, stop = bisect_left(self.years, low), bisect_right(self.years, high)
        return zip(self.people[start:stop], self.years[start:stop], strict=True)


Block = list[tuple[int, int | None]] | _Block


def blocks_of(rows: Rows) -> dict[str, Block]:
    """The rows of ``rows`` (key → (person, birth year)) as :func:`ranked_candidates` reads them."""
    return {key: list(found) if len(found) <= SMALL_BLOCK else _Block(found) for key, found in rows.items()}


def _within(block: Block, years: tuple[tuple[int, int], set[int]] | None) -> Iterable[tuple[int, int | None]]:
    """The rows of ``block`` that the scan's birth-year filter keeps (``blocking.lookup_years``)."""
    if years is None:
        return block if isinstance(block, list) else block.all()
    (low, high), slips = years
    if isinstance(block, list):
        return [(p, y) for p, y in block if y is None or low <= y <= high or y in slips]
    undated = ((person, None) for person in block.undated)
    return chain(undated, block.between(low, high), *(block.between(slip, slip) for slip in slips))


def _at(block: Block, years: set[int]) -> Iterable[tuple[int, int | None]]:
    """The rows of ``block`` at one of ``years``."""
    if isinstance(block, list):
        return [(p, y) for p, y in block if y in years]
    return chain(*(block.between(year, year) for year in sorted(years)))


def ranked_candidates(
    scanned: Sequence[MatchRecord],
    blocks: Mapping[str, Block],
    *,
    visible: Collection[int],
    pool: int,
    workers: int = 1,
) -> dict[int, list[int]]:
    """For each scanned record (a registered person's, ``person`` set), the ids of the candidates its scan
    scores, in its order: the people with rows (``blocks_of``) under its queue keys that pass the birth-year
    filter (within the window or at a year a slip gives, or without a year; a ``d:`` key at its own year or a
    slip's), itself left out, ranked by rows shared (most first), then the nearest birth year (a row without one
    counts as the window's edge; every row counts as near when the record has no year), then the highest id;
    of them the ``visible`` ones, of those the first ``pool``. In ``workers`` processes. The scan ranks every
    person under its keys before it keeps those in scope, so ``blocks`` need hold only the rows of the people
    in scope."""
    out: dict[int, list[int]] = {}
    arguments = (scanned, blocks, visible, pool)
    # The workers receive positions in ``scanned``, not records: they have the records already (forked).
    for chunk in run_in_workers(_ranked, range(len(scanned)), arguments, workers):
        out.update(chunk)
    return out


def _ranked(
    positions: Sequence[int],
    scanned: Sequence[MatchRecord],
    blocks: Mapping[str, Block],
    visible: Collection[int],
    pool: int,
) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for record in (scanned[position] for position in positions):
        window_keys, date_keys = queue_lookup(record)
        years, year, own = lookup_years(record), record.birth_year, record.person
        shared: dict[int, int] = defaultdict(int)
        gap: dict[int, int] = {}
        for key in window_keys:
            block = blocks.get(key)
            if block is not None:
                for person, other in _within(block, years):
                    if person != own:
                        _count(shared, gap, person, other, year)
        for key in date_keys:
            block = blocks.get(key)
            if block is not None:
                for person, other in _at(block, date_years(record)):
                    if person != own:
                        _count(shared, gap, person, other, year)
        ranked = sorted(
            (person for person in shared if person in visible),
            key=lambda person: (-shared[person], gap[person], -person),
        )
        out[own] = ranked[:pool]
    return out


def _count(
    shared: dict[int, int], gap: dict[int, int], person: int, other: int | None, year: int | None
) -> None:
    shared[person] += 1
    apart = 0 if year is None else (YEAR_WINDOW if other is None else abs(other - year))
    gap[person] = min(gap.get(person, apart), apart)


# --- Scores ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scoring:
    """What every comparison of a run reads: the records by person id, the households' members, the weights in
    force and the registry's name counts."""

    records: Mapping[int, MatchRecord]
    households: Households
    weights: Weights
    frequencies: NameFrequencies

    def pair(self, a: int, b: int) -> tuple[MatchRecord, MatchRecord]:
        return oriented(self.records[a], self.records[b])


def queue_pairs(
    pools: Mapping[int, Sequence[int]],
    scoring: Scoring,
    *,
    threshold: float,
    limit: int,
    workers: int = 1,
) -> dict[tuple[int, int], float]:
    """The pairs the scans of every person of ``pools`` (person id → candidates, as :func:`ranked_candidates`
    gives them) raise: each person's ``limit`` best-scored candidates (ties: the lower id first) that score at
    least ``threshold``, as (lower id, higher id) → score. Each pair is compared once, in ``workers``
    processes."""
    unique = sorted({(min(a, b), max(a, b)) for a, candidates in pools.items() for b in candidates})
    found: dict[tuple[int, int], float] = {}
    for chunk in run_in_workers(_reachable_scores, unique, (scoring, threshold), workers):
        found.update(chunk)
    out: dict[tuple[int, int], float] = {}
    for a, candidates in pools.items():
        scored = [(found[pair], b, pair) for b in candidates if (pair := (min(a, b), max(a, b))) in found]
        scored.sort(key=lambda item: (-item[0], item[1]))
        for value, _, pair in scored[:limit]:
            out[pair] = value
    return out


def _reachable_scores(pairs: Sequence[tuple[int, int]], scoring: Scoring, threshold: float) -> dict:
    bound = household_bound(scoring.weights)
    out = {}
    for a, b in pairs:
        x, y = scoring.pair(a, b)
        value = score_if_reachable(
            x,
            y,
            threshold,
            weights=scoring.weights,
            frequencies=scoring.frequencies,
            households=scoring.households,
            bound=bound,
        )
        if value is not None and value >= threshold:
            out[(a, b)] = value
    return out


def matches(
    pairs: Sequence[tuple[int, int]], scoring: Scoring, workers: int = 1
) -> dict[tuple[int, int], Match]:
    """The full :func:`scoring.score` (with its reasons) of each pair, in ``workers`` processes."""
    out: dict[tuple[int, int], Match] = {}
    for chunk in run_in_workers(_matches, list(pairs), (scoring,), workers):
        out.update(chunk)
    return out


def _matches(pairs: Sequence[tuple[int, int]], scoring: Scoring) -> dict:
    return {
        (a, b): score(
            *scoring.pair(a, b),
            weights=scoring.weights,
            frequencies=scoring.frequencies,
            households=scoring.households,
        )
        for a, b in pairs
    }


# --- Processes -------------------------------------------------------------------------------------------------

_WORK: dict[str, Any] = {}
CHUNKS_PER_WORKER = 8
# Fewer items than this are done in this process: starting processes would cost more.
SMALL = 1000


def run_in_workers(
    function: Callable[..., dict], items: Sequence, arguments: tuple, workers: int
) -> Iterable[dict]:
    """``function(chunk, *arguments)`` over chunks of ``items``: in this process when ``workers`` is 1 (or there
    is little to do), else in ``workers`` forked processes, which inherit ``arguments`` (the records and the
    households, built once) instead of receiving a copy of them, and send back only their results. The caller
    must hold no database connection that a child could disturb: children never touch the database and leave
    without running the parent's exit handlers."""
    if workers <= 1 or len(items) < SMALL:
        yield function(items, *arguments)
        return
    size = max(1, -(-len(items) // (workers * CHUNKS_PER_WORKER)))
    chunks = [items[start : start + size] for start in range(0, len(items), size)]
    _WORK["call"] = (function, arguments)
    # Objects built before the fork stay out of the collector's sight, so that children do not copy the memory
    # of every object they merely look at when the collector walks them.
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(workers) as processes:
            yield from processes.imap_unordered(_run_chunk, chunks)
    finally:
        gc.unfreeze()
        _WORK.clear()


def _run_chunk(chunk: Sequence) -> dict:
    function, arguments = _WORK["call"]
    return function(chunk, *arguments)
