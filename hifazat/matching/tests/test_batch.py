"""Batch de-duplication's comparisons are the scorer's: the score without reasons equals ``score``, a pair set
aside as unable to reach the threshold never reaches it, and the work gives the same in several processes."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import replace
from functools import cache
from unittest import mock

from django.test import SimpleTestCase

from hifazat.matching import batch
from hifazat.matching.batch import (
    Scoring,
    blocks_of,
    household_bound,
    oriented,
    queue_pairs,
    quick_score,
    ranked_candidates,
    score_if_reachable,
)
from hifazat.matching.blocking import blocking_keys, lookup_keys, queue_keys
from hifazat.matching.scoring import (
    LIKELY_FROM,
    POSSIBLE_FROM,
    NameFrequencies,
    default_weights,
    member_of,
    score,
)
from hifazat.matching.synthetic import generate


@cache
def world(people: int = 1500, seed: int = 7):
    """A generated registry as the batch sees it: records with ids, key rows, name counts, households; and
    pairs to compare: every pair under a broad lookup key of a sample (most of them far from alike) and under a
    queue key (most of them alike)."""
    registry = generate(people, seed=seed)
    records = {i: replace(r, person=i) for i, r in enumerate(registry.records)}
    rows, members = defaultdict(list), defaultdict(list)
    for i, record in records.items():
        members[record.household].append(member_of(record))
        for key in blocking_keys(record):
            rows[key].append((i, record.birth_year))
    frequencies = NameFrequencies(
        {k[2:]: len(v) for k, v in rows.items() if k.startswith("t:")}, len(records)
    )
    scoring = Scoring(records, {h: tuple(m) for h, m in members.items()}, default_weights(), frequencies)
    rng = random.Random(seed)
    pairs = set()
    for i in rng.sample(sorted(records), 80):
        for key in lookup_keys(records[i]) | queue_keys(records[i]):
            pairs |= {(min(i, j), max(i, j)) for j, _ in rows[key][:40] if j != i}
    return registry, scoring, rows, sorted(pairs | registry.true_pairs())


class QuickScoreTests(SimpleTestCase):
    def test_the_score_without_reasons_is_the_scorers_score(self) -> None:
        _, scoring, _, pairs = world()
        context = {
            "weights": scoring.weights,
            "frequencies": scoring.frequencies,
            "households": scoring.households,
        }
        self.assertGreater(len(pairs), 1500)
        differ = [
            (a, b)
            for a, b in pairs
            if quick_score(*scoring.pair(a, b), **context) != score(*scoring.pair(a, b), **context).score
        ]
        self.assertEqual(differ, [])

    def test_a_pair_set_aside_could_not_reach_the_threshold_and_the_others_keep_their_score(self) -> None:
        _, scoring, _, pairs = world()
        context = {
            "weights": scoring.weights,
            "frequencies": scoring.frequencies,
            "households": scoring.households,
        }
        bound = household_bound(scoring.weights)
        for threshold in (POSSIBLE_FROM, LIKELY_FROM):
            set_aside = reached = 0
            for a, b in pairs:
                exact = quick_score(*scoring.pair(a, b), **context)
                found = score_if_reachable(*scoring.pair(a, b), threshold, bound=bound, **context)
                if found is None:
                    set_aside += 1
                    self.assertLess(exact, threshold, (a, b))
                else:
                    self.assertEqual(found, exact)
                    reached += exact >= threshold
            with self.subTest(threshold=threshold):
                # Most pairs are set aside without comparing households, and pairs at the threshold exist.
                self.assertGreater(set_aside, len(pairs) // 2)
                self.assertGreater(reached, 20)

    def test_registered_people_are_scored_in_the_order_of_their_ids(self) -> None:
        _, scoring, _, _ = world()
        a, b = scoring.records[5], scoring.records[9]
        self.assertEqual(oriented(b, a), (a, b))
        unsaved = replace(a, person=None)
        self.assertEqual(oriented(unsaved, b), (unsaved, b))


class BatchTests(SimpleTestCase):
    def test_each_persons_best_candidates_at_the_threshold_are_queued_once(self) -> None:
        _, scoring, rows, _ = world()
        scanned = list(scoring.records.values())
        pools = ranked_candidates(scanned, blocks_of(rows), visible=scoring.records.keys(), pool=60)
        for person, candidates in pools.items():
            self.assertNotIn(person, candidates)
        context = {
            "weights": scoring.weights,
            "frequencies": scoring.frequencies,
            "households": scoring.households,
        }
        for threshold, limit in ((LIKELY_FROM, 10), (POSSIBLE_FROM, 10), (POSSIBLE_FROM, 1)):
            # Plainly: score every candidate of every person, keep each person's ``limit`` best at the threshold.
            expected = {}
            for person, candidates in pools.items():
                scored = sorted(
                    (-quick_score(*scoring.pair(person, other), **context), other) for other in candidates
                )
                for value, other in scored[:limit]:
                    if -value >= threshold:
                        expected[(min(person, other), max(person, other))] = -value
            with self.subTest(threshold=threshold, limit=limit):
                self.assertGreater(len(expected), 40)
                self.assertEqual(queue_pairs(pools, scoring, threshold=threshold, limit=limit), expected)

    def test_two_processes_find_what_one_finds(self) -> None:
        _, scoring, rows, _ = world()
        scanned = list(scoring.records.values())
        pools = ranked_candidates(scanned, blocks_of(rows), visible=scoring.records.keys(), pool=60)
        one = queue_pairs(pools, scoring, threshold=POSSIBLE_FROM, limit=10, workers=1)
        with mock.patch.object(batch, "SMALL", 10):  # share out even this little
            pools_two = ranked_candidates(
                scanned, blocks_of(rows), visible=scoring.records.keys(), pool=60, workers=2
            )
            two = queue_pairs(pools, scoring, threshold=POSSIBLE_FROM, limit=10, workers=2)
            explained = batch.matches(sorted(one), scoring, workers=2)
        self.assertEqual(pools_two, pools)
        self.assertGreater(len(one), 40)
        self.assertEqual(one, two)
        self.assertEqual({pair: match.score for pair, match in explained.items()}, one)

    def test_a_candidate_outside_the_scope_is_never_in_a_pool(self) -> None:
        _, scoring, rows, _ = world()
        scanned = list(scoring.records.values())
        visible = {pk for pk in scoring.records if pk % 2}
        pools = ranked_candidates(scanned, blocks_of(rows), visible=visible, pool=60)
        self.assertTrue(all(pk % 2 for found in pools.values() for pk in found))
        self.assertTrue(any(pools.values()))
