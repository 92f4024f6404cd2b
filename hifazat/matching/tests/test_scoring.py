"""The matching interface on its own: keys across scripts and spellings, and scores with their reasons."""

from __future__ import annotations

import datetime

from django.test import SimpleTestCase

from hifazat.matching import (
    LIKELY,
    POSSIBLE,
    UNLIKELY,
    MatchRecord,
    blocking_keys,
    lookup_keys,
    score,
    search_keys,
)
from hifazat.matching.names import match_tokens, name_key, skeleton, tokens


def reasons(match) -> dict[str, tuple[str, str]]:
    return {r.field: (r.outcome, r.explanation) for r in match.reasons}


class SkeletonTests(SimpleTestCase):
    def test_urdu_script_and_latin_letters_give_the_same_skeleton(self) -> None:
        for latin, urdu in [
            ("Imran", "عمران"),
            ("Usman", "عثمان"),
            ("Javed", "جاوید"),
            ("Naveed", "نوید"),
            ("Waqas", "وقاص"),
            ("Yasir", "یاسر"),
            ("Awan", "اعوان"),
            ("Parveen", "پروین"),
            ("Muhammad", "محمد"),
            ("Chaudhry", "چوہدری"),
        ]:
            with self.subTest(latin):
                self.assertEqual(
                    {skeleton(t) for t in match_tokens(latin)}, {skeleton(t) for t in match_tokens(urdu)}
                )

    def test_spelling_variants_share_a_skeleton(self) -> None:
        for a, b in [("Rashid", "Rasheed"), ("Nasreen", "Nasrin"), ("Tariq", "Tarik"), ("Saleem", "Salim")]:
            self.assertEqual(skeleton(tokens(a)[0]), skeleton(tokens(b)[0]))

    def test_names_stay_backward_compatible(self) -> None:
        self.assertEqual(name_key("Khan Muhammad"), name_key("Mohd Khan"))
        self.assertEqual(
            tokens("یاسر"), ("iasr",)
        )  # tokens() itself is unchanged; match_tokens reads initial yeh
        self.assertEqual(match_tokens("یاسر"), ("yasr",))


class BlockingTests(SimpleTestCase):
    def test_variants_swapped_order_and_scripts_share_keys(self) -> None:
        latin = blocking_keys(MatchRecord(first_name="Muhammad", second_name="Khan"))
        for other in [
            MatchRecord(first_name="Mohd", second_name="Khan"),
            MatchRecord(first_name="Khan", second_name="Mohammad"),
            MatchRecord(first_name="محمد", second_name="خان"),
            MatchRecord(first_name="Muhammad Khan"),
        ]:
            with self.subTest(other):
                self.assertIn("n:kn|md", latin & blocking_keys(other))

    def test_a_lookup_leaves_out_single_common_names(self) -> None:
        keys = lookup_keys(
            MatchRecord(first_name="Ayesha", second_name="Bibi", parentage_name="Muhammad Rashid")
        )
        self.assertEqual(keys, {"t:as", "n:as|b", "p:as|rsd"})

    def test_keys_never_hold_the_birth_year_or_a_readable_phone(self) -> None:
        keys = blocking_keys(MatchRecord(first_name="Sadia", birth_year=1990, phone_index="ab" * 32))
        self.assertEqual(keys, {"t:sd", "ph:" + "ab" * 16})

    def test_search_keys_cover_every_name(self) -> None:
        self.assertEqual(search_keys("Mohd Imran Khan"), ["n:amrn|md", "n:amrn|kn"])
        self.assertEqual(search_keys("Bi"), ["t:b"])
        self.assertEqual(search_keys("Nasreen Bi"), ["t:nsrn"])  # the title is left out when a name remains
        self.assertEqual(search_keys("  "), [])


