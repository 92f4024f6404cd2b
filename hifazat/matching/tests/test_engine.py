"""One matching engine: registry duplicates and family tracing are profiles of the same comparisons, weighing,
bands and reasons; weights estimated the same way for both."""

from __future__ import annotations

import datetime
import math
from dataclasses import replace

from django.test import SimpleTestCase
from django.utils import translation

from hifazat.matching import MatchRecord, score
from hifazat.matching.comparisons import name_levels
from hifazat.matching.engine import EXPLAINED
from hifazat.matching.estimate import (
    calibration_from_prior,
    expectation_maximisation,
    m_from_true,
    m_of,
    u_from_random,
    with_u,
)
from hifazat.matching.explanations import explain, explain_tracing
from hifazat.matching.scoring import DEFAULT_WEIGHTS, REGISTRY, Weights, member_of
from hifazat.matching.tracing import TRACING, Area, Areas, Found, Sought
from hifazat.matching.tracing import score as tracing_score
from hifazat.tracing import scoring as tracing_scoring


def reason(match, field):
    return next(r for r in match.reasons if r.field == field)


class ProfileTests(SimpleTestCase):
    def test_tracing_is_a_profile_of_the_engine_and_reads_names_as_the_registry_does(self) -> None:
        self.assertIs(tracing_scoring.TRACING, TRACING)
        # Hassan and Hussain share their consonants and are different names, for tracing as for the registry.
        sought = Sought(MatchRecord(first_name="Hassan", gender="Masculine"))
        found = Found(MatchRecord(first_name="Hussain", gender="Masculine"))
        match = tracing_score(sought, found, Areas([Area(1, None, 0, "Pakistan")]), block=1)
        self.assertEqual(match.levels["given_name"], "consonants")
        a, b = sought.person, found.person
        self.assertEqual(name_levels(a, b)[0], score(a, b).levels["given_name"])

    def test_a_reasons_outcome_says_what_its_sentence_says_whatever_its_weight(self) -> None:
        """A family name that agrees says "agrees" even where agreeing on it weighs against (a registry where
        most candidates share their family name); the weight tells the evidence, the outcome the values."""
        against = {
            **DEFAULT_WEIGHTS.m_u,
            "family_name": {**DEFAULT_WEIGHTS.m_u["family_name"], "exact": (0.1, 0.5)},
        }
        weights = replace(DEFAULT_WEIGHTS, m_u=against)
        a = MatchRecord(first_name="Sadia", second_name="Awan", gender="Feminine")
        family = reason(score(a, a, weights=weights), "family_name")
        self.assertLess(family.weight, 0)
        self.assertEqual((family.level, family.outcome), ("exact", "agrees"))
        self.assertIn("agrees", family.explanation)
        # And the same rule for tracing: a level's outcome is the profile's, not its weight's sign.
        self.assertEqual(TRACING.outcome("age", "estimate_3"), "agrees")
        self.assertEqual(TRACING.outcome("origin", "same_province"), "partly")
        self.assertEqual(TRACING.outcome("sex", "missing"), "missing")

    def test_siblings_agreeing_on_father_family_and_household_are_not_counted_three_times(self) -> None:
        def person(pk, household, name, year):
            return MatchRecord(
                first_name=name,
                second_name="Jadoon",
                parentage_word="daughter_of",
                parentage_name="Babar",
                gender="Feminine",
                birth_year=year,
                birthdate_is_estimate=True,
                household=household,
                person=pk,
            )

        # A family registered again at another site: two sisters, each with her other sister found.
        aasia, fatima = person(1, 10, "Aasia", 2006), person(2, 20, "Fatima", 2008)
        households = {
            10: (member_of(aasia), member_of(person(3, 10, "Rabia", 2012))),
            20: (member_of(fatima), member_of(person(4, 20, "Rabia", 2012))),
        }
        match = score(aasia, fatima, households=households)
        self.assertEqual(match.levels["context"], "siblings")
        for field in ("parentage", "family_name", "household_members"):
            with self.subTest(field):
                self.assertEqual(reason(match, field).weight, 0.0)
                self.assertEqual(REGISTRY.compared(match.levels)[field], EXPLAINED)
        self.assertEqual(reason(match, "parentage").outcome, "agrees")  # what the values say stays shown
        self.assertEqual(match.band, "unlikely")

    def test_names_written_in_the_other_order_score_the_same_read_from_either_side(self) -> None:
        a = MatchRecord(first_name="Aasia", second_name="Jadoon", gender="Feminine", birth_year=2006)
        b = MatchRecord(first_name="Jadoon", second_name="Fatima", gender="Feminine", birth_year=2006)
        self.assertEqual(score(a, b).levels["given_name"], "differs")
        self.assertEqual(score(a, b).score, score(b, a).score)
        same = MatchRecord(first_name="Jadoon", second_name="Aasia", gender="Feminine", birth_year=2006)
        self.assertEqual(score(a, same).levels["given_name"], "exact")


