"""The tracing score on records alone: levels, neutral missing fields, explanations, calibration."""

from __future__ import annotations

import datetime
import math

from django.test import SimpleTestCase

from hifazat.matching import MatchRecord
from hifazat.tracing.scoring import (
    INTERCEPT,
    M_U,
    SLOPE,
    WEIGHTS,
    Area,
    Areas,
    Found,
    Sought,
    odds,
    probability,
    weigh,
)
from hifazat.tracing.scoring import score as tracing_score

AREAS = Areas(
    [
        Area(1, None, 0, "Pakistan"),
        Area(2, 1, 1, "Frontier"),
        Area(3, 2, 2, "Mansehra"),
        Area(4, 3, 3, "Balakot"),
        Area(5, 3, 3, "Mansehra tehsil"),
        Area(6, 1, 1, "Kashmir"),
        Area(7, 6, 2, "Muzaffarabad"),
    ]
)
QUAKE = datetime.date(2005, 10, 8)


def child(**fields) -> Found:
    extra = {
        k: fields.pop(k) for k in ("origin_area", "origin_village", "site_area", "arrived_on") if k in fields
    }
    fields.setdefault("gender", "Masculine")
    return Found(person=MatchRecord(**fields), **extra)


def sought(**fields) -> Sought:
    extra = {
        k: fields.pop(k)
        for k in ("origin_area", "origin_village", "separation_area", "separation_date")
        if k in fields
    }
    return Sought(person=MatchRecord(**fields), **extra)


def score(a: Sought, b: Found, areas: Areas, block: int = 1):
    return tracing_score(a, b, areas, block=block)


def levels(match) -> dict[str, str]:
    return match.levels


class ScoringTests(SimpleTestCase):
    def test_a_name_in_urdu_script_agrees_with_the_same_name_in_latin_letters(self) -> None:
        match = score(
            sought(first_name_ur="بلال", second_name_ur="تنولی"),
            child(first_name="Bilal", second_name="Tanoli"),
            AREAS,
        )
        self.assertEqual(levels(match)["given_name"], "variant")
        self.assertEqual(levels(match)["family_name"], "variant")
        self.assertGreater(match.comparisons[0].weight, 0)

    def test_two_names_that_only_share_consonants_are_not_a_spelling_variant(self) -> None:
        match = score(
            sought(first_name="Sana", gender="Feminine"),
            child(first_name="Shaheen", gender="Feminine"),
            AREAS,
        )
        self.assertEqual(levels(match)["given_name"], "consonants")
        self.assertLess(WEIGHTS["given_name"]["consonants"], WEIGHTS["given_name"]["variant"])

    def test_spelling_variants_and_muhammad_are_tolerated(self) -> None:
        match = score(sought(first_name="Mohd Usman"), child(first_name="Usmaan"), AREAS)
        self.assertEqual(levels(match)["given_name"], "variant")

    def test_a_field_recorded_on_one_side_only_weighs_nothing(self) -> None:
        match = score(
            sought(first_name="Bilal"), child(first_name="Bilal", parentage_name="Akbar Khan"), AREAS
        )
        father = next(c for c in match.comparisons if c.field == "father_name")
        self.assertEqual((father.level, father.outcome, father.weight), ("missing", "missing", 0.0))
        self.assertIn("not compared", father.text)

    def test_an_estimated_age_is_compared_with_tolerance(self) -> None:
        def age_level(apart: int, estimate: bool) -> str:
            born = datetime.date(1996, 7, 1)
            a = sought(first_name="Bilal", birth_year=1996, birthdate_is_estimate=estimate)
            b = child(
                first_name="Bilal", birthdate=born.replace(year=1996 + apart), birthdate_is_estimate=True
            )
            return levels(score(a, b, AREAS))["age"]

        self.assertEqual(age_level(0, True), "estimate_0")
        self.assertEqual(age_level(2, True), "estimate_3")
        self.assertEqual(age_level(5, True), "estimate_window")
        self.assertGreater(WEIGHTS["age"]["estimate_3"], WEIGHTS["age"]["estimate_window"])
        self.assertGreater(WEIGHTS["age"]["estimate_0"], WEIGHTS["age"]["estimate_1"])

    def test_places_are_compared_by_district_and_province(self) -> None:
        def origin(a: int, b: int) -> str:
            return levels(
                score(sought(first_name="Ali", origin_area=a), child(first_name="Ali", origin_area=b), AREAS)
            )["origin"]

        self.assertEqual(origin(4, 4), "same_tehsil")
        self.assertEqual(origin(3, 4), "within_district")
        self.assertEqual(origin(4, 5), "other_tehsil")
        self.assertEqual(origin(4, 7), "different")
        village = score(
            sought(first_name="Ali", origin_area=3, origin_village="Garhi Dupatta"),
            child(first_name="Ali", origin_area=4, origin_village="Garhi Dupatah"),
            AREAS,
        )
        self.assertEqual(levels(village)["origin"], "same_village")

    def test_separation_is_compared_with_where_and_when_the_child_was_registered(self) -> None:
        match = score(
            sought(first_name="Ali", separation_area=3, separation_date=QUAKE),
            child(first_name="Ali", site_area=4, arrived_on=QUAKE + datetime.timedelta(days=10)),
            AREAS,
        )
        self.assertEqual(levels(match)["separation_place"], "same_district")
        self.assertEqual(levels(match)["separation_date"], "soon_after")

    def test_more_agreement_scores_higher_and_the_ranking_weight_is_the_scores(self) -> None:
        base = dict(first_name="Bilal", second_name="Tanoli")
        weak = (sought(**base), child(**base))
        strong = (
            sought(
                **base,
                parentage_name="Akbar Tanoli",
                birth_year=1996,
                birthdate_is_estimate=True,
                origin_area=4,
            ),
            child(
                **base,
                parentage_name="Akbar",
                birthdate=datetime.date(1996, 7, 1),
                birthdate_is_estimate=True,
                origin_area=4,
            ),
        )
        self.assertGreater(score(*strong, AREAS).probability, score(*weak, AREAS).probability)
        self.assertAlmostEqual(weigh(*strong, AREAS), score(*strong, AREAS).weight, places=1)
        self.assertEqual(score(*strong, AREAS).band, "likely")

    def test_the_probability_is_the_calibrated_choice_among_the_candidates(self) -> None:
        self.assertAlmostEqual(odds(0.0, 1), math.exp(INTERCEPT), places=6)
        self.assertAlmostEqual(probability(0.0, 1), math.exp(INTERCEPT) / (1 + math.exp(INTERCEPT)), places=6)
        self.assertGreater(SLOPE, 0)
        self.assertTrue(all(0 < m < 1 and 0 < u < 1 for levels in M_U.values() for m, u in levels.values()))
        # The same evidence among three namesakes is worth more than among three hundred.
        pair = (
            sought(first_name="Bilal", second_name="Tanoli"),
            child(first_name="Bilal", second_name="Tanoli"),
        )
        self.assertGreater(
            score(*pair, AREAS, block=3).probability, score(*pair, AREAS, block=300).probability
        )
        # Two candidates with the same strong evidence share the probability: at most one is the child.
        alone = probability(12.0, 2)
        shared = probability(12.0, 2, total_odds=2 * odds(12.0, 2))
        self.assertGreater(alone, 0.95)
        self.assertAlmostEqual(shared, 0.5, delta=0.02)
