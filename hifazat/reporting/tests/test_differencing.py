"""Differencing attacks on what a funder (and an analyst) really receives: the campaign figures page and API, the
livelihood figures pages and API, and the dashboard under two overlapping filters. The attacker
(``attacker.Attacker``) knows the threshold, the rounding and every relation between the figures; each test fails
if it pins down any hidden figure. The same attacks succeed on exact figures (``test_the_attack_works_on_...``),
so their failures here mean something."""

from __future__ import annotations

import datetime
import html
import json
import re
from decimal import Decimal
from html.parser import HTMLParser

from hifazat.campaigns import services as campaigns
from hifazat.campaigns.tests.base import CampaignTestCase
from hifazat.core.roles import Role
from hifazat.core.testing import make_organisation, make_user
from hifazat.core.tests.attacker import Attacker
from hifazat.geography.models import AdminArea, Site
from hifazat.livelihoods import services as livelihoods
from hifazat.livelihoods.tests.base import LivelihoodTestCase
from hifazat.people.models import Person

THRESHOLD = 10


class TableCells(HTMLParser):
    """The text of each row's cells, per table id, as a browser would show them."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._table: str | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs) -> None:
        attrs = dict(attrs)
        if tag == "table" and attrs.get("id"):
            self._table = attrs["id"]
            self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self.tables[self._table].append([])
        elif tag in ("td", "th") and self._table:
            self._cell = []

    def handle_endtag(self, tag) -> None:
        if tag == "table":
            self._table = None
        elif tag in ("td", "th") and self._cell is not None and self._table:
            self.tables[self._table][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data) -> None:
        if self._cell is not None:
            self._cell.append(data)


def tables(response) -> dict[str, list[list[str]]]:
    parser = TableCells()
    parser.feed(response.content.decode())
    return parser.tables


def number(text: str) -> int | None:
    """A published count as the page shows it: digits (with separators), or the hidden mark."""
    text = text.strip()
    if text == "*":
        return None
    if not re.fullmatch(r"[\d,]+", text):
        raise AssertionError(f"not a count: {text!r}")
    return int(text.replace(",", ""))


def district(pcode: str, name: str, province: AdminArea) -> AdminArea:
    return AdminArea.objects.create(pcode=pcode, name=name, level=2, parent=province)


class CampaignAttackTests(CampaignTestCase):
    """The issue's case: a group's total (41) minus the other place (38) gives the small one (3)."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        country = AdminArea.objects.get(pcode="PK")
        nwfp = AdminArea.objects.create(pcode="PK6", name="NWFP", level=1, parent=country)
        mansehra = district("PK604", "Mansehra", nwfp)
        tehsil = AdminArea.objects.create(pcode="PK60401", name="Balakot tehsil", level=3, parent=mansehra)
        cls.ghari = Site.objects.create(
            code="MAN-GHB", name="Garhi Habibullah", site_type="relief_camp", area=tehsil
        )

    def setUp(self) -> None:
        super().setUp()
        at_h11 = [self.widow(f"H{n}") for n in range(38)]
        at_ghari = [self.widow(f"G{n}", self.ghari) for n in range(3)]
        self.campaign_ = self.campaign(sites=[self.h11, self.ghari])
        h11_session = self.session(self.campaign_)
        ghari_session = self.session(self.campaign_, self.ghari)
        for person in at_h11[:20]:
            campaigns.attendee_add(
                actor=self.coordinator, session=h11_session, person=person, pre_score=2, post_score=4
            )
        for person in at_ghari[:2]:
            campaigns.attendee_add(
                actor=self.coordinator, session=ghari_session, person=person, pre_score=1, post_score=3
            )
        self.donor_client = self.client_for(self.donor)

    def attack_api(self, figures: dict, attacker: Attacker) -> None:
        for what in ("registered", "reached"):
            attacker.sees(("total", what), figures["total"][what])
            places = figures["districts"] or figures["sites"]
            for place in places:
                attacker.sees((place["code"], what), place[what])
            attacker.knows(("total", what), [(place["code"], what) for place in places])
            for group in figures["groups"]:
                attacker.sees((group["group"], what), group[what])
            # The attacker may know nobody here is in two target groups.
            attacker.knows(("total", what), [(group["group"], what) for group in figures["groups"]])
        # Registered = reached + not reached, at every level: "before" minus "taking part".
        attacker.knows(("total", "registered"), [("total", "reached"), ("total", "not reached")])
        for place in figures["districts"] or figures["sites"]:
            code = place["code"]
            attacker.knows((code, "registered"), [(code, "reached"), (code, "not reached")])

    def test_the_funder_api_and_page_give_nothing_away(self) -> None:
        figures = self.donor_client.get(f"/api/v1/campaigns/{self.campaign_.uuid}/figures/").json()
        self.assertEqual(
            [d["code"] for d in figures["districts"]], ["PK701", "PK604"]
        )  # districts, not camps
        attacker = Attacker(THRESHOLD)
        self.attack_api(figures, attacker)
        # The page too: its district by group cells ("reached / registered"), with the same totals.
        page = tables(self.donor_client.get(f"/campaigns/{self.campaign_.uuid}/figures/"))
        groups = [g["group"] for g in figures["groups"]]
        for row in page["site-table"][1:]:
            code = row[0].split()[-1]
            attacker.sees((code, "registered"), number(row[1]))
            attacker.sees((code, "reached"), number(row[2]))
            for group, cell in zip(groups, row[4 : 4 + len(groups)], strict=True):
                reached, registered = (number(part) for part in cell.split("/"))
                attacker.sees((code, group, "reached"), reached)
                attacker.sees((code, group, "registered"), registered)
                for what in ("registered", "reached"):
                    attacker.knows((group, what), [(c, group, what) for c in ("PK701", "PK604")])
            for what in ("registered", "reached"):
                attacker.knows((code, what), [(code, group, what) for group in groups])
        # The page's group rows are the API's, in the same order.
        for group, row in zip(figures["groups"], page["group-table"][1:], strict=True):
            attacker.sees((group["group"], "registered"), number(row[1]))
            attacker.sees((group["group"], "reached"), number(row[2]))
        self.assertTrue(attacker.hidden, "the fixture has small cells: something must be hidden")
        self.assertEqual(attacker.successes(), [])

    def test_the_attack_works_on_exact_figures(self) -> None:
        """Inside the campaign the same reasoning recovers everything: the attacker is not toothless."""
        coordinator = self.client_for(self.a[Role.CAMPAIGN_COORDINATOR])
        figures = coordinator.get(f"/api/v1/campaigns/{self.campaign_.uuid}/figures/").json()
        by_code = {site["code"]: site for site in figures["sites"]}
        self.assertEqual((by_code["MAN-GHB"]["registered"], figures["total"]["registered"]), (3, 41))
        attacker = Attacker(THRESHOLD)
        attacker.bounds.update({"total": (41, 41), "ISB-H11": (38, 38)})
        attacker.sees("MAN-GHB", None)
        attacker.knows("total", ["ISB-H11", "MAN-GHB"])
        self.assertEqual(attacker.successes(), ["'MAN-GHB': narrowed to 3..3"])


