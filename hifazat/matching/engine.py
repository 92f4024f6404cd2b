"""The matching engine: one Fellegi–Sunter model for every kind of matching, told apart by profiles.

A comparison of two records falls into one of its levels (best first); each level has a weight in bits,
log2(m/u), where m is how often the level occurs when the two records are one person and u how often when they
are two; a comparison that cannot be made (a field recorded on one side only) weighs nothing. The weights add
up to W, and a calibration turns W into the probability shown. The comparisons themselves (names by script,
ages, places) are in ``matching.comparisons``; a :class:`Profile` says which of them a kind of matching uses, what
each level means for the reviewer (agrees, partly agrees, differs), how far an estimated weight may go, and where
the bands are cut. Two profiles use it:

- **registry duplicates** (``matching.scoring``): is this registration a person registered already? Weights
  estimated from the registry itself (u on random pairs, m by EM) and the review queue's decisions; the
  probability of one pair.
- **family tracing** (``matching.tracing``): is this registered child the one a parent describes? The comparisons
  of a parent's description (guessed ages, a village, where and when the child was lost); the probability of a
  choice among the candidates scored for one request.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

AGREES, PARTLY, DIFFERS, MISSING = "agrees", "partly", "differs", "missing"
# Levels that weigh nothing: a field recorded on one side only, a father's name against a husband's, or a
# comparison that another level explains (``Profile.explains``).
EXPLAINED = "explained"
NOT_COMPARED = frozenset({MISSING, "not_comparable", EXPLAINED})

MU = Mapping[str, Mapping[str, tuple[float, float]]]
Bounds = tuple[float, float]


def log2_ratio(m: float, u: float) -> float:
    return math.log2(max(m, 1e-9) / max(u, 1e-9))


@dataclass(frozen=True)
class Profile:
    """A kind of matching: its comparisons (``fields``, in the order the explanation lists them), the levels of
    each (best first), which levels say the values agree and which that they partly agree (any other level says
    they differ, whatever its weight: a reason's outcome is what its sentence says), the bounds on estimated
    weights, the probabilities from which a pair is "likely" and "possible", and which levels explain other
    comparisons (``explains``: siblings share their father's name, family name and household, so when the pair
    is siblings those agreements are no evidence of one person; counting them as well would count one fact
    several times, the Fellegi–Sunter model's assumption of independent comparisons broken)."""

    name: str
    fields: tuple[str, ...]
    levels: Mapping[str, tuple[str, ...]]
    agreeing: frozenset[str]
    partly: frozenset[str]
    likely_from: float
    possible_from: float
    bounds: Mapping[tuple[str, str], Bounds] = field(default_factory=dict)
    any_weight: Bounds = (-14.0, 16.0)
    explains: Mapping[tuple[str, str], frozenset[str]] = field(default_factory=dict)

    def compared(self, found: Mapping[str, str]) -> dict[str, str]:
        """The levels as they are weighed and counted: a comparison that another level explains is
        ``EXPLAINED``."""
        gone: set[str] = set()
        for (name, level), fields in self.explains.items():
            if found.get(name) == level:
                gone |= fields
        return {
            name: EXPLAINED if name in gone and level not in NOT_COMPARED else level
            for name, level in found.items()
        }

    def weight(self, m_u: MU, comparison: str, level: str) -> float:
        """The weight in bits of ``level`` of ``comparison`` under ``m_u``, within the profile's bounds; 0 for a
        level that is no comparison or that ``m_u`` does not know."""
        found = m_u.get(comparison, {}).get(level)
        if found is None or level in NOT_COMPARED:
            return 0.0
        low, high = self.bounds.get((comparison, level), self.any_weight)
        return min(high, max(low, log2_ratio(*found)))

    def table(self, m_u: MU) -> dict[str, dict[str, float]]:
        """The weight in bits of every level of ``m_u`` (:meth:`weight`), for :meth:`weigh`."""
        return {
            name: {level: self.weight(m_u, name, level) for level in levels} for name, levels in m_u.items()
        }

    def weigh(
        self,
        table: Mapping[str, Mapping[str, float]],
        found: Mapping[str, str],
        adjustments: Mapping[str, float] | None = None,
    ) -> dict[str, float]:
        """The weight of every comparison's level in ``found`` (from ``table``: :meth:`table`), plus its
        adjustment (term frequency) where the comparison was made; nothing for a level that is no comparison or
        that another explains."""
        adjustments = adjustments or {}
        return {
            name: 0.0 if level in NOT_COMPARED else table[name].get(level, 0.0) + adjustments.get(name, 0.0)
            for name, level in self.compared(found).items()
        }

    def outcome(self, comparison: str, level: str) -> str:
        """What the level says of the two values, for the reviewer and the API: they agree, partly agree, differ,
        or were not compared."""
        if level in NOT_COMPARED:
            return MISSING
        if level in self.partly:
            return PARTLY
        return AGREES if level in self.agreeing else DIFFERS

    def band(self, probability: float) -> str:
        if probability >= self.likely_from:
            return LIKELY
        if probability >= self.possible_from:
            return POSSIBLE
        return UNLIKELY


LIKELY = "likely"
POSSIBLE = "possible"
UNLIKELY = "unlikely"


def logistic(z: float) -> float:
    return 1 / (1 + math.exp(-max(-60.0, min(60.0, z))))
