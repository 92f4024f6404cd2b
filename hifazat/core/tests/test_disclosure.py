"""The disclosure module on its own: thresholds, rounding, primary and secondary suppression, derived figures, age
bands and places no finer than admin level 2."""

from __future__ import annotations

import datetime
import itertools

from django.test import SimpleTestCase, override_settings

from hifazat.core import disclosure
from hifazat.core.disclosure import EXACT, HIDDEN, Policy
from hifazat.core.testing import HifazatTestCase
from hifazat.core.tests.attacker import Attacker
from hifazat.geography.models import AdminArea
from hifazat.people.models import Person

TEN = Policy(controlled=True, threshold=10)


class CountTests(SimpleTestCase):
    def test_counts_below_the_threshold_are_hidden_and_zero_is_shown(self) -> None:
        self.assertEqual([TEN.count(n).text for n in (0, 1, 9)], ["0", HIDDEN, HIDDEN])
        self.assertIsNone(TEN.count(3).value)
        self.assertEqual(TEN.count(0).value, 0)

    def test_counts_are_rounded_half_up_to_the_threshold(self) -> None:
        self.assertEqual([TEN.count(n).value for n in (10, 14, 15, 24, 25, 1234)], [10, 10, 20, 20, 30, 1230])
        self.assertEqual(TEN.count(12345).text, "12,350")
        five = Policy(controlled=True, threshold=5)
        self.assertEqual([five.count(n).text for n in (4, 5, 7, 8)], [HIDDEN, "5", "5", "10"])

    def test_inside_the_team_counts_are_exact(self) -> None:
        self.assertEqual([EXACT.count(n).text for n in (0, 1, 9, 14, 1234)], ["0", "1", "9", "14", "1,234"])

    @override_settings(HIFAZAT_DISCLOSURE_THRESHOLD=20)
    def test_the_threshold_is_a_setting(self) -> None:
        self.assertEqual(disclosure.controlled().threshold, 20)
        self.assertEqual(disclosure.controlled().count(19).text, HIDDEN)
        self.assertEqual(disclosure.controlled().count(31).text, "40")

    def test_shares_and_averages_come_from_the_published_figures(self) -> None:
        registered, reached = TEN.count(45), TEN.count(12)  # published 50 and 10
        self.assertEqual(TEN.share(reached, registered), 20)  # not 27: that would narrow the hidden exact 12
        self.assertIsNone(TEN.share(TEN.count(3), registered))
        self.assertEqual(EXACT.share(EXACT.count(12), EXACT.count(45)), 27)
        self.assertIsNone(TEN.mean(55.0, TEN.count(9), n=9))
        self.assertEqual(TEN.mean(55.0, TEN.count(12), n=12), 55.0)


class TableTests(SimpleTestCase):
    def test_one_hidden_part_of_a_total_takes_another_with_it(self) -> None:
        # The case: a group total of 41, sites of 38 and 3. "41 minus 38" must not give 3.
        table = TEN.table({"total": 41, "H-11": 38, "Balakot": 3})
        table.relate("total", ["H-11", "Balakot"])
        shown = table.protect()
        self.assertEqual((shown["Balakot"].text, shown["H-11"].text, shown["total"].text), ("*", "*", "40"))

    def test_the_smallest_other_part_is_hidden_and_a_headline_last(self) -> None:
        table = TEN.table()
        table.add("all", 100, headline=True)
        for key, n in {"a": 4, "b": 50, "c": 30, "d": 16}.items():
            table.add(key, n)
        table.relate("all", ["a", "b", "c", "d"])
        shown = table.protect()
        self.assertEqual({key for key, s in shown.items() if s.hidden}, {"a", "d"})

    def test_secondary_suppression_follows_the_relations_across_a_table(self) -> None:
        # Two groups by two places: hiding (P, g1) takes (Q, g1) along its row... and then the columns.
        cells = {("P", "g1"): 3, ("Q", "g1"): 40, ("P", "g2"): 25, ("Q", "g2"): 60}
        table = TEN.table(cells)
        for place in "PQ":
            table.add(place, cells[(place, "g1")] + cells[(place, "g2")])
            table.relate(place, [(place, "g1"), (place, "g2")])
        for group in ("g1", "g2"):
            table.add(group, cells[("P", group)] + cells[("Q", group)])
            table.relate(group, [("P", group), ("Q", group)])
        table.add("all", 128)
        table.relate("all", ["P", "Q"])
        table.relate("all", ["g1", "g2"])
        hidden = table.hidden()
        for total, parts in table.relations:
            self.assertNotEqual(sum(key in hidden for key in (total, *parts)), 1, (total, parts))
        self.assertEqual(hidden, {("P", "g1"), ("Q", "g1"), ("P", "g2"), ("Q", "g2")})

    def test_a_relation_that_may_not_hold_is_declared_only_where_it_does(self) -> None:
        table = TEN.table({"people": 20, "widows": 15, "parents": 8})
        table.relate("people", ["widows", "parents"], if_adds_up=True)  # 23: someone is in both
        self.assertEqual(table.relations, [])
        with self.assertRaises(ValueError):
            table.relate("people", ["widows", "parents"])

    def test_inside_the_team_nothing_is_hidden(self) -> None:
        table = EXACT.table({"total": 41, "a": 38, "b": 3})
        table.relate("total", ["a", "b"])
        self.assertEqual([s.text for s in table.protect().values()], ["41", "38", "3"])

    def test_no_random_table_leaks_to_the_attacker(self) -> None:
        """Every table of two places by two groups built from these counts: hide, publish, attack."""
        for values in itertools.product([0, 1, 4, 9, 10, 14, 15, 38, 41], repeat=4):
            cells = {
                ("P", "g1"): values[0],
                ("Q", "g1"): values[1],
                ("P", "g2"): values[2],
                ("Q", "g2"): values[3],
            }
            table = TEN.table(cells)
            attacker = Attacker(10)
            for place in "PQ":
                table.add(place, cells[(place, "g1")] + cells[(place, "g2")])
                table.relate(place, [(place, "g1"), (place, "g2")])
                attacker.knows(place, [(place, "g1"), (place, "g2")])
            for group in ("g1", "g2"):
                table.add(group, cells[("P", group)] + cells[("Q", group)])
                table.relate(group, [("P", group), ("Q", group)])
                attacker.knows(group, [("P", group), ("Q", group)])
            table.add("all", sum(values))
            table.relate("all", ["P", "Q"])
            attacker.knows("all", ["P", "Q"])
            for key, shown in table.protect().items():
                attacker.sees(key, shown.value)
            self.assertEqual(attacker.successes(), [], values)