class LivelihoodAttackTests(LivelihoodTestCase):
    """The issue's other case: 41 "before" minus 40 taking part gives the one who left."""

    def setUp(self) -> None:
        super().setUp()
        self.prm = make_organisation("US Bureau PRM", org_type="Donor")
        self.donor = make_user(self.prm, Role.DONOR_VIEWER, "prm-donor")
        self.programme_ = self.programme(funder=self.prm, capacity=41)
        enrolments = []
        for n in range(41):
            household = self.household(f"T-{n}")
            gender = "Masculine" if n in (0, 1) else "Feminine"
            person = self.member(household, f"P{n}", gender=gender, relationship_to_head="head")
            enrolments.append(
                self.enrol(self.programme_, person, income_before=Decimal(3000 + n), departure_reason="test")
            )
        livelihoods.enrolment_end(
            actor=self.officer,
            enrolment=enrolments[5],
            status="withdrawn",
            reason="moved back to the village",
        )

    def attack(self, api: dict, attacker: Attacker) -> None:
        for name in ("enrolled", "withdrawn", "waiting", "completed", "women", "men", "over_budget"):
            attacker.sees(name, number(api[name]))
        for row in api["by_district"]:
            attacker.sees(("district", row["district"]), number(row["participants"]))
        attacker.sees("before", number(api["outcomes"]["counts"][0]))
        attacker.knows("enrolled", ["women", "men"])
        attacker.knows("enrolled", [("district", row["district"]) for row in api["by_district"]])
        attacker.knows("before", ["enrolled", "withdrawn"])

    def test_the_funder_pages_and_api_give_nothing_away(self) -> None:
        client = self.client_for(self.donor)
        api = client.get(f"/api/v1/programmes/{self.programme_.uuid}/figures/").json()
        attacker = Attacker(THRESHOLD)
        self.attack(api, attacker)
        # Two more queries of the same figures: the list page and the figures page.
        listed = tables(client.get("/livelihoods/figures/"))
        for row in listed["figures-table"][1:]:
            attacker.sees("enrolled", number(row[3]))
            attacker.sees("waiting", number(row[4]))
        self.assertIn("withdrawn", attacker.hidden)
        self.assertIn("men", attacker.hidden)
        self.assertEqual(attacker.successes(), [])

    def test_the_attack_works_on_exact_figures(self) -> None:
        client = self.client_for(self.a[Role.LIVELIHOOD_OFFICER])
        api = client.get(f"/api/v1/programmes/{self.programme_.uuid}/figures/").json()
        self.assertEqual((api["enrolled"], api["withdrawn"], api["outcomes"]["counts"][0]), ("40", "1", "41"))
        attacker = Attacker(THRESHOLD)
        attacker.bounds.update({"before": (41, 41), "enrolled": (40, 40)})
        attacker.sees("withdrawn", None)
        attacker.knows("before", ["enrolled", "withdrawn"])
        self.assertEqual(attacker.successes(), ["'withdrawn': narrowed to 1..1"])


