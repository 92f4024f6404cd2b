"""The generated registry with known truth (``matching.synthetic``) and the arithmetic of its quality figures."""

from __future__ import annotations

from collections import Counter
from functools import cache

from django.test import SimpleTestCase

from hifazat.matching.names import match_tokens
from hifazat.matching.synthetic import (
    best_threshold,
    calibration,
    generate,
    pair_scores,
    quality_at,
)

PEOPLE = 4_000


@cache
def registry(seed: int = 7):
    return generate(PEOPLE, seed=seed)


class GeneratorTests(SimpleTestCase):
    def test_the_same_seed_gives_the_same_registry_and_another_seed_another(self) -> None:
        first, again = registry(), generate(PEOPLE, seed=7)
        self.assertEqual(first.records, again.records)
        self.assertEqual(first.identity, again.identity)
        self.assertEqual(first.households, again.households)
        self.assertNotEqual(first.records, generate(PEOPLE, seed=8).records)

    def test_the_truth_is_kept_apart_and_names_every_person_once_for_each_registration(self) -> None:
        found = registry()
        self.assertEqual(len(found.identity), len(found.records))
        self.assertEqual(len(set(found.identity)), found.people)
        self.assertFalse(hasattr(found.records[0], "identity"))
        # Second registrations follow the first, each of a person registered first.
        self.assertEqual(found.identity[: found.people], list(range(found.people)))
        counts = Counter(found.identity)
        self.assertEqual(len(found.true_pairs()), sum(n * (n - 1) // 2 for n in counts.values()))
        for i, j in found.true_pairs():
            self.assertLess(i, j)
            self.assertTrue(found.same(i, j))
            self.assertEqual(found.records[i].gender, found.records[j].gender)

    def test_five_to_ten_in_a_hundred_people_are_registered_again_at_another_site(self) -> None:
        found = registry()
        again = range(found.people, len(found.records))
        self.assertTrue(0.05 <= len(again) / found.people <= 0.10, len(again) / found.people)
        first_site = {found.identity[i]: found.records[i].site for i in range(found.people)}
        for i in again:
            self.assertNotEqual(found.records[i].site, first_site[found.identity[i]])
            self.assertNotEqual(found.records[i].household, found.records[found.identity[i]].household)

    def test_about_half_the_ages_are_estimated_and_some_have_no_birth_at_all(self) -> None:
        records = registry().records
        estimated = sum(r.birthdate_is_estimate for r in records) / len(records)
        missing = sum(r.birthdate is None for r in records) / len(records)
        self.assertTrue(0.40 <= estimated <= 0.56, estimated)
        self.assertTrue(0.02 <= missing <= 0.08, missing)
        for record in records:
            if record.birthdate_is_estimate:
                self.assertEqual((record.birthdate.month, record.birthdate.day), (7, 1))

    def test_a_share_of_the_records_is_in_urdu_script_and_some_only_in_it(self) -> None:
        records = registry().records
        urdu = sum(bool(r.first_name_ur or r.parentage_name_ur) for r in records) / len(records)
        only = sum("\u0600" <= r.first_name[0] <= "\u06ff" for r in records) / len(records)
        self.assertTrue(0.35 <= urdu <= 0.55, urdu)
        self.assertTrue(0.10 <= only <= 0.20, only)

    def test_siblings_and_the_wife_are_written_with_the_same_fathers_or_husbands_name(self) -> None:
        found = registry()
        by_household: dict[int, list[int]] = {}
        for i in range(found.people):
            by_household.setdefault(found.records[i].household, []).append(i)
        households_with_siblings = 0
        for members in by_household.values():
            children = [i for i in members if found.relationships[i] == "child"]
            wives = [
                i
                for i in members
                if found.relationships[i] in {"spouse", "head"}
                and found.records[i].parentage_word == "wife_of"
            ]
            written = {
                found.records[i].parentage_name for i in children + wives if found.records[i].parentage_name
            }
            self.assertLessEqual(len(written), 1, written)
            if len(children) >= 2:
                households_with_siblings += 1
        self.assertGreater(households_with_siblings, len(by_household) / 3)

    def test_common_given_names_are_much_commoner_than_rare_ones_and_muhammad_prefixes_some(self) -> None:
        records = registry().records
        women = Counter(
            match_tokens(r.first_name)[0]
            for r in records
            if r.gender == "Feminine" and r.first_name.isascii()
        )
        ranked = women.most_common()
        self.assertGreater(ranked[0][1], 3 * ranked[len(ranked) // 2][1])
        self.assertGreater(ranked[0][1] / sum(women.values()), 0.05)
        men = [r.first_name for r in records if r.gender == "Masculine" and r.first_name.isascii()]
        prefixed = sum(
            name.split()[0] in {"Muhammad", "Mohd", "Mohammad", "Muhammed", "Mohammed"} for name in men
        )
        self.assertTrue(0.2 <= prefixed / len(men) <= 0.4, prefixed / len(men))
        titles = sum(
            r.second_name in {"Bibi", "Begum", "Khatoon", "Bi"} for r in records if r.gender == "Feminine"
        )
        self.assertGreater(titles, 0)

    def test_second_registrations_carry_spelling_script_and_birth_date_variants(self) -> None:
        found = registry()
        changed_name = changed_birth = 0
        for i in range(found.people, len(found.records)):
            again, first = found.records[i], found.records[found.identity[i]]
            changed_name += (again.first_name, again.second_name) != (first.first_name, first.second_name)
            changed_birth += (again.birthdate, again.birthdate_is_estimate) != (
                first.birthdate,
                first.birthdate_is_estimate,
            )
        count = len(found.records) - found.people
        self.assertGreater(changed_name / count, 0.5)
        self.assertGreater(changed_birth / count, 0.3)


class QualityArithmeticTests(SimpleTestCase):
    """Six scored pairs over records 0..6; records 0, 1 and 2 are one person, 3 and 4 another, 5 and 6 others."""

    identity = [0, 0, 0, 1, 1, 2, 3]
    scores = pair_scores(
        [
            (0, 1, 0.95),
            (1, 0, 0.97),  # the same pair from the other side: the higher score is kept
            (3, 4, 0.85),
            (5, 6, 0.90),
            (0, 5, 0.15),
            (2, 0, 0.40),
            (4, 6, 0.05),
        ]
    )
    true_pairs = 4  # (0, 1), (0, 2), (1, 2), (3, 4): (1, 2) is never scored

    def same(self, i: int, j: int) -> bool:
        return self.identity[i] == self.identity[j]

    def test_pairs_are_unordered_and_keep_the_higher_score(self) -> None:
        self.assertEqual(
            self.scores,
            {(0, 1): 0.97, (3, 4): 0.85, (5, 6): 0.90, (0, 5): 0.15, (0, 2): 0.40, (4, 6): 0.05},
        )

    def test_precision_recall_and_f1_at_a_threshold(self) -> None:
        found = quality_at(self.scores, self.same, self.true_pairs, 0.80)
        self.assertEqual((found.flagged, found.true_flagged), (3, 2))
        self.assertAlmostEqual(found.precision, 2 / 3)
        self.assertAlmostEqual(found.recall, 2 / 4)
        self.assertAlmostEqual(found.f1, 2 * (2 / 3) * (1 / 2) / (2 / 3 + 1 / 2))  # 4/7

    def test_nothing_flagged_gives_zero_not_an_error(self) -> None:
        found = quality_at(self.scores, self.same, self.true_pairs, 0.99)
        self.assertEqual((found.precision, found.recall, found.f1), (0.0, 0.0, 0.0))

    def test_the_best_threshold_is_the_score_with_the_highest_f1(self) -> None:
        # At 0.40: 4 flagged, 3 true: precision 3/4, recall 3/4, F1 0.75, above 4/7 at 0.85 and 0.6 at 0.15.
        best = best_threshold(self.scores, self.same, self.true_pairs)
        self.assertEqual(best.threshold, 0.40)
        self.assertEqual((best.flagged, best.true_flagged), (4, 3))
        self.assertAlmostEqual(best.f1, 0.75)

    def test_a_threshold_flags_every_pair_of_its_score(self) -> None:
        scores = {(0, 1): 0.9, (5, 6): 0.9, (3, 4): 0.5}
        best = best_threshold(scores, self.same, 2)
        # 0.9 alone (one true of two) would give F1 0.5; 0.5 gives precision 2/3, recall 1, F1 0.8.
        self.assertEqual((best.threshold, best.flagged, best.true_flagged), (0.5, 3, 2))
        self.assertAlmostEqual(best.f1, 0.8)

    def test_calibration_counts_each_band_its_mean_score_and_its_share_of_the_same_person(self) -> None:
        bands = calibration({**self.scores, (1, 2): 1.0}, self.same)
        self.assertEqual(len(bands), 10)
        self.assertEqual([b.pairs for b in bands], [1, 1, 0, 0, 1, 0, 0, 0, 1, 3])
        top = bands[9]
        self.assertEqual((top.low, top.high), (0.9, 1.0))
        self.assertAlmostEqual(top.mean_score, (0.97 + 0.90 + 1.0) / 3)
        self.assertAlmostEqual(top.share_same, 2 / 3)  # (0, 1) and (1, 2) are; (5, 6) is not
        self.assertEqual((bands[8].mean_score, bands[8].share_same), (0.85, 1.0))
        self.assertEqual((bands[4].mean_score, bands[4].share_same), (0.40, 1.0))
        self.assertEqual((bands[1].mean_score, bands[1].share_same), (0.15, 0.0))
        self.assertEqual((bands[2].pairs, bands[2].mean_score, bands[2].share_same), (0, 0.0, 0.0))
