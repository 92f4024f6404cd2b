"""The dashboard over time, on a map, from its summary, and as an HXL file: who is refused, the months a
supervisor sees (exact) and an analyst sees (controlled), the summary against a recount, the map's places and
provinces, the export's content, and a number of queries that does not grow with the registry."""

from __future__ import annotations

import csv
import datetime
import io
import json
from decimal import Decimal

from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from hifazat.accounts.models import Organisation
from hifazat.campaigns import services as campaigns
from hifazat.campaigns.tests.base import CampaignTestCase
from hifazat.cases import services as cases
from hifazat.cases.models import Case
from hifazat.core.models import AuditEntry
from hifazat.core.roles import Role
from hifazat.geography.models import AdminArea, Site
from hifazat.people.models import Person
from hifazat.reporting.counts import buckets, summary_rebuild
from hifazat.reporting.models import MonthlyCount, SummaryBuild
from hifazat.reporting.selectors import dashboard_figures
from hifazat.screening.models import Screening
from hifazat.screening.testing import make_screening

from .test_differencing import number, tables

JAN, FEB, MAR = datetime.date(2006, 1, 1), datetime.date(2006, 2, 1), datetime.date(2006, 3, 1)


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


class OverTimeTests(CampaignTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        country = AdminArea.objects.get(pcode="PK")
        nwfp = AdminArea.objects.create(
            pcode="PK6", name="NWFP", name_ur="صوبہ سرحد", level=1, parent=country
        )
        cls.mansehra = AdminArea.objects.create(pcode="PK604", name="Mansehra", level=2, parent=nwfp)
        cls.ghari = Site.objects.create(
            code="MAN-GHB",
            name="Garhi Habibullah",
            site_type="relief_camp",
            area=cls.mansehra,
            latitude=Decimal("34.400"),
            longitude=Decimal("73.380"),
        )
        # A second camp of the district, where nobody of A lives: the district is drawn between the two.
        Site.objects.create(
            code="MAN-CHP",
            name="Chattar Plain",
            site_type="relief_camp",
            area=cls.mansehra,
            latitude=Decimal("34.200"),
            longitude=Decimal("73.180"),
        )
        Site.objects.filter(pk=cls.h11.pk).update(latitude=Decimal("33.656"), longitude=Decimal("72.987"))

    def setUp(self) -> None:
        super().setUp()
        self.at_h11 = [self.widow(f"H{n}") for n in range(14)]
        self.at_ghari = [self.widow(f"G{n}", self.ghari) for n in range(3)]
        # Three registered in January (at Garhi Habibullah), fourteen in March (at H-11).
        Person.objects.filter(pk__in=[p.pk for p in self.at_ghari]).update(
            registered_on=datetime.date(2006, 1, 10)
        )
        Person.objects.filter(pk__in=[p.pk for p in self.at_h11]).update(
            registered_on=datetime.date(2006, 3, 10)
        )
        for n, person in enumerate(self.at_h11[:12]):
            screening = make_screening(person, by=self.a[Role.CASEWORKER], band="high" if n < 4 else "low")
            Screening.objects.filter(pk=screening.pk).update(screened_at=at(datetime.date(2006, 3, 12)))
        supervisor = self.supervisor
        for n, person in enumerate(self.at_h11[:11]):
            case = cases.case_open(
                actor=supervisor, person=person, origin="screening", opened_on=datetime.date(2006, 2, 1 + n)
            )
            if n < 2:
                Case.objects.filter(pk=case.pk).update(status="Closed", closed_on=datetime.date(2006, 3, 5))

    def test_who_is_refused_the_export(self) -> None:
        self.assertEqual(self.client.get("/reporting/figures.hxl").status_code, 302)
        for role in (
            Role.ADMINISTRATOR,
            Role.CASEWORKER,
            Role.NETWORK_REPORTER,
            Role.DONOR_VIEWER,
            Role.CAMPAIGN_COORDINATOR,
            Role.LIVELIHOOD_OFFICER,
            Role.MONITORING_FOCAL_POINT,
        ):
            self.assertEqual(
                self.client_for(self.a[role]).get("/reporting/figures.hxl").status_code, 403, role
            )
        self.assertEqual(self.client_for(self.donor).get("/reporting/figures.hxl").status_code, 403)
        self.assertFalse(
            AuditEntry.objects.filter(action="export", object_type="reporting.dashboard").exists()
        )

    def test_a_supervisor_sees_exact_figures_by_month(self) -> None:
        figures = dashboard_figures(self.supervisor)
        self.assertEqual(figures.months, [JAN, FEB, MAR])
        self.assertEqual([c.text for c in figures.people_per_month], ["3", "0", "14"])
        self.assertEqual([c.text for c in figures.screenings.per_month], ["0", "0", "12"])
        self.assertEqual(dict(figures.screenings.by_key_month)["High"][2].text, "4")
        self.assertEqual([c.text for c in figures.cases.per_month], ["0", "11", "0"])
        self.assertEqual([c.text for c in figures.closed.per_month], ["0", "0", "2"])
        self.assertEqual(figures.closed.total.text, "2")
        page = tables(self.client_for(self.a[Role.SUPERVISOR]).get("/reporting/"))
        rows = page["over-time-table"]
        self.assertEqual([row[1] for row in rows[1:]], ["3", "0", "14", "17"])  # the last row: the total
        self.assertEqual(rows[-1][-1], "0")  # nobody reached by a campaign

    def test_the_period_keeps_its_months(self) -> None:
        figures = dashboard_figures(self.supervisor, start=FEB, end=datetime.date(2006, 3, 31))
        self.assertEqual(figures.months, [FEB, MAR])
        self.assertEqual(figures.people_total.text, "14")
        self.assertEqual([c.text for c in figures.cases.per_month], ["11", "0"])

    def test_an_analyst_sees_months_under_disclosure_control(self) -> None:
        page = tables(self.client_for(self.a[Role.ANALYST]).get("/reporting/"))
        rows = page["over-time-table"]
        registered = [number(row[1]) for row in rows[1:]]
        # January's 3 are hidden, and March with them (its total would give January away); February's zero
        # shows; the total of 17 reads 20.
        self.assertEqual(registered, [None, 0, None, 20])
        for row in rows[1:]:
            for cell in row[1:]:
                value = number(cell)
                self.assertTrue(value is None or value % 10 == 0, row)

    def test_the_map_shows_sites_to_a_supervisor_and_districts_to_an_analyst(self) -> None:
        exact = dashboard_figures(self.supervisor).map
        self.assertEqual(
            sorted((p["name"], p["text"]) for p in exact["places"]),
            [("Garhi Habibullah", "3"), ("H-11 Relief Camp", "14")],
        )
        # Provinces matched to the shipped base layer by where their places are.
        self.assertEqual(
            sorted((a["feature"], a["text"]) for a in exact["areas"]), [("PK-IS", "14"), ("PK-KP", "3")]
        )
        response = self.client_for(self.a[Role.ANALYST]).get("/reporting/")
        controlled = json.loads(json.dumps(response.context["figures"].map))
        names = sorted(p["name"] for p in controlled["places"])
        self.assertEqual(names, ["Islamabad", "Mansehra"])
        mansehra = next(p for p in controlled["places"] if p["name"] == "Mansehra")
        # The middle of the district's two camps, not the camp where the people are.
        self.assertEqual((mansehra["lat"], mansehra["lon"]), (34.3, 73.28))
        self.assertEqual(mansehra["value"], None)  # 3 people: hidden, and Islamabad with them
        self.assertEqual(
            sorted((a["feature"], a["value"]) for a in controlled["areas"]),
            [("PK-IS", None), ("PK-KP", None)],
        )
        content = response.content.decode()
        for name in ("Garhi Habibullah", "H-11 Relief Camp", "Chattar Plain"):
            self.assertNotIn(name, content)
        self.assertContains(response, "vendor/boundaries/pakistan-admin1")

    def test_the_summary_equals_a_recount(self) -> None:
        org = self.org_a
        build = summary_rebuild(org)
        stored = {
            (row.figure, row.key, row.site_id, row.month): row.n
            for row in MonthlyCount.objects.filter(organisation=org)
        }
        self.assertEqual(stored, buckets(org))
        self.assertEqual(build.rows, len(stored))
        self.assertIn(("people", "", self.ghari.pk, JAN), stored)
        # The dashboard built from the summary shows what it shows from the records.
        for user in (self.a[Role.SUPERVISOR], self.a[Role.ANALYST]):
            client = self.client_for(user)
            from_summary = client.get("/reporting/")
            self.assertContains(from_summary, "Counted at")
            SummaryBuild.objects.filter(organisation=org).delete()  # no summary yet: the records are counted
            from_records = client.get("/reporting/")
            self.assertContains(from_records, "Counted from the records just now.")
            self.assertEqual(tables(from_summary), tables(from_records))
            summary_rebuild(org)
        # A new registration shows in the summary once it is rebuilt.
        self.widow("Late", self.ghari)
        summary_rebuild(org)
        self.assertEqual(
            {
                (r.figure, r.key, r.site_id, r.month): r.n
                for r in MonthlyCount.objects.filter(organisation=org)
            },
            buckets(org),
        )

    def test_the_refresh_command_rebuilds_every_organisations_summary(self) -> None:
        self.assertFalse(SummaryBuild.objects.exists())
        out = io.StringIO()
        call_command("reporting_refresh", stdout=out)
        organisations = Organisation.objects.count()
        self.assertIn(f"{organisations} summaries rebuilt.", out.getvalue())
        self.assertEqual(SummaryBuild.objects.count(), organisations)
        self.assertEqual(
            {
                (r.figure, r.key, r.site_id, r.month): r.n
                for r in MonthlyCount.objects.filter(organisation=self.org_a)
            },
            buckets(self.org_a),
        )

    def test_a_period_that_is_not_whole_months_is_counted_from_the_records(self) -> None:
        summary_rebuild(self.org_a)
        # A supervisor's exact days: the summary cannot answer, the records can.
        figures = dashboard_figures(
            self.supervisor, start=datetime.date(2006, 2, 3), end=datetime.date(2006, 2, 5)
        )
        self.assertIsNone(figures.counted_at)
        self.assertEqual(figures.cases.total.text, "3")
        whole = dashboard_figures(self.supervisor, start=FEB, end=datetime.date(2006, 2, 28))
        self.assertIsNotNone(whole.counted_at)
        self.assertEqual(whole.cases.total.text, "11")

    @override_settings(HIFAZAT_REPORTING_SUMMARY_MAX_AGE=60)
    def test_a_stale_summary_is_shown_with_its_time_and_its_rebuild_queued_once(self) -> None:
        cache.clear()
        summary_rebuild(self.org_a)
        counted = timezone.now() - datetime.timedelta(hours=3)
        SummaryBuild.objects.filter(organisation=self.org_a).update(built_at=counted)
        self.widow("Late", self.ghari)  # registered after the summary was counted
        with self.captureOnCommitCallbacks() as queued:
            stale = dashboard_figures(self.supervisor)
        # The page is not held up for a recount: the summary as it was, saying when it was counted.
        self.assertEqual(stale.counted_at, counted)
        self.assertEqual(len(queued), 1)
        with self.captureOnCommitCallbacks() as again:
            dashboard_figures(self.supervisor)
        self.assertEqual(again, [], "one rebuild queued is enough")
        queued[0]()  # the worker runs the rebuild
        fresh = dashboard_figures(self.supervisor)
        self.assertGreater(fresh.counted_at, counted)
        self.assertEqual(int(fresh.people_total.text), int(stale.people_total.text) + 1)

    def test_before_the_first_summary_the_records_are_counted_and_a_build_queued(self) -> None:
        cache.clear()
        self.assertFalse(SummaryBuild.objects.exists())
        with self.captureOnCommitCallbacks(execute=True):
            first = dashboard_figures(self.supervisor)
        self.assertIsNone(first.counted_at)
        self.assertTrue(SummaryBuild.objects.filter(organisation=self.org_a).exists())
        self.assertIsNotNone(dashboard_figures(self.supervisor).counted_at)

    @override_settings(HIFAZAT_REPORTING_SUMMARY_MAX_AGE=60)
    def test_the_number_of_queries_does_not_grow_with_the_registry(self) -> None:
        summary_rebuild(self.org_a)

        def queries(**filters) -> int:
            with CaptureQueriesContext(connection) as captured:
                dashboard_figures(self.supervisor, **filters)
            return len(captured.captured_queries)

        from_summary, from_records = queries(), queries(start=datetime.date(2006, 1, 2))
        for n in range(4):
            self.widow(f"More{n}", self.ghari)
        summary_rebuild(self.org_a)
        self.assertEqual((queries(), queries(start=datetime.date(2006, 1, 2))), (from_summary, from_records))
        self.assertLessEqual(from_summary, 8)
        self.assertLessEqual(from_records, 16)


class HxlExportTests(CampaignTestCase):
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
        for n in range(23):
            self.widow(f"H{n}")
        for n in range(14):
            self.widow(f"G{n}", self.ghari)
        # A campaign whose name a spreadsheet would run as a formula.
        campaign = self.campaign(name='=HYPERLINK("http://evil/","Click")', sites=[self.h11])
        session = self.session(campaign)
        for person in Person.objects.filter(household__site=self.h11)[:12]:
            campaigns.attendee_add(actor=self.coordinator, session=session, person=person)

    def read_csv(self, response) -> list[list[str]]:
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment;", response["Content-Disposition"])
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))

    def test_the_csv_has_hxl_hashtags_and_controlled_figures(self) -> None:
        analyst = self.client_for(self.a[Role.ANALYST])
        rows = self.read_csv(analyst.get("/reporting/figures.hxl?file_format=csv"))
        header, tags, *data = rows
        self.assertEqual(header[0], "Indicator code")
        self.assertEqual(
            tags[:7],
            [
                "#indicator+code",
                "#indicator+name",
                "#indicator+category",
                "#adm1+name",
                "#adm1+code",
                "#adm2+name",
                "#adm2+code",
            ],
        )
        self.assertEqual(tags[-1], "#indicator+value+num")
        people = {(row[5], row[7]): row[-1] for row in data if row[0] == "people_registered"}
        # 23 at Islamabad, 14 at Mansehra, 37 in all: rounded to tens.
        self.assertEqual(
            (people[("Islamabad", "")], people[("Mansehra", "")], people[("", "")]), ("20", "10", "40")
        )
        for row in data:
            self.assertTrue(row[-1] == "*" or int(row[-1]) % 10 == 0, row)
        self.assertNotIn("Garhi Habibullah", response_text := "\n".join(",".join(r) for r in rows))
        self.assertNotIn("H-11", response_text)
        reached = [row for row in data if row[0] == "people_reached"]
        self.assertEqual(reached[0][2], '\'=HYPERLINK("http://evil/","Click")')  # shown as text, never run
        self.assertEqual(reached[0][-1], "10")
        entry = AuditEntry.objects.get(action="export", object_type="reporting.dashboard")
        self.assertEqual(
            (entry.user, entry.detail["format"], entry.detail["rows"]),
            (self.a[Role.ANALYST], "csv", len(data)),
        )

    def test_the_filters_apply_and_a_supervisor_gets_the_same_controlled_file(self) -> None:
        supervisor = self.client_for(self.a[Role.SUPERVISOR])
        rows = self.read_csv(
            supervisor.get(
                f"/reporting/figures.hxl?area={self.mansehra.uuid}&start=2006-01-05&file_format=csv"
            )
        )
        data = rows[2:]
        people = {row[5]: row[-1] for row in data if row[0] == "people_registered" and not row[7]}
        self.assertEqual(people, {"": "10", "Mansehra": "10"})
        self.assertEqual({row[8] for row in data}, {"2006-01-01"})  # the period widened to whole months
        entry = AuditEntry.objects.get(action="export", object_type="reporting.dashboard")
        self.assertEqual(entry.detail["area"], str(self.mansehra.uuid))

    def test_the_xlsx_holds_the_same_rows(self) -> None:
        analyst = self.client_for(self.a[Role.ANALYST])
        as_csv = self.read_csv(analyst.get("/reporting/figures.hxl?file_format=csv"))
        response = analyst.get("/reporting/figures.hxl?file_format=xlsx")
        self.assertEqual(response.status_code, 200)
        sheet = load_workbook(io.BytesIO(response.content)).active
        as_xlsx = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        self.assertEqual(as_xlsx, as_csv)

    def test_bad_input_is_refused_with_what_was_wrong(self) -> None:
        analyst = self.client_for(self.a[Role.ANALYST])
        response = analyst.get("/reporting/figures.hxl?file_format=pdf")
        self.assertEqual(response.status_code, 400)
        self.assertIn("file_format", response.content.decode())
        tehsil = AdminArea.objects.create(pcode="PK60401", name="Balakot", level=3, parent=self.mansehra)
        response = analyst.get(f"/reporting/figures.hxl?area={tehsil.uuid}")
        self.assertEqual(response.status_code, 400)  # finer than a district: not offered, refused
        self.assertIn("area", response.content.decode())
