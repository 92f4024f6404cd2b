"""The response dashboard: who is refused, the figures a supervisor sees (exact, by site), what an analyst sees
(under disclosure control, by district), the filters, and a number of queries that does not grow with the
registry."""

from __future__ import annotations

import datetime
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from hifazat.campaigns import services as campaigns
from hifazat.campaigns.tests.base import CampaignTestCase
from hifazat.core.navigation import navigation_for
from hifazat.core.roles import Role
from hifazat.geography.models import AdminArea, Site
from hifazat.monitoring.models import Alert
from hifazat.reporting.selectors import dashboard_figures, whole_months
from hifazat.screening.testing import make_screening

from .test_differencing import number, tables


class DashboardTests(CampaignTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        country = AdminArea.objects.get(pcode="PK")
        nwfp = AdminArea.objects.create(pcode="PK6", name="NWFP", level=1, parent=country)
        cls.mansehra = AdminArea.objects.create(pcode="PK604", name="Mansehra", level=2, parent=nwfp)
        cls.ghari = Site.objects.create(
            code="MAN-GHB", name="Garhi Habibullah", site_type="relief_camp", area=cls.mansehra
        )

    def setUp(self) -> None:
        super().setUp()
        self.at_h11 = [self.widow(f"H{n}", children=1 if n < 2 else 0) for n in range(12)]
        self.at_ghari = [self.widow(f"G{n}", self.ghari) for n in range(3)]
        for person in self.at_h11[:4]:
            make_screening(person, by=self.a[Role.CASEWORKER], band="high")
        make_screening(self.at_ghari[0], by=self.a[Role.CASEWORKER], band="low")
        campaign = self.campaign(sites=[self.h11, self.ghari])
        session = self.session(campaign)
        for person in self.at_h11[:11]:
            campaigns.attendee_add(actor=self.coordinator, session=session, person=person)
        # Organisation B's registry is not A's dashboard.
        other = self.actor(self.b[Role.CASEWORKER])
        from hifazat.people import services as people

        household = people.household_register(actor=other, site=self.h11)
        people.person_register(
            actor=other,
            household=household,
            first_name="Other",
            gender="Feminine",
            age_years=30,
            marital_status="Widowed",
            relationship_to_head="head",
        )

    def test_who_is_refused(self) -> None:
        self.assertEqual(self.client.get("/reporting/").status_code, 302)
        for role in (
            Role.ADMINISTRATOR,
            Role.CASEWORKER,
            Role.NETWORK_REPORTER,
            Role.DONOR_VIEWER,
            Role.CAMPAIGN_COORDINATOR,
            Role.LIVELIHOOD_OFFICER,
            Role.MONITORING_FOCAL_POINT,
        ):
            self.assertEqual(self.client_for(self.a[role]).get("/reporting/").status_code, 403, role)
        self.assertEqual(self.client_for(self.donor).get("/reporting/").status_code, 403)
        for role in (Role.SUPERVISOR, Role.ANALYST):
            self.assertEqual(self.client_for(self.a[role]).get("/reporting/").status_code, 200, role)

    def test_the_menu_offers_it_to_supervisors_and_analysts_only(self) -> None:
        for role, offered in ((Role.SUPERVISOR, True), (Role.ANALYST, True), (Role.CASEWORKER, False)):
            names = [s.url_name for s in navigation_for(self.actor(self.a[role]))]
            self.assertEqual("reporting:dashboard" in names, offered, role)

    def test_a_supervisor_sees_exact_figures_by_site(self) -> None:
        figures = dashboard_figures(self.supervisor)
        self.assertFalse(figures.policy.controlled)
        self.assertEqual(figures.place_names, ["Garhi Habibullah", "H-11 Relief Camp"])
        # 15 widows of A (B's is not counted) and their 2 children.
        self.assertEqual(figures.people_total.text, "17")
        self.assertEqual([c.text for c in figures.people_per_place], ["3", "14"])
        widows = next(row for row in figures.group_rows if row.label == "Separated or widowed woman")
        self.assertEqual(([c.text for c in widows.cells], widows.total.text), (["3", "12"], "15"))
        parents = next(row for row in figures.group_rows if row.label == "Widowed single parent")
        self.assertEqual(parents.total.text, "2")
        screenings = dict(figures.screenings.rows)
        self.assertEqual((screenings["High"].text, screenings["Low"].text), ("4", "1"))
        self.assertEqual(figures.screenings.total.text, "5")
        self.assertEqual([(name, cell.text) for name, cell in figures.campaigns], [("Safe futures", "11")])
        ages = {row.label: row.total.text for row in figures.ages}
        self.assertEqual((ages["25-59"], ages["5-11"], ages["All ages"]), ("15", "2", "17"))

    def test_an_analyst_sees_rounded_figures_by_district_with_small_ones_hidden(self) -> None:
        page = self.client_for(self.a[Role.ANALYST]).get("/reporting/")
        self.assertContains(page, 'id="disclosure-note"')
        # The CSRF token (64 random letters and digits) is left out: it holds "G0" now and then.
        content = re.sub(r"[A-Za-z0-9]{64}", "", page.content.decode())
        for name in ("H0", "G0", "H-11 Relief Camp", "Garhi Habibullah"):
            self.assertNotIn(name, content)
        cells = tables(page)
        self.assertEqual(cells["group-table"][0][1:-1], ["Islamabad", "Mansehra"])
        people = cells["group-table"][-1]
        # 17 people: 14 at Islamabad, 3 at Mansehra (hidden), so Islamabad is hidden with it; the total shows.
        self.assertEqual([number(c) for c in people[1:]], [None, None, 20])
        self.assertEqual(number(cells["screening-table"][-1][1]), None)  # 5 screenings
        self.assertEqual(number(cells["campaign-table"][1][1]), 10)  # 11 reached, rounded

    def test_the_filters_narrow_by_area_and_period(self) -> None:
        figures = dashboard_figures(self.supervisor, area=self.mansehra)
        self.assertEqual((figures.place_names, figures.people_total.text), (["Garhi Habibullah"], "3"))
        today = datetime.date.today()
        later = dashboard_figures(self.supervisor, start=today + datetime.timedelta(days=1))
        self.assertEqual(later.people_total.text, "0")
        analyst = self.client_for(self.a[Role.ANALYST])
        # Analysts choose among areas down to the district only.
        form = analyst.get("/reporting/").context["form"]
        self.assertEqual(max(form.fields["area"].queryset.values_list("level", flat=True)), 2)
        refused = analyst.get("/reporting/?start=2006-05-01&end=2006-04-01")
        self.assertContains(refused, "The period ends before it starts.")

    def test_periods_widen_to_whole_months_under_disclosure_control(self) -> None:
        self.assertEqual(
            whole_months(datetime.date(2006, 2, 17), datetime.date(2006, 2, 18)),
            (datetime.date(2006, 2, 1), datetime.date(2006, 2, 28)),
        )
        self.assertEqual(whole_months(None, datetime.date(2004, 2, 3)), (None, datetime.date(2004, 2, 29)))

    def test_htmx_gets_the_figures_alone(self) -> None:
        response = self.client_for(self.a[Role.SUPERVISOR]).get("/reporting/", HTTP_HX_REQUEST="true")
        self.assertContains(response, 'id="group-table"')
        self.assertNotContains(response, 'id="dashboard-filter"')

    def test_the_number_of_queries_does_not_grow_with_the_registry(self) -> None:
        with CaptureQueriesContext(connection) as small:
            dashboard_figures(self.supervisor)
        for n in range(5):
            self.widow(f"More{n}", self.ghari)
        Alert.objects.count()
        with CaptureQueriesContext(connection) as larger:
            figures = dashboard_figures(self.supervisor)
        self.assertEqual(figures.people_total.text, "22")
        self.assertEqual(len(larger.captured_queries), len(small.captured_queries))
        self.assertLessEqual(len(small.captured_queries), 15)
