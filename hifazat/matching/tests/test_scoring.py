"""The matching interface on its own: keys across scripts and spellings, and scores with their reasons."""

from __future__ import annotations

import datetime
from dataclasses import replace

from django.test import SimpleTestCase
from django.utils import translation

from hifazat.matching import (
    LIKELY,
    UNLIKELY,
    MatchRecord,
    blocking_keys,
    lookup_keys,
    score,
    search_keys,
)
from hifazat.matching.blocking import lookup_years, queue_keys, queue_lookup
from hifazat.matching.explanations import explain_stored
from hifazat.matching.names import (
    CONSONANTS,
    EXACT,
    VARIANT,
    match_tokens,
    name_key,
    skeleton,
    token_level,
    tokens,
)
from hifazat.matching.names import _is_urdu as is_urdu
from hifazat.matching.scoring import NameFrequencies, member_of


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

    def test_the_whole_name_alone_joins_a_pair_only_where_a_fathers_or_husbands_name_is_missing(self) -> None:
        alone = MatchRecord(first_name="Shazia", second_name="Awan", birth_year=1990)
        wife = MatchRecord(
            first_name="Shazia", second_name="Awan", parentage_name="Tariq Mehmood", birth_year=1990
        )
        other_wife = MatchRecord(
            first_name="Shazia", second_name="Awan", parentage_name="Javed Iqbal", birth_year=1990
        )
        self.assertEqual(queue_keys(alone), {"w:an|sz"})
        self.assertEqual(queue_keys(wife), {"q:an|sz/trk", "x:an|sz"})
        self.assertEqual(queue_lookup(alone), ({"w:an|sz", "x:an|sz"}, set()))
        self.assertEqual(queue_lookup(wife), ({"q:an|sz/trk", "w:an|sz"}, set()))

        def meet(a: MatchRecord, b: MatchRecord) -> bool:
            return bool(queue_lookup(a)[0] & queue_keys(b))

        for a, b in [(alone, wife), (wife, alone), (alone, alone), (alone, other_wife)]:
            self.assertTrue(meet(a, b), (a.parentage_name, b.parentage_name))
        # Both fathers or husbands recorded, and different: only ``q:`` could join them, and it does not.
        self.assertFalse(meet(wife, other_wife) or meet(other_wife, wife))
        # Without a birth year, every year of ``x:`` would be read: the other side's scan finds the pair.
        self.assertEqual(queue_lookup(replace(alone, birth_year=None)), ({"w:an|sz"}, set()))
        # A single name is shared by too many to stand alone.
        self.assertEqual(queue_keys(MatchRecord(first_name="Nasim", second_name="Begum")), set())
        self.assertEqual(queue_lookup(MatchRecord(first_name="Nasim", second_name="Begum")), (set(), set()))

    def test_search_keys_cover_every_name(self) -> None:
        self.assertEqual(search_keys("Mohd Imran Khan"), ["n:amrn|md", "n:amrn|kn"])
        self.assertEqual(search_keys("Bi"), ["t:b"])
        self.assertEqual(search_keys("Nasreen Bi"), ["t:nsrn"])  # the title is left out when a name remains
        self.assertEqual(search_keys("  "), [])


class TokenLevelTests(SimpleTestCase):
    """Two tokens with the same consonant skeleton are not always one name: the scorer reads the vowels, the "h"
    and the script before it calls them variants."""

    def level(self, a: str, b: str) -> int:
        return token_level(match_tokens(a)[-1], is_urdu(a), match_tokens(b)[-1], is_urdu(b))

    def test_different_names_with_the_same_skeleton_are_only_weak_evidence(self) -> None:
        for a, b in [
            ("Mehmood", "Muhammad"),
            ("Hassan", "Hussain"),
            ("Shahid", "Saeed"),
            ("Saima", "Shamim"),
            ("Nadia", "Naheed"),
            ("Hassan", "حسین"),
            ("Hussain", "حسن"),
            ("Shahid", "سعید"),
            ("Nadia", "ناہید"),
            ("Muhammad", "محمود"),
        ]:
            with self.subTest(f"{a} {b}"):
                self.assertEqual(skeleton(match_tokens(a)[-1]), skeleton(match_tokens(b)[-1]))
                self.assertEqual(self.level(a, b), CONSONANTS)

    def test_spelling_and_script_variants_agree(self) -> None:
        for a, b in [
            ("Rashid", "Rasheed"),
            ("Nasreen", "Nasrin"),
            ("Mehmood", "Mahmood"),
            ("Rehman", "Rahman"),
            ("Khadija", "Khadijah"),
            ("Hassan", "حسن"),
            ("Hussain", "حسین"),
            ("Shahid", "شاہد"),
            ("Saeed", "سعید"),
            ("Javed", "جاوید"),
            ("Imran", "عمران"),
            ("Fatima", "فاطمہ"),
            ("Chaudhry", "چوہدری"),
            ("Awan", "اعوان"),
        ]:
            with self.subTest(f"{a} {b}"):
                self.assertIn(self.level(a, b), {VARIANT, EXACT})


