"""Re-estimating the duplicate scorer's weights from the registry itself and the review queue's decisions.

The registry holds no truth, but it holds what both kinds of pair look like. u, how often a level occurs between
two different people, is counted on pairs of people drawn at random (``matching.estimate.u_from_random``; nearly
all two people). m, how often it occurs for one person registered twice, is found by Fellegi–Sunter EM
(``matching.estimate``) on the candidate pairs the registry's lookups return, starting from the weights in force
and with u held: the m values and the share of true pairs that explain those pairs best. The review queue's
decisions (merged: one person; dismissed: two) are the truth for the pairs they cover: EM keeps them instead of its
guess. The calibration that turns weights into the probability shown is then the Fellegi–Sunter posterior itself
(its odds are the share of true pairs EM found, scaled to the registry), or, once there are enough decisions of
both kinds, fitted on the decisions. The result is stored as a ``MatchWeights`` row, which the lookups use from then
on (``people.duplicates.weights_in_force``).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, replace

from django.db import transaction

from hifazat.core.audit import audit
from hifazat.core.models import AuditEntry
from hifazat.matching.estimate import (
    calibration_from_prior,
    expectation_maximisation,
    fit_calibration,
    m_of,
    seen_in,
    u_from_random,
    weight_changes,
    with_u,
)
from hifazat.matching.scoring import (
    CALIBRATION_PEOPLE,
    LEVELS,
    SMALLEST_REGISTRY,
    Weights,
    level_weights,
    levels,
)
from hifazat.people.duplicates import (
    POOL,
    candidates_in,
    clear_cache,
    household_members,
    record_for,
    records_of,
    registry_frequencies,
    weights_in_force,
)
from hifazat.people.models import DuplicateSuspicion, MatchWeights, Person

# Decisions of each kind needed before the calibration is re-fitted from them.
MIN_DECISIONS = 50
# People read, and pairs of them drawn, to count u.
RANDOM_PEOPLE = 20_000
RANDOM_PAIRS = 50_000


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


def random_levels(people, *, pairs: int = RANDOM_PAIRS, seed: int = 1) -> list[dict[str, str]]:
    """The levels of ``pairs`` pairs of two people of ``people`` drawn at random (among ``RANDOM_PEOPLE`` of them
    read), what u is counted on: two people of the same sex for every comparison but sex (names imply a sex, so
    agreeing on both is one piece of evidence), sex on a pair drawn regardless of it."""
    rng = random.Random(seed)  # noqa: S311 - a sample, not a secret
    ids = list(people.values_list("pk", flat=True))
    records = records_of(people.filter(pk__in=rng.sample(ids, min(RANDOM_PEOPLE, len(ids)))))
    if len(records) < 2:
        return []
    households = household_members(people, [r.household for r in records.values() if r.household])
    everyone = sorted(records)
    by_sex: dict[str, list[int]] = {}
    for pk in everyone:
        by_sex.setdefault(records[pk].sex, []).append(pk)
    groups = [group for group in by_sex.values() if len(group) > 1]
    sizes = [len(group) * (len(group) - 1) for group in groups]
    out = []
    while len(out) < pairs:
        group = rng.choices(groups, weights=sizes)[0]
        a, b = rng.sample(group, 2)
        found = levels(records[a], records[b], households)[0]
        x, y = (records[pk].sex for pk in rng.sample(everyone, 2))
        found["gender"] = "missing" if not (x and y) else "agrees" if x == y else "differs"
        out.append(found)
    return out


def match_weights_estimate(
    *, sample: int = 2000, seed: int = 1, store: bool = True, people=None, random_pairs: int = RANDOM_PAIRS
) -> Estimated:
    """Re-estimate the weights on ``people`` (every active person unless given): u on ``random_pairs`` pairs of
    them drawn at random; m by EM, u held, on every candidate pair the lookups of ``sample`` people picked at
    random score, with the review queue's decided pairs as truth; the calibration from EM's share of true pairs,
    or fitted on the decisions when there are ``MIN_DECISIONS`` of each kind. ``store`` writes the result (one
    ``MatchWeights`` row and an audit entry) so that lookups use it."""
    previous = weights_in_force()
    if people is None:
        people = Person.objects.filter(is_active=True, merged_into__isnull=True)
    ids = list(people.values_list("pk", flat=True))
    chosen = random.Random(seed).sample(ids, min(sample, len(ids)))  # noqa: S311 - a sample, not a secret
    # Every candidate of every lookup, a pair found from both sides twice: EM's share of true pairs among them is
    # then the true partners a lookup finds.
    pairs: list[dict[str, str]] = []
    lookups = 0
    for person in people.filter(pk__in=chosen).select_related("household"):
        lookups += 1
        for candidate in candidates_in(people, record_for(person), exclude_pk=person.pk, limit=POOL):
            pairs.append(candidate.match.levels)
    decided = _decided_pairs()
    found = pairs + [levels for levels, _, _ in decided]
    labels = {len(pairs) + index: same for index, (_, same, _) in enumerate(decided)}
    random_pairs_levels = random_levels(people, pairs=random_pairs, seed=seed)
    u = u_from_random(random_pairs_levels)
    # EM on the candidates, from the m in force and the candidates' own shares (nearly all are two people);
    # its m is kept, with u from the random pairs.
    among_candidates = u_from_random(found)
    m = m_of(previous.m_u)
    for name, levels_of in LEVELS.items():  # a level the weights in force lack starts neutral
        for level in levels_of:
            m.setdefault(name, {}).setdefault(level, among_candidates[name][level])
    result = expectation_maximisation(found, with_u(m, among_candidates), labels=labels)
    result = replace(result, m_u=with_u(m_of(result.m_u), u, seen_in(found, random_pairs_levels)))
    merged = sum(1 for _, same, _ in decided if same)
    dismissed = len(decided) - merged
    recalibrated = merged >= MIN_DECISIONS and dismissed >= MIN_DECISIONS
    if recalibrated:
        new = Weights(result.m_u, 1.0, 0.0, collision=previous.collision)
        bits = [sum(new.weight(name, level) for name, level in levels.items()) for levels, _, _ in decided]
        slope, intercept = fit_calibration(bits, [same for _, same, _ in decided])
    else:
        # The posterior of one pair of a registry of n people: bits are log2 odds (slope ln 2), and the prior odds
        # are the true partners a person has (EM's true pairs among a lookup's candidates) among the n; scaled as
        # ``scoring.probability`` scales odds by the registry's size as the lookups count it.
        partners = max(1e-4, (result.prior * len(found) - merged) / max(lookups, 1))
        seen = max(registry_frequencies().total, SMALLEST_REGISTRY)
        slope, prior_odds = calibration_from_prior(partners / max(len(ids), 1))
        intercept = round(prior_odds - math.log(CALIBRATION_PEOPLE / seen), 4)
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
