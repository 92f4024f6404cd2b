"""Selection: the ranked list on a known registry, its reasons, the rules in words, the stable tie-break."""

from __future__ import annotations

from django.utils import translation

from hifazat.livelihoods import selection
from hifazat.livelihoods.rules import programme_rules_in_words
from hifazat.livelihoods.selectors import ranked_rows
from hifazat.livelihoods.tests.base import LivelihoodTestCase
from hifazat.people.testing import make_site


class KnownRegistryTests(LivelihoodTestCase):
    """Eight households; the programme is for women, high or urgent screenings first, then widowed single
    parents, then female-headed households."""

    def setUp(self) -> None:
        super().setUp()
        self.amina = self.widow_with_children("T-1", "Amina")  # single parent, female head: 2 + 1
        _bashir, self.bushra = self.couple("T-2", "Bashir", "Bushra")
        self.screened(self.bushra, "high")  # high screening: 4
        fatima_home = self.household("T-3")
        self.fatima = self.member(fatima_home, "Fatima", marital_status="Single", relationship_to_head="head")
        self.karim, self.khalida = self.couple("T-4", "Karim", "Khalida")  # nothing: 0
        self.tariq = self.member(
            self.household("T-5"), "Tariq", gender="Masculine", relationship_to_head="head"
        )
        self.gul = self.widow_with_children("T-6", "Gul")
        self.screened(self.gul, "urgent")  # everything: 4 + 2 + 1
        _latif, self.laila = self.couple("T-7", "Latif", "Laila")  # nothing, registered after T-4
        self.sana = self.member(self.household("T-8"), "Sana", age_years=16, relationship_to_head="head")
        _majid, self.mehwish = self.couple("T-9", "Majid", "Mehwish")
        self.screened(self.mehwish, "high")
        self.screened(self.mehwish, "low")  # the latest screening counts: 0
        self.prog = self.programme()
        self.standard_rules(self.prog)

    def ranking(self) -> list[tuple[str, int]]:
        return [(h.shelter_number, h.priority_score) for h in selection.ranked_households(self.prog)]

    def test_the_order_follows_the_rules_then_registration(self) -> None:
        self.assertEqual(
            self.ranking(),
            [("T-6", 7), ("T-2", 4), ("T-1", 3), ("T-3", 1), ("T-4", 0), ("T-7", 0), ("T-9", 0)],
        )

    def test_households_without_a_woman_or_an_adult_are_not_eligible(self) -> None:
        shelters = [s for s, _score in self.ranking()]
        self.assertNotIn("T-5", shelters)  # a man alone
        self.assertNotIn("T-8", shelters)  # a girl of 16 heading her household: adults only

    def test_each_row_says_which_rules_it_met(self) -> None:
        plan = selection.plan_for(self.prog)
        rows = ranked_rows(self.prog, selection.ranked_households(self.prog, plan=plan)[:4], 0, plan)
        self.assertEqual(
            [(r.position, r.household.shelter_number, r.reasons) for r in rows],
            [
                (
                    1,
                    "T-6",
                    [
                        "Priority 1: households where a member's latest risk screening is high or urgent.",
                        "Priority 2: households with a member in the group “Widowed single parent”.",
                        "Priority 3: households with a member in the group “Female-headed household”.",
                    ],
                ),
                (
                    2,
                    "T-2",
                    ["Priority 1: households where a member's latest risk screening is high or urgent."],
                ),
                (
                    3,
                    "T-1",
                    [
                        "Priority 2: households with a member in the group “Widowed single parent”.",
                        "Priority 3: households with a member in the group “Female-headed household”.",
                    ],
                ),
                (4, "T-3", ["Priority 3: households with a member in the group “Female-headed household”."]),
            ],
        )
        # Only the women of a couple may take part in a programme for women.
        self.assertEqual([p.first_name for p in rows[1].participants], ["Bushra"])

    def test_the_ranking_is_computed_in_a_fixed_number_of_queries(self) -> None:
        plan = selection.plan_for(self.prog)
        with self.assertNumQueries(7):
            ranked_rows(self.prog, selection.ranked_households(self.prog, plan=plan)[:25], 0, plan)

    def test_an_age_rule_replaces_the_adults_only_default(self) -> None:
        self.rule(self.prog, "eligibility", "age", age_min=15, age_max=40)
        shelters = [s for s, _score in self.ranking()]
        self.assertIn("T-8", shelters)

    def test_a_site_or_area_limits_the_programme(self) -> None:
        elsewhere = make_site(code="MAN-BLK", name="Balakot Relief Camp")
        far = self.household("B-1", site=elsewhere)
        self.member(far, "Zarina", marital_status="Single", relationship_to_head="head")
        self.assertIn("B-1", [s for s, _ in self.ranking()])
        self.prog.sites.set([self.site])
        self.assertNotIn("B-1", [s for s, _ in self.ranking()])

    def test_the_rules_read_in_english_and_urdu(self) -> None:
        with translation.override("en"):
            words = programme_rules_in_words(self.prog)
        self.assertEqual(words["eligibility"][0].text, "Only members whose gender is female may take part.")
        self.assertEqual(
            words["priority"][1].text,
            "Priority 2: households with a member in the group “Widowed single parent”.",
        )
        self.assertIn("بیوہ", words["priority"][1].other)  # the same rule in Urdu, below it
        self.assertIn(
            "Households that meet the same rules keep the order in which they were registered.",
            [s.text for s in words["order"]],
        )