class ScoreTests(SimpleTestCase):
    def test_transliteration_variants_with_an_estimated_age_are_likely(self) -> None:
        a = MatchRecord(
            first_name="Muhammad",
            second_name="Khan",
            parentage_word="son_of",
            parentage_name="Rashid",
            gender="Masculine",
            birthdate=datetime.date(1985, 3, 1),
            site=1,
        )
        b = MatchRecord(
            first_name="Mohd",
            second_name="Khan",
            parentage_word="son_of",
            parentage_name="Rasheed",
            gender="Masculine",
            birth_year=1986,
            birthdate_is_estimate=True,
            site=2,
        )
        match = score(a, b)
        self.assertEqual(match.band, LIKELY)
        self.assertGreater(match.score, 0.95)
        found = reasons(match)
        self.assertEqual(found["parentage"], ("agrees", "father's name agrees (Rashid ~ Rasheed)"))
        self.assertEqual(found["birth"], ("agrees", "born 1985 vs about 1986 (estimated): within tolerance"))
        self.assertEqual(found["given_name"][0], "agrees")

    def test_urdu_script_against_latin_and_swapped_order(self) -> None:
        a = MatchRecord(first_name="Imran", second_name="Awan", gender="Masculine", birth_year=1990)
        b = MatchRecord(first_name="اعوان", second_name="عمران", gender="Masculine", birth_year=1990)
        match = score(a, b)
        self.assertEqual(reasons(match)["given_name"][0], "agrees")
        self.assertIn("other order", reasons(match)["given_name"][1])
        self.assertEqual(reasons(match)["family_name"][0], "agrees")
        self.assertNotEqual(match.band, UNLIKELY)

    def test_siblings_sharing_household_phone_site_and_father_are_unlikely(self) -> None:
        common = dict(
            second_name="Khan",
            parentage_word="son_of",
            parentage_name="Rashid",
            gender="Masculine",
            birthdate_is_estimate=True,
            site=1,
            origin_area=7,
            household=3,
            phone_index="f" * 64,
        )
        match = score(
            MatchRecord(first_name="Imran", birth_year=1990, **common),
            MatchRecord(first_name="Bilal", birth_year=1992, **common),
        )
        self.assertEqual(match.band, UNLIKELY)
        context = [r for r in match.reasons if r.field == "context"]
        self.assertEqual(len(context), 1, "household, phone and site are one piece of evidence")
        self.assertEqual(context[0].weight, 0.0)

    def test_the_same_household_counts_once_without_a_shared_father(self) -> None:
        a = MatchRecord(first_name="Sadia", household=3, phone_index="x", site=1, origin_area=2)
        b = MatchRecord(first_name="Sadia", household=3, phone_index="x", site=1, origin_area=2)
        only_household = MatchRecord(first_name="Sadia", household=3)
        self.assertEqual(score(a, b).weight, score(a, only_household).weight)

    def test_different_sex_is_unlikely_even_with_the_same_name_and_father(self) -> None:
        common = dict(first_name="Noor", parentage_name="Rashid", birth_year=1986, birthdate_is_estimate=True)
        match = score(MatchRecord(gender="Feminine", **common), MatchRecord(gender="Masculine", **common))
        self.assertEqual(match.band, UNLIKELY)
        self.assertEqual(match.reasons[0].field, "gender")  # the strongest reason comes first
        self.assertEqual(match.reasons[0].outcome, "differs")

    def test_bibi_and_bi_are_a_title_not_evidence(self) -> None:
        a = MatchRecord(first_name="Zainab", second_name="Bibi", gender="Feminine", birth_year=1970)
        b = MatchRecord(
            first_name="Zenab",
            second_name="Bi",
            gender="Feminine",
            birth_year=1971,
            birthdate_is_estimate=True,
        )
        match = score(a, b)
        self.assertEqual(reasons(match)["family_name"][0], "missing")
        self.assertEqual(reasons(match)["given_name"][0], "agrees")
        self.assertEqual(match.band, POSSIBLE)

    def test_father_and_husband_are_not_compared(self) -> None:
        match = score(
            MatchRecord(first_name="Rabia", parentage_word="daughter_of", parentage_name="Akhtar"),
            MatchRecord(first_name="Rabia", parentage_word="wife_of", parentage_name="Tariq"),
        )
        self.assertEqual(reasons(match)["parentage"][0], "missing")

    def test_a_missing_birth_date_is_not_evidence_either_way(self) -> None:
        a = MatchRecord(first_name="Sadia", second_name="Awan", gender="Feminine")
        with_year = score(
            a, MatchRecord(first_name="Sadia", second_name="Awan", gender="Feminine", birth_year=1990)
        )
        without = score(a, MatchRecord(first_name="Sadia", second_name="Awan", gender="Feminine"))
        self.assertEqual(with_year.score, without.score)
        self.assertEqual(reasons(without)["birth"][0], "missing")

    def test_scores_are_probabilities_with_ordered_bands(self) -> None:
        a = MatchRecord(first_name="Sadia", second_name="Awan", gender="Feminine", birth_year=1990)
        same = score(a, a)
        other = score(
            a, MatchRecord(first_name="Rubina", second_name="Tanoli", gender="Feminine", birth_year=1960)
        )
        self.assertTrue(0 <= other.score < same.score <= 1)
        self.assertEqual((same.band, other.band), (LIKELY, UNLIKELY))
        self.assertEqual(score(a, a).as_json()["band"], LIKELY)
