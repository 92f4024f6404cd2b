"""Re-estimating the duplicate scorer's weights from the registry itself and the review queue's decisions.

The registry holds no truth, but the candidate pairs its lookups return do hold the pattern of both kinds of pair:
Fellegi–Sunter EM (``matching.estimate``) finds the m and u values that explain them best, starting from the
weights in force. The review queue's decisions (merged: one person; dismissed: two) are the truth for the pairs
they cover: EM keeps them instead of its guess, and once there are enough of both kinds they also re-fit the
calibration that turns weights into the probability shown. The result is stored as a ``MatchWeights`` row, which
the lookups use from then on (``people.duplicates.weights_in_force``).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.db import transaction

from hifazat.core.audit import audit
from hifazat.core.models import AuditEntry
from hifazat.matching.estimate import expectation_maximisation, fit_calibration, weight_changes
from hifazat.matching.scoring import Weights, level_weights, levels
from hifazat.people.duplicates import (
    POOL,
    candidates_in,
    clear_cache,
    record_for,
    registry_frequencies,
    weights_in_force,
)
from hifazat.people.models import DuplicateSuspicion, MatchWeights, Person

# Decisions of each kind needed before the calibration is re-fitted from them.
MIN_DECISIONS = 50


@dataclass
class Estimated:
    """What a re-estimation found: the new weights, how they differ from those in force, and on what."""

    weights: Weights
    previous: Weights
    prior: float
    pairs: int
    merged: int
    dismissed: int
    iterations: int
    recalibrated: bool
    stored: MatchWeights | None = None

    def changes(self) -> list[tuple[str, str, float, float]]:
        return weight_changes(self.previous.m_u, self.weights.m_u)


def _decided_pairs() -> list[tuple[dict[str, str], bool, float]]:
    """(levels, same person, summed weight in force) of every decided pair of the review queue."""
    weights = weights_in_force()
    out = []
    decided = DuplicateSuspicion.objects.exclude(status=DuplicateSuspicion.Status.OPEN).select_related(
        "person_a__household", "person_b__household"
    )
    for suspicion in decided.iterator(chunk_size=500):
        a, b = record_for(suspicion.person_a), record_for(suspicion.person_b)
        found, agreeing, _ = levels(a, b)
        bits = sum(level_weights(found, agreeing, weights, registry_frequencies(a)).values())
        out.append((found, suspicion.status == DuplicateSuspicion.Status.MERGED, bits))
    return out


def match_weights_estimate(*, sample: int = 2000, seed: int = 1, store: bool = True) -> Estimated:
    """Look up ``sample`` people picked at random among the active ones, take the levels of every candidate pair
    the lookups score, add the review queue's decided pairs, and re-estimate m and u by EM from the weights in
    force; re-fit the calibration when there are ``MIN_DECISIONS`` decisions of each kind. ``store`` writes the
    result (one ``MatchWeights`` row and an audit entry) so that lookups use it."""
    previous = weights_in_force()
    people = Person.objects.filter(is_active=True, merged_into__isnull=True)
    ids = list(people.values_list("pk", flat=True))
    chosen = random.Random(seed).sample(ids, min(sample, len(ids)))  # noqa: S311 - a sample, not a secret
    pairs: dict[tuple[int, int], dict[str, str]] = {}
    for person in people.filter(pk__in=chosen).select_related("household"):
        for candidate in candidates_in(people, record_for(person), exclude_pk=person.pk, limit=POOL):
            key = (min(person.pk, candidate.person.pk), max(person.pk, candidate.person.pk))
            pairs.setdefault(key, candidate.match.levels)
    decided = _decided_pairs()
    found = list(pairs.values()) + [levels for levels, _, _ in decided]
    labels = {len(pairs) + index: same for index, (_, same, _) in enumerate(decided)}
    result = expectation_maximisation(found, previous.m_u, labels=labels)
    merged = sum(1 for _, same, _ in decided if same)
    dismissed = len(decided) - merged
    slope, intercept = previous.slope, previous.intercept
    recalibrated = merged >= MIN_DECISIONS and dismissed >= MIN_DECISIONS
    new = Weights(result.m_u, slope, intercept, collision=previous.collision, source="re-estimated")
    if recalibrated:
        bits = [sum(new.weight(name, level) for name, level in levels.items()) for levels, _, _ in decided]
        slope, intercept = fit_calibration(bits, [same for _, same, _ in decided])
        new = Weights(result.m_u, slope, intercept, collision=previous.collision, source="re-estimated")
    estimated = Estimated(
        new, previous, result.prior, len(found), merged, dismissed, result.iterations, recalibrated
    )
    if store:
        with transaction.atomic():
            row = MatchWeights(
                m_u={
                    name: {level: list(pair) for level, pair in lv.items()} for name, lv in result.m_u.items()
                },
                slope=slope,
                intercept=intercept,
                collision=previous.collision,
                prior=result.prior,
                pairs=len(found),
                labelled=len(decided),
                report={
                    "merged": merged,
                    "dismissed": dismissed,
                    "iterations": result.iterations,
                    "recalibrated": recalibrated,
                    "previous": previous.source,
                },
            )
            row.full_clean()
            row.save()
            audit(None, AuditEntry.Action.CREATE, row, pairs=len(found), labelled=len(decided))
        clear_cache()
        estimated.stored = row
    return estimated