class ScoreTests(SimpleTestCase):
    def test_transliteration_variants_are_likely_with_a_date_and_agree_with_an_estimated_age(self) -> None:
        a = MatchRecord(
            first_name="Imran",
            second_name="Awan",
            parentage_word="son_of",
            parentage_name="Rashid",
            gender="Masculine",
            birthdate=datetime.date(1985, 3, 1),
            site=1,
        )
        same = dict(
            first_name="عمران", second_name="اعوان", parentage_word="son_of", gender="Masculine", site=2
        )
        match = score(a, MatchRecord(parentage_name="Rasheed", birthdate=datetime.date(1985, 3, 1), **same))
        self.assertEqual(match.band, LIKELY)
        found = reasons(match)
        self.assertEqual(
            found["parentage"],
            ("agrees", "Father's name agrees in another spelling or script (Rashid / Rasheed)"),
        )
        self.assertEqual(found["given_name"][0], "agrees")
        estimated = score(
            a, MatchRecord(parentage_name="Rasheed", birth_year=1986, birthdate_is_estimate=True, **same)
        )
        self.assertEqual(reasons(estimated)["birth"][0], "agrees")
        other_father = score(
            a, MatchRecord(parentage_name="Bilal", birth_year=1986, birthdate_is_estimate=True, **same)
        )
        self.assertGreater(estimated.score, other_father.score)
        self.assertEqual(other_father.band, UNLIKELY)

    def test_brothers_whose_names_share_a_skeleton_are_not_a_likely_pair(self) -> None:
        """The demo's Mehmood and Muhammad Janjua, 12 and 11, one household: not "a spelling variant"."""
        common = dict(
            second_name="Janjua",
            parentage_word="son_of",
            parentage_name="Tariq",
            gender="Masculine",
            birthdate_is_estimate=True,
            household=3,
            site=1,
        )
        match = score(
            MatchRecord(first_name="Mehmood", birth_year=2014, **common),
            MatchRecord(first_name="Muhammad", birth_year=2015, **common),
        )
        self.assertEqual(match.band, UNLIKELY)
        given = reasons(match)["given_name"]
        self.assertEqual(given[0], "partly")
        self.assertIn("different names", given[1])
        self.assertNotIn("spelling", given[1])

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
            MatchRecord(first_name="Bilal", birth_year=1996, **common),
        )
        self.assertEqual(match.band, UNLIKELY)
        context = [r for r in match.reasons if r.field == "context"]
        self.assertEqual(len(context), 1, "household, phone and site are one piece of evidence")
        self.assertEqual(context[0].level, "siblings")
        self.assertLess(context[0].weight, 0)

    def test_the_same_household_counts_once_without_a_shared_father(self) -> None:
        a = MatchRecord(first_name="Sadia", household=3, phone_index="x", site=1, origin_area=2)
        b = MatchRecord(first_name="Sadia", household=3, phone_index="x", site=1, origin_area=2)
        only_household = MatchRecord(first_name="Sadia", household=3)
        self.assertEqual(score(a, b).weight, score(a, only_household).weight)

    def test_different_sex_is_unlikely_even_with_the_same_name_and_father(self) -> None:
        common = dict(first_name="Noor", parentage_name="Rashid", birth_year=1986, birthdate_is_estimate=True)
        match = score(MatchRecord(gender="Feminine", **common), MatchRecord(gender="Masculine", **common))
        self.assertEqual(match.band, UNLIKELY)
        self.assertEqual(reasons(match)["gender"][0], "differs")

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
        self.assertIn("title", reasons(match)["family_name"][1])
        self.assertEqual(reasons(match)["given_name"][0], "agrees")

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

    def test_a_slip_in_the_year_is_not_decades_apart(self) -> None:
        common = dict(first_name="Imran", second_name="Awan", gender="Masculine")
        a = MatchRecord(birthdate=datetime.date(1971, 3, 4), **common)
        for slipped in (datetime.date(1917, 3, 4), datetime.date(1961, 3, 4), datetime.date(1971, 4, 3)):
            with self.subTest(slipped):
                match = score(a, MatchRecord(birthdate=slipped, **common))
                self.assertEqual(match.levels["birth"], "date_slip")
        far = score(a, MatchRecord(birthdate=datetime.date(1917, 5, 4), **common))
        self.assertEqual(far.levels["birth"], "far")

    def test_estimated_ages_are_ranges(self) -> None:
        adult = dict(first_name="Imran", birthdate_is_estimate=True)
        self.assertEqual(
            score(MatchRecord(birth_year=1980, **adult), MatchRecord(birth_year=1985, **adult)).levels[
                "birth"
            ],
            "estimate_range",
        )
        child_year = datetime.date.today().year - 8
        self.assertEqual(
            score(
                MatchRecord(birth_year=child_year, **adult), MatchRecord(birth_year=child_year - 3, **adult)
            ).levels["birth"],
            "estimate_out",
        )

    def test_a_common_name_weighs_less_than_a_rare_one(self) -> None:
        frequencies = NameFrequencies({skeleton("nasreen"): 900, skeleton("gulshan"): 9}, 10_000)
        common = dict(gender="Feminine", birth_year=1990, birthdate_is_estimate=True)
        nasreen = score(
            MatchRecord(first_name="Nasreen", **common),
            MatchRecord(first_name="Nasreen", **common),
            frequencies=frequencies,
        )
        gulshan = score(
            MatchRecord(first_name="Gulshan", **common),
            MatchRecord(first_name="Gulshan", **common),
            frequencies=frequencies,
        )
        self.assertGreater(gulshan.weight, nasreen.weight + 3)

    def test_other_household_members_found_in_the_other_household_count_for_the_pair(self) -> None:
        def person(pk, household, name, year, gender="Feminine"):
            return MatchRecord(
                first_name=name,
                gender=gender,
                birth_year=year,
                household=household,
                person=pk,
                site=household,
            )

        a, b = person(1, 10, "Sadia", 1990), person(2, 20, "Sadia", 1990)
        households = {
            10: (
                member_of(a),
                member_of(person(3, 10, "Tariq", 1960, "Masculine")),
                member_of(person(5, 10, "Bilal", 2012, "Masculine")),
            ),
            20: (
                member_of(b),
                member_of(person(4, 20, "Tarik", 1961, "Masculine")),
                member_of(person(6, 20, "Bilal", 2013, "Masculine")),
            ),
        }
        together = score(a, b, households=households)
        self.assertEqual(together.levels["household_members"], "agree")
        # One member found may be two families with common names: weaker evidence than two.
        households[20] = (member_of(b), member_of(person(4, 20, "Tarik", 1961, "Masculine")))
        one = score(a, b, households=households)
        self.assertEqual(one.levels["household_members"], "one_agrees")
        households[20] = (member_of(b), member_of(person(4, 20, "Bilal", 1961, "Masculine")))
        apart = score(a, b, households=households)
        self.assertEqual(apart.levels["household_members"], "differ")
        self.assertGreater(together.score, one.score)
        self.assertGreater(one.score, apart.score)

    def test_the_father_found_in_both_households_is_not_counted_twice(self) -> None:
        """He is compared as the father's name already: as a household member found he would count again."""

        def person(pk, household, name, year, gender="Masculine", father=""):
            return MatchRecord(
                first_name=name,
                gender=gender,
                birth_year=year,
                household=household,
                person=pk,
                parentage_word="son_of" if father else "",
                parentage_name=father,
            )

        a = person(1, 10, "Bilal", 2000, father="Tariq")
        b = person(2, 20, "Bilal", 2000, father="Tariq")
        households = {
            10: (member_of(a), member_of(person(3, 10, "Tariq", 1970))),
            20: (member_of(b), member_of(person(4, 20, "Tariq", 1970))),
        }
        self.assertEqual(score(a, b, households=households).levels["household_members"], "missing")

    def test_scores_are_probabilities_with_ordered_bands(self) -> None:
        a = MatchRecord(
            first_name="Sadia",
            second_name="Awan",
            gender="Feminine",
            birthdate=datetime.date(1990, 4, 2),
            parentage_word="daughter_of",
            parentage_name="Tariq",
        )
        same = score(a, a)
        other = score(
            a, MatchRecord(first_name="Rubina", second_name="Tanoli", gender="Feminine", birth_year=1960)
        )
        self.assertTrue(0 <= other.score < same.score <= 1)
        self.assertEqual((same.band, other.band), (LIKELY, UNLIKELY))
        self.assertEqual(score(a, a).as_json()["band"], LIKELY)

    def test_reasons_are_explained_again_in_the_readers_language(self) -> None:
        a = MatchRecord(first_name="Sadia", gender="Feminine", birth_year=1990)
        stored = score(a, a).as_json()["reasons"]
        with translation.override("ur"):
            texts = [explain_stored(reason) for reason in stored]
        self.assertTrue(any("پہلا نام" in text for text in texts), texts)
        self.assertEqual(explain_stored({"explanation": "old sentence"}), "old sentence")


class LookupTests(SimpleTestCase):
    def test_a_common_given_name_keeps_its_own_key(self) -> None:
        keys = lookup_keys(MatchRecord(first_name="Ali", second_name="Khan", parentage_name="Rashid"))
        self.assertIn("t:al", keys)
        self.assertNotIn("t:kn", keys)

    def test_a_real_date_is_also_looked_up_at_the_years_a_slip_gives(self) -> None:
        window, slips = lookup_years(MatchRecord(first_name="Ali", birthdate=datetime.date(1971, 3, 4)))
        self.assertEqual(window, (1965, 1977))
        self.assertEqual(slips, {1917, 1961, 1981})
        self.assertEqual(
            lookup_years(MatchRecord(first_name="Ali", birth_year=1971, birthdate_is_estimate=True)),
            ((1965, 1977), set()),
        )
        self.assertIsNone(lookup_years(MatchRecord(first_name="Ali")))