class DashboardAttackTests(CampaignTestCase):
    """An analyst asks the dashboard twice with overlapping filters: all areas, then one district; the whole
    period, then one month."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        country = AdminArea.objects.get(pcode="PK")
        nwfp = AdminArea.objects.create(pcode="PK6", name="NWFP", level=1, parent=country)
        cls.mansehra = district("PK604", "Mansehra", nwfp)
        cls.ghari = Site.objects.create(
            code="MAN-GHB", name="Garhi Habibullah", site_type="relief_camp", area=cls.mansehra
        )

    def setUp(self) -> None:
        super().setUp()
        for n in range(38):
            self.widow(f"H{n}")
        early = [self.widow(f"G{n}", self.ghari) for n in range(3)]
        Person.objects.filter(pk__in=[p.pk for p in early]).update(registered_on=datetime.date(2006, 1, 10))
        Person.objects.exclude(pk__in=[p.pk for p in early]).update(registered_on=datetime.date(2006, 3, 10))
        self.analyst = self.client_for(self.a[Role.ANALYST])

    def people(self, query: str = "") -> tuple[dict, list[list[str]]]:
        page = tables(self.analyst.get(f"/reporting/{query}"))
        return page, page["group-table"]

    def test_overlapping_filters_give_nothing_away(self) -> None:
        attacker = Attacker(THRESHOLD)
        page, groups = self.people()
        places = groups[0][1:-1]
        self.assertEqual(places, ["Islamabad", "Mansehra"])  # districts, never camps
        people_row = groups[-1]
        for name, cell in zip(places, people_row[1:-1], strict=True):
            attacker.sees(("people", name, "all time"), number(cell))
        attacker.sees(("people", "all", "all time"), number(people_row[-1]))
        attacker.knows(("people", "all", "all time"), [("people", name, "all time") for name in places])
        # The same figure asked for one district only.
        _page, mansehra = self.people(f"?area={self.mansehra.uuid}")
        attacker.sees(("people", "Mansehra", "all time"), number(mansehra[-1][-1]))
        # And for January and for March (the period snaps to whole months): all time = January + March.
        for month, query in (
            ("jan", "?start=2006-01-01&end=2006-01-31"),
            ("mar", "?start=2006-03-05&end=2006-03-20"),
        ):
            _page, rows = self.people(query)
            attacker.sees(("people", "all", month), number(rows[-1][-1]))
        attacker.knows(("people", "all", "all time"), [("people", "all", "jan"), ("people", "all", "mar")])
        # Age bands add up to the people too.
        ages = page["age-table"]
        for row in ages[1:-1]:
            attacker.sees(("age", row[0]), number(row[3]))
        attacker.knows(("people", "all", "all time"), [("age", row[0]) for row in ages[1:-1]])
        self.assertTrue(attacker.hidden)
        self.assertEqual(attacker.successes(), [])


class DashboardOverTimeAttackTests(DashboardAttackTests):
    """The dashboard's months against its totals: the over-time table, the screenings by band and month (the
    chart's figures, which the page sends too), and each month asked alone with the period filter."""

    def setUp(self) -> None:
        super().setUp()
        from hifazat.screening.models import Screening
        from hifazat.screening.testing import make_screening

        caseworker = self.a[Role.CASEWORKER]
        early = Person.objects.filter(registered_on=datetime.date(2006, 1, 10))
        later = Person.objects.filter(registered_on=datetime.date(2006, 3, 10))
        for person, band, day in [
            *((p, "low", datetime.date(2006, 1, 20)) for p in early[:2]),
            *((p, "high", datetime.date(2006, 3, 12)) for p in later[:14]),
            *((p, "urgent", datetime.date(2006, 3, 14)) for p in later[14:17]),
        ]:
            screening = make_screening(person, by=caseworker, band=band)
            Screening.objects.filter(pk=screening.pk).update(
                screened_at=datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC)
            )

    def see_page(self, attacker: Attacker, query: str, when: str) -> dict:
        response = self.analyst.get(f"/reporting/{query}")
        page = tables(response)
        rows = page["over-time-table"]
        months = [row[0] for row in rows[1:-1]] if when == "all" else []
        if when == "all":
            for month, row in zip(months, rows[1:-1], strict=True):
                attacker.sees(("people", month), number(row[1]))
                attacker.sees(("screenings", month), number(row[2]))
            total = rows[-1]
            attacker.sees(("people", "all"), number(total[1]))
            attacker.sees(("screenings", "all"), number(total[2]))
            attacker.knows(("people", "all"), [("people", m) for m in months])
            attacker.knows(("screenings", "all"), [("screenings", m) for m in months])
            chart = json.loads(
                html.unescape(
                    re.search(r'id="dashboard-data" data-json="([^"]*)"', response.content.decode())[1]
                )
            )
            bands = [band["label"] for band in chart["bands"]]
            for band in chart["bands"]:
                for month, value in zip(months, band["values"], strict=True):
                    attacker.sees(("screenings", band["label"], month), value)
                attacker.knows(
                    ("screenings", band["label"]), [("screenings", band["label"], m) for m in months]
                )
            for month in months:
                attacker.knows(("screenings", month), [("screenings", b, month) for b in bands])
            for label, cell in page["screening-table"][:-1]:
                attacker.sees(("screenings", label), number(cell))
            attacker.sees(("screenings", "all"), number(page["screening-table"][-1][1]))
            attacker.knows(("screenings", "all"), [("screenings", b) for b in bands])
            self.months = months
        else:
            # The period filter on one month: its totals are that month's figures.
            attacker.sees(("people", when), number(rows[-1][1]))
            attacker.sees(("screenings", when), number(rows[-1][2]))
            for label, cell in page["screening-table"][:-1]:
                attacker.sees(("screenings", label, when), number(cell))
        return page

    def test_months_against_totals_give_nothing_away(self) -> None:
        attacker = Attacker(THRESHOLD)
        self.see_page(attacker, "", "all")
        self.assertEqual(len(self.months), 3)  # January to March
        for month, query in zip(
            self.months,
            (
                "?start=2006-01-01&end=2006-01-31",
                "?start=2006-02-01&end=2006-02-28",
                "?start=2006-03-01&end=2006-03-31",
            ),
            strict=True,
        ):
            self.see_page(attacker, query, month)
        self.assertTrue(attacker.hidden, "the fixture has small cells: something must be hidden")
        self.assertEqual(attacker.successes(), [])

    def test_the_attack_works_on_exact_months(self) -> None:
        """On a supervisor's exact figures the same relations pin a month down: the attacker has teeth."""
        page = tables(self.client_for(self.a[Role.SUPERVISOR]).get("/reporting/"))
        rows = page["over-time-table"]
        self.assertEqual([row[1] for row in rows[1:]], ["3", "0", "38", "41"])
        attacker = Attacker(THRESHOLD)
        attacker.bounds.update({"all": (41, 41), "mar": (38, 38), "feb": (0, 0)})
        attacker.sees("jan", None)
        attacker.knows("all", ["jan", "feb", "mar"])
        self.assertEqual(attacker.successes(), ["'jan': narrowed to 3..3"])
