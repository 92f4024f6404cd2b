"""What a donor report PDF says: no count under the threshold, messages handed over apart from those delivered,
Urdu set in Nastaliq right to left with its numbers left to right, and money written once, with its currency."""

from __future__ import annotations

import datetime
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.utils import translation
from django.utils.translation import gettext as _

from hifazat.campaigns import coverage
from hifazat.campaigns.tests.base import CampaignTestCase
from hifazat.core import disclosure
from hifazat.reporting import donor

from .donor_testing import THRESHOLD, build_campaign, build_programme
from .pdf_reading import counts_in, counts_under_threshold, pdf_fonts, pdf_text

PERIOD = donor.Period.of_months(datetime.date(2006, 2, 1), datetime.date(2006, 3, 1))


pytestmark = pytest.mark.pdf  # skipped, with the hint, where Pango is missing


class Cells(HTMLParser):
    """The text of each figure of the report's HTML (``<td class="n">`` in a table, ``<p class="value">`` in the
    headline), by table id ("headline" outside the tables)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[str]] = {}
        self.table = "headline"
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "table":
            self.table = dict(attrs).get("id", "")
        elif (tag == "td" and "n" in classes) or (tag == "p" and "value" in classes):
            self.cell = []

    def handle_endtag(self, tag) -> None:
        if tag == "table":
            self.table = "headline"
        elif tag in ("td", "p") and self.cell is not None:
            self.tables.setdefault(self.table, []).append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data) -> None:
        if self.cell is not None:
            self.cell.append(data)


def labels(language: str) -> list[str]:
    """What the campaign report prints with numbers in it that are not counts: the disclosure note and the age
    bands of the head count."""
    with translation.override(language):
        return [disclosure.controlled().note, *(str(label) for label in donor.ATTENDANCE_LABELS.values())]


def figures_of(html: str) -> dict[str, list[str]]:
    parser = Cells()
    parser.feed(html)
    return {
        table: [cell.translate({0x2066: None, 0x2069: None}) for cell in cells]
        for table, cells in parser.tables.items()
    }


class CampaignReportTests(CampaignTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        build_campaign(cls)

    def report(self, language: str = "en") -> donor.Report:
        return donor.donor_report(
            actor=self.actor(self.donor),
            kind="campaign",
            record=self.campaign_,
            period=PERIOD,
            language=language,
        )

    def test_the_exact_figures_have_small_cells_that_the_report_must_not_show(self) -> None:
        exact = coverage.campaign_figures(self.campaign_, start=PERIOD.start, end=PERIOD.end)
        by_site = {s.site.code: s.people for s in exact.sites}
        self.assertEqual(by_site["ISB-H11"], coverage.Cell(34, 31, 26))
        self.assertEqual(by_site["MAN-BLK2"], coverage.Cell(7, 3, 3))
        self.assertEqual(exact.total, coverage.Cell(53, 39, 34))
        self.assertEqual(
            (exact.reached_via, exact.confirmed_via), ({"session": 23, "sms": 16}, {"session": 23, "sms": 11})
        )

    def test_no_figure_of_the_report_is_under_the_threshold(self) -> None:
        with translation.override("en"):
            html = donor.report_html("campaign", self.campaign_, PERIOD, language="en")
        tables = figures_of(html)
        counts = [
            cell
            for name in ("headline", "groups", "districts", "district-groups", "channels", "attendance")
            for cell in tables[name]
        ]
        self.assertGreater(len(counts), 20)
        for cell in counts:
            if cell in (disclosure.HIDDEN, "—", "0") or cell.endswith("%"):
                continue
            value = int(cell.replace(",", ""))
            self.assertEqual(value % THRESHOLD, 0, cell)
            self.assertGreaterEqual(value, THRESHOLD, cell)
        self.assertIn(disclosure.HIDDEN, tables["districts"])  # Mansehra, and what would give it away
        # The PDF's text too, read back as a funder reads it.
        text = pdf_text(self.report().content)
        self.assertEqual(counts_under_threshold(text, threshold=THRESHOLD, labels=labels("en")), [])
        self.assertGreater(len(counts_in(text)), 20)
        for small in ("Isb", "Blk"):  # no name of a person
            self.assertNotIn(small, text)

    def test_handed_over_and_delivered_are_reported_apart(self) -> None:
        text = " ".join(pdf_text(self.report().content).split())
        # Headline: 53 registered -> 50; 39 handed over -> 40; 34 delivery confirmed -> 30.
        self.assertIn("Registered in the target groups 50", text)
        self.assertIn("Message handed over 40", text)
        self.assertIn("Delivery confirmed 30", text)
        # By channel: 23 at sessions, all delivered (20, 20); 16 text messages handed over, 11 delivered (20, 10).
        self.assertIn("Sessions: registered people who attended 20 20", text)
        self.assertIn("Text messages: people in the files handed over to RapidPro 20 10", text)
        self.assertIn("Leaflets and other printed copies given out (copies)", text)
        self.assertIn("Funded by Government of Japan", text)
        self.assertIn("February 2006 to March 2006", text)

    def test_the_urdu_report_is_set_in_nastaliq_right_to_left(self) -> None:
        content = self.report("ur").content
        fonts = pdf_fonts(content)
        self.assertTrue(any(name.startswith("Noto-Nastaliq-Urdu") for name in fonts), fonts)
        self.assertFalse(any("Naskh" in name or "DejaVu" in name for name in fonts), fonts)
        text = pdf_text(content)
        self.assertIn("رپورٹ", text)  # "report"
        self.assertIn("2006", text)
        self.assertEqual(counts_under_threshold(text, threshold=THRESHOLD, labels=labels("ur")), [])
        with translation.override("ur"):
            html = donor.report_html("campaign", self.campaign_, PERIOD, language="ur")
        self.assertIn('<html lang="ur" dir="rtl">', html)
        self.assertIn("Noto Nastaliq Urdu", html)
        self.assertIn("\u206640\u2069", html)  # numbers isolated left to right

    def test_the_english_report_uses_the_vendored_naskh_latin_face(self) -> None:
        fonts = pdf_fonts(self.report("en").content)
        self.assertTrue(fonts and all(name.startswith("Noto-Naskh-Arabic") for name in fonts), fonts)


class ProgrammeReportTests(CampaignTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        build_campaign(cls)
        build_programme(cls)

    def test_households_budget_and_outcomes_with_money_and_its_currency(self) -> None:
        period = donor.Period.of_months(datetime.date(2006, 3, 1), datetime.date(2006, 3, 1))
        report = donor.donor_report(
            actor=self.actor(self.donor),
            kind="programme",
            record=self.programme_,
            period=period,
            language="en",
        )
        text = " ".join(pdf_text(report.content).split())
        self.assertIn("Households supported in the period 10", text)  # 12 households in March
        self.assertIn("Support delivered in the period PKR 240,000", text)
        self.assertIn("Budget (places × budget per participant) PKR 500,000", text)
        self.assertIn("Budget per participant PKR 25,000", text)
        self.assertIn("Spent to date PKR 245,000.50", text)  # to date: April's in-kind support too
        self.assertNotIn("× 1.00", text)
        self.assertNotIn(".00 ", text)
        self.assertIn("Left the programme *", text)  # two: hidden
        with translation.override("en"):
            point = str(_("%(months)s months") % {"months": 3})
        self.assertEqual(counts_under_threshold(text, threshold=THRESHOLD, labels=[*labels("en"), point]), [])

    def test_money_is_withheld_where_too_few_households_are_behind_it(self) -> None:
        period = donor.Period.of_months(datetime.date(2006, 4, 1), datetime.date(2006, 4, 1))
        with translation.override("en"):
            html = donor.report_html("programme", self.programme_, period, language="en")
        # April: one household, PKR 5,000.50: neither the household nor the money.
        self.assertEqual(figures_of(html)["headline"][:2], [disclosure.HIDDEN, disclosure.HIDDEN])
        self.assertIn('<td>Support delivered in the period</td><td class="n">\u2066*\u2069</td>', html)


class NumbersTests(CampaignTestCase):
    def test_money_has_its_currency_and_thousands_separators(self) -> None:
        self.assertEqual(donor.money(Decimal("25000.00"), "PKR"), "PKR 25,000")
        self.assertEqual(donor.money(Decimal("1250.5"), "USD"), "USD 1,250.50")
        self.assertEqual(donor.money(None, "PKR"), disclosure.HIDDEN)

    def test_a_period_is_whole_months(self) -> None:
        period = donor.Period.of_months(datetime.date(2006, 2, 14), datetime.date(2008, 2, 3))
        self.assertEqual((period.start, period.end), (datetime.date(2006, 2, 1), datetime.date(2008, 2, 29)))
        self.assertEqual(donor.month_start("2006-07"), datetime.date(2006, 7, 1))
        for bad in ("2006-13", "2006-7", "july", ""):
            with self.assertRaises(ValueError):
                donor.month_start(bad)