class ExplanationTests(SimpleTestCase):
    def test_every_level_of_both_profiles_has_its_sentence_in_english_and_urdu(self) -> None:
        def sentences() -> list[str]:
            out = []
            for field, levels in REGISTRY.levels.items():
                for level in levels:
                    for detail in ("father", "husband", "") if field == "parentage" else ("",):
                        out.append(explain(field, level, "A", "B", detail=detail))
            for field, levels in TRACING.levels.items():
                out += [explain_tracing(field, level, "Label", "A", "B") for level in levels]
            return out

        english = sentences()
        with translation.override("ur"):
            urdu = sentences()
        self.assertEqual(len(english), len(urdu))
        untranslated = [e for e, u in zip(english, urdu, strict=True) if e == u]
        self.assertEqual(untranslated, [])


class EstimateTests(SimpleTestCase):
    def test_u_is_counted_on_random_pairs_and_m_found_by_em_on_the_candidates(self) -> None:
        random_pairs = [{"given_name": "differs", "gender": "agrees"}] * 95 + [{"given_name": "exact"}] * 5
        u = u_from_random(random_pairs)
        self.assertAlmostEqual(u["given_name"]["exact"], 5.5 / 103, places=6)

        # Candidates a lookup returns (all share a name): 300 people registered twice, mostly with the same
        # date of birth and father's name, and 3,000 namesakes, mostly with neither.
        def pair(birth, father):
            return {"given_name": "exact", "birth": birth, "parentage": father}

        candidates = (
            [pair("same_date", "exact")] * 270
            + [pair("same_date", "differs")] * 15
            + [pair("far", "exact")] * 15
            + [pair("far", "differs")] * 2700
            + [pair("far", "exact")] * 150
            + [pair("same_date", "differs")] * 150
        )
        # EM starts from the m in force (here a rough one) and the candidates' own shares as u.
        rough = [pair(*levels) for levels in [("same_date", "exact")] * 5 + [("near", "variant")] * 5]
        start = with_u(m_from_true(rough), u_from_random(candidates))
        found = expectation_maximisation(candidates, start, prior=0.05)
        self.assertAlmostEqual(found.prior, 300 / 3300, delta=0.01)
        m = m_of(found.m_u)
        self.assertGreater(m["birth"]["same_date"], 0.9)
        weights = with_u(m, u_from_random(random_pairs))
        self.assertEqual(weights["given_name"]["exact"][1], round(u["given_name"]["exact"], 8))

    def test_the_calibration_without_labels_is_the_posterior_of_the_weights(self) -> None:
        slope, intercept = calibration_from_prior(0.01)
        self.assertEqual(slope, round(math.log(2), 4))
        self.assertAlmostEqual(intercept, math.log(0.01 / 0.99), places=3)
        weights = Weights(DEFAULT_WEIGHTS.m_u, slope, intercept)
        a = MatchRecord(first_name="Sadia", birthdate=datetime.date(1990, 1, 2))
        match = score(a, a, weights=weights)
        odds = 2**match.weight * 0.01 / 0.99
        self.assertAlmostEqual(match.score, round(odds / (1 + odds), 3), places=3)
