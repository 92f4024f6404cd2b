"""k-anonymity for record-level exports: generalise the quasi-identifiers, then suppress the records that still
stand out, until every combination of quasi-identifiers that is published occurs at least ``k`` times.

A quasi-identifier is a field that, alone or with others, can single a person out to someone who knows them
(age, gender, marital status, where they live, when their case was opened). Each has a hierarchy of levels from
the finest to nothing at all (a district, its province, the country, blank). As the Counter-Trafficking Data
Collaborative does for its public data set, the whole column is generalised one level at a time (global
recoding: every record of the export says the same kind of thing, so no reader can tell a generalised record
from its neighbours), choosing each time the step that leaves the fewest records in groups smaller than ``k``;
it stops once at most ``max_suppressed_share`` of the records remain in such groups, undoes the steps that
later ones made unnecessary, and leaves out the records still in such groups.

Pure Python on plain values, so that it is tested on its own and knows nothing of cases.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

# The share of the records that may be left out rather than generalising a column further (CTDC-style trade-off:
# a few outliers cost less than coarsening every record).
MAX_SUPPRESSED_SHARE = 0.05


@dataclass(frozen=True)
class QuasiIdentifier:
    """A quasi-identifier: its name, the columns it fills, and the names of its levels, finest first. The last
    level must publish nothing (every column blank)."""

    name: str
    columns: tuple[str, ...]
    levels: tuple[str, ...]


@dataclass
class Record:
    """One record: for each quasi-identifier, its columns' values at each level (``qi[name][level]``, a tuple in
    the order of the quasi-identifier's columns); ``rest``: the other columns, published as they are."""

    qi: dict[str, Sequence[tuple[Hashable, ...]]]
    rest: dict[str, object] = field(default_factory=dict)


@dataclass
class Result:
    """The records kept, each as its published columns; the level chosen per quasi-identifier; how many records
    were left out."""

    rows: list[dict[str, object]]
    levels: dict[str, int]
    suppressed: int
    k: int

    def level_names(self, qis: Sequence[QuasiIdentifier]) -> dict[str, str]:
        return {q.name: q.levels[self.levels[q.name]] for q in qis}


class _Columns:
    """Each quasi-identifier's values at each level, as one column over the records: a key is then the ``zip`` of
    the chosen columns (done in C, which keeps a step over 100,000 records in milliseconds)."""

    def __init__(self, records: Sequence[Record], qis: Sequence[QuasiIdentifier]) -> None:
        self.qis, self.size = qis, len(records)
        self.columns = {
            q.name: [[record.qi[q.name][level] for record in records] for level in range(len(q.levels))]
            for q in qis
        }

    def keys(self, levels: dict[str, int]) -> list[tuple]:
        if not self.qis:
            return [()] * self.size
        return list(zip(*(self.columns[q.name][levels[q.name]] for q in self.qis), strict=True))


def _in_small_groups(keys: list[tuple], k: int) -> int:
    return sum(n for n in Counter(keys).values() if n < k)


def _refine(columns: _Columns, levels: dict[str, int], *, k: int, budget: int) -> dict[str, int]:
    """Undo the steps that a later step made unnecessary (greedy steps are taken one at a time: generalising the
    place may leave an earlier step on the age band without purpose), finest first, while the records in groups
    smaller than ``k`` stay within the budget."""
    changed = True
    while changed:
        changed = False
        for q in columns.qis:
            if levels[q.name] == 0:
                continue
            trial = {**levels, q.name: levels[q.name] - 1}
            if _in_small_groups(columns.keys(trial), k) <= budget:
                levels, changed = trial, True
    return levels


def k_anonymise(
    records: Sequence[Record],
    qis: Sequence[QuasiIdentifier],
    *,
    k: int,
    max_suppressed_share: float = MAX_SUPPRESSED_SHARE,
) -> Result:
    """Generalise and suppress ``records`` so that every combination of quasi-identifier values published occurs
    at least ``k`` times. Greedy: at each step, the quasi-identifier whose next level leaves the fewest records in
    groups smaller than ``k`` (ties: the one with more levels left, so coarse columns are kept longest)."""
    if k < 1:
        raise ValueError("k is at least 1")
    for q in qis:
        for record in records:
            if len(record.qi[q.name]) != len(q.levels):
                raise ValueError(
                    f"a record has {len(record.qi[q.name])} levels of {q.name}, not {len(q.levels)}"
                )
            if any(value not in ("", None) for value in record.qi[q.name][-1]):
                raise ValueError(f"the last level of {q.name} must publish nothing")
    budget = int(max_suppressed_share * len(records))
    levels = {q.name: 0 for q in qis}
    columns = _Columns(records, qis)
    keys = columns.keys(levels)
    small = _in_small_groups(keys, k)
    while small > budget:
        best = None
        for q in qis:
            if levels[q.name] == len(q.levels) - 1:
                continue
            trial = {**levels, q.name: levels[q.name] + 1}
            left = _in_small_groups(columns.keys(trial), k)
            rank = (left, -(len(q.levels) - 1 - levels[q.name]))
            if best is None or rank < best[0]:
                best = (rank, q.name)
        if best is None:  # everything is as coarse as it gets: what is still small is left out
            break
        levels[best[1]] += 1
        keys = columns.keys(levels)
        small = _in_small_groups(keys, k)
    levels = _refine(columns, levels, k=k, budget=budget) if small <= budget else levels
    keys = columns.keys(levels)
    counts = Counter(keys)
    rows = []
    for record, key in zip(records, keys, strict=True):
        if counts[key] < k:
            continue
        row: dict[str, object] = {}
        for q, values in zip(qis, key, strict=True):
            row.update(zip(q.columns, values, strict=True))
        row.update(record.rest)
        rows.append(row)
    return Result(rows=rows, levels=levels, suppressed=len(records) - len(rows), k=k)
