"""A reader who tries to work out hidden figures from what was published.

The attacker knows how disclosure control works (the threshold, rounding half up to its multiples, that a
published count below the threshold would have been hidden) and every additive relation between the figures it
sees (a total and its parts, on one page or across two queries). From each published figure it starts with the
range of true values that could have produced it, then narrows every range through the relations until nothing
changes (interval propagation, as a constraint solver does). An attack succeeds when a hidden figure's range
shrinks to one value, or to fewer values than the threshold's own range (1 to threshold - 1), which would tell
more than "hidden".
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable

INFINITY = 10**12


class Attacker:
    def __init__(self, threshold: int) -> None:
        self.threshold = threshold
        self.bounds: dict[Hashable, tuple[int, int]] = {}
        self.hidden: set[Hashable] = set()
        self.relations: list[tuple[Hashable, tuple[Hashable, ...]]] = []

    def sees(self, key: Hashable, value: int | None) -> None:
        """A published count (None: hidden). The same key seen twice (two queries) narrows to both ranges."""
        if value is None:
            self.hidden.add(key)
            low, high = 0, INFINITY
        elif value == 0:
            low, high = 0, 0
        else:
            half = self.threshold // 2
            # Rounded half up to ``value``; a true count below the threshold would have been hidden instead.
            low = max(self.threshold, value - half)
            high = value + (self.threshold - 1) // 2 if self.threshold % 2 else value + half - 1
        old = self.bounds.get(key, (0, INFINITY))
        self.bounds[key] = (max(old[0], low), min(old[1], high))

    def knows(self, total: Hashable, parts: Iterable[Hashable]) -> None:
        self.relations.append((total, tuple(parts)))

    def solve(self) -> dict[Hashable, tuple[int, int]]:
        bounds = dict(self.bounds)
        for total, parts in self.relations:
            for key in (total, *parts):
                bounds.setdefault(key, (0, INFINITY))
        changed = True
        rounds = 0
        while changed and rounds < 1000:
            changed, rounds = False, rounds + 1
            for total, parts in self.relations:
                low_sum = sum(bounds[p][0] for p in parts)
                high_sum = min(INFINITY, sum(bounds[p][1] for p in parts))
                t_low, t_high = bounds[total]
                new = (max(t_low, low_sum), min(t_high, high_sum))
                if new != bounds[total]:
                    bounds[total], changed = new, True
                for part in parts:
                    others_low = low_sum - bounds[part][0]
                    others_high = high_sum - bounds[part][1] if high_sum < INFINITY else INFINITY
                    p_low, p_high = bounds[part]
                    low = max(p_low, bounds[total][0] - others_high) if others_high < INFINITY else p_low
                    high = min(p_high, bounds[total][1] - others_low)
                    if (low, high) != (p_low, p_high):
                        bounds[part], changed = (low, high), True
        return bounds

    def successes(self) -> list[str]:
        """The hidden figures the attacker pinned down, with what it learnt; empty when every attack failed."""
        found = []
        for key, (low, high) in self.solve().items():
            if key not in self.hidden:
                continue
            if low > high:
                found.append(f"{key!r}: contradiction {low}..{high} (published figures are inconsistent)")
            elif low == high or high - low < self.threshold - 2:
                found.append(f"{key!r}: narrowed to {low}..{high}")
        return found
