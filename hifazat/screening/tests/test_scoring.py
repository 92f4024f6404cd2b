"""Scoring by transparent rules: the sum of weights with its reasons, protective factors, bands, red flags."""

from __future__ import annotations

from django.test import SimpleTestCase

from hifazat.screening import indicators
from hifazat.screening.scoring import Reason, score
from hifazat.screening.testing import answers_for


class ScoringTests(SimpleTestCase):
    def setUp(self) -> None:
        self.catalogue = indicators.current_catalogue()

    def score(self, *, child: bool = False, **chosen: str):
        answers = answers_for(self.catalogue, subject_is_child=child, **chosen)
        return score(self.catalogue, answers, subject_is_child=child)

    def test_neutral_answers_score_nothing(self) -> None:
        result = self.score()
        self.assertEqual((result.score, result.band, result.reasons, result.red_flags), (0, "low", (), ()))

    def test_the_score_is_the_sum_of_weights_and_lists_the_answers_that_produced_it(self) -> None:
        result = self.score(
            ind_no_documents="yes", hh_debt="lender", com_agents_visit="yes", hh_meals="unknown"
        )
        self.assertEqual(result.score, 2 + 3 + 2)
        self.assertEqual(result.band, "medium")
        self.assertEqual(
            result.reasons,
            (
                Reason("ind_no_documents", "yes", 2, "risk"),
                Reason("hh_debt", "lender", 3, "risk"),
                Reason("com_agents_visit", "yes", 2, "risk"),
            ),
        )
        self.assertEqual(result.red_flags, ())

    def test_protective_factors_lower_the_score(self) -> None:
        risks = {"ind_no_documents": "yes", "hh_debt": "lender", "com_agents_visit": "yes"}
        without = self.score(**risks)
        with_protection = self.score(**risks, ind_has_skill="yes", str_livelihood_programme="yes")
        self.assertEqual(with_protection.score, without.score - 1 - 2)
        self.assertEqual((without.band, with_protection.band), ("medium", "low"))
        self.assertIn(Reason("ind_has_skill", "yes", -1, "protective"), with_protection.reasons)
        self.assertIn(Reason("str_livelihood_programme", "yes", -2, "protective"), with_protection.reasons)

    def test_bands_follow_the_thresholds_in_the_catalogue(self) -> None:
        self.assertEqual(self.catalogue.bands, {"medium": 5, "high": 12, "urgent": 24})
        high = self.score(
            fl_works="yes",
            fl_deception="yes",
            fl_isolation="yes",
            fl_debt_bondage="yes",
            fl_abusive_conditions="yes",
        )
        self.assertEqual((high.score, high.band), (12, "high"))
        eight = {f"fl_{name}": "yes" for name in (
            "deception", "isolation", "debt_bondage", "abusive_conditions", "restriction_of_movement",
            "intimidation_threats", "retention_of_documents", "withholding_of_wages",
        )}  # fmt: skip
        urgent = self.score(fl_works="yes", **eight)
        self.assertEqual((urgent.score, urgent.band, urgent.red_flags), (24, "urgent", ()))

    def test_a_child_with_any_exploitation_indicator_is_urgent_at_once(self) -> None:
        exploitation = [
            q
            for q in self.catalogue.questions_for(subject_is_child=True)
            if "child_exploitation" in q.red_flags
        ]
        self.assertEqual(len(exploitation), 4)  # the child section's; work away from home is asked there
        for question in exploitation:
            result = self.score(child=True, **{question.id: "yes"})
            self.assertEqual(result.band, "urgent", question.id)
            self.assertEqual(result.band_by_score, "low", question.id)
            self.assertEqual(
                [(f.flag, f.questions) for f in result.red_flags],
                [("child_exploitation", (question.id,))],
                question.id,
            )

    def test_the_same_indicator_for_an_adult_counts_its_weight_but_raises_no_child_flag(self) -> None:
        result = self.score(fl_works="yes", fl_deception="yes")
        self.assertEqual((result.score, result.band, result.red_flags), (3, "low", ()))

    def test_an_outside_offer_of_work_education_or_marriage_is_urgent_at_once(self) -> None:
        for question in ("lure_offer_work", "lure_offer_education", "lure_offer_marriage"):
            for child in (False, True):
                result = self.score(child=child, **{question: "yes"})
                self.assertEqual(result.band, "urgent", question)
                self.assertEqual(result.score, 3)
                self.assertEqual(
                    [(f.flag, f.questions) for f in result.red_flags], [("outside_offer", (question,))]
                )

    def test_a_stranger_asking_about_a_child_is_urgent_at_once(self) -> None:
        result = self.score(lure_stranger_asked_child="yes")
        self.assertEqual(result.band, "urgent")
        self.assertEqual(
            [(f.flag, f.questions) for f in result.red_flags],
            [("stranger_asking_about_child", ("lure_stranger_asked_child",))],
        )

    def test_an_unknown_answer_raises_no_flag_and_adds_nothing(self) -> None:
        result = self.score(lure_offer_work="unknown", lure_stranger_asked_child="unknown")
        self.assertEqual((result.score, result.band, result.red_flags), (0, "low", ()))

    def test_several_red_flags_are_all_listed(self) -> None:
        result = self.score(
            child=True, lure_offer_marriage="yes", ch_married_or_promised="yes", ch_begging="yes"
        )
        self.assertEqual(
            {f.flag: f.questions for f in result.red_flags},
            {
                "outside_offer": ("lure_offer_marriage",),
                "child_exploitation": ("ch_begging", "ch_married_or_promised"),
            },
        )