class AttackerTests(SimpleTestCase):
    """The attacker must be able to win where protection is missing, or its failures prove nothing."""

    def test_it_recovers_a_small_cell_from_an_unprotected_total(self) -> None:
        # The page before: a group total of 41 and H-11's 38 exact, Balakot "<5".
        attacker = Attacker(10)
        attacker.bounds.update({"total": (41, 41), "H-11": (38, 38)})
        attacker.sees("Balakot", None)
        attacker.knows("total", ["H-11", "Balakot"])
        self.assertEqual(attacker.successes(), ["'Balakot': narrowed to 3..3"])

    def test_it_recovers_the_old_five_suppression(self) -> None:
        # What the pages did before: "<5" for small counts, every other count exact: 41 before, 40 taking part.
        attacker = Attacker(10)
        attacker.bounds.update({"before": (41, 41), "taking part": (40, 40)})
        attacker.sees("left", None)
        attacker.knows("before", ["taking part", "left"])
        self.assertEqual(attacker.successes(), ["'left': narrowed to 1..1"])

    def test_it_learns_nothing_from_rounded_figures(self) -> None:
        attacker = Attacker(10)
        attacker.sees("before", 40)
        attacker.sees("taking part", 40)
        attacker.sees("left", None)
        attacker.knows("before", ["taking part", "left"])
        self.assertEqual(attacker.successes(), [])


class AgeBandTests(SimpleTestCase):
    def test_ages_fall_in_bands(self) -> None:
        self.assertEqual(
            [disclosure.age_band(age) for age in (0, 4, 5, 11, 12, 17, 18, 24, 25, 59, 60, 97, None)],
            [
                "0-4",
                "0-4",
                "5-11",
                "5-11",
                "12-17",
                "12-17",
                "18-24",
                "18-24",
                "25-59",
                "25-59",
                "60+",
                "60+",
                "unknown",
            ],
        )


class DatabaseTests(HifazatTestCase):
    def test_the_age_band_expression_agrees_with_the_bands(self) -> None:
        on = datetime.date(2006, 3, 1)
        births = {
            "newborn": datetime.date(2006, 2, 28),
            "four": datetime.date(2001, 3, 2),  # turns five the day after
            "five": datetime.date(2001, 3, 1),  # five on the day
            "seventeen": datetime.date(1988, 3, 2),
            "eighteen": datetime.date(1988, 3, 1),
            "leap": datetime.date(1946, 2, 28),  # sixty on 28 February 2006
            "unknown": None,
        }
        for name, born in births.items():
            Person.objects.create(organisation=self.org_a, first_name=name, birthdate=born)
        bands = dict(
            Person.objects.annotate(band=disclosure.age_band_expression(on=on)).values_list(
                "first_name", "band"
            )
        )
        self.assertEqual(
            bands,
            {
                "newborn": "0-4",
                "four": "0-4",
                "five": "5-11",
                "seventeen": "12-17",
                "eighteen": "18-24",
                "leap": "60+",
                "unknown": "unknown",
            },
        )

    def test_places_are_no_finer_than_the_district(self) -> None:
        country = AdminArea.objects.create(pcode="PK", name="Pakistan", level=0)
        province = AdminArea.objects.create(pcode="PK6", name="NWFP", level=1, parent=country)
        district = AdminArea.objects.create(pcode="PK604", name="Mansehra", level=2, parent=province)
        tehsil = AdminArea.objects.create(pcode="PK60401", name="Balakot", level=3, parent=district)
        self.assertEqual(disclosure.district_of(tehsil), district)
        self.assertEqual(disclosure.district_of(district), district)
        self.assertEqual(disclosure.district_of(province), province)
        ids = dict(
            AdminArea.objects.annotate(d=disclosure.district_id("parent"))
            .exclude(parent=None)
            .values_list("pcode", "d")
        )
        # The district of each area's parent: a tehsil's parent is the district itself.
        self.assertEqual(ids["PK60401"], district.pk)
        self.assertEqual(ids["PK604"], province.pk)
