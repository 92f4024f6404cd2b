"""The focal point's pages: alerts with their evidence, the network graph, the map, camp exits, the work list."""

from __future__ import annotations

import datetime

from django.urls import reverse

from hifazat.core.roles import Role
from hifazat.core.testing import HifazatTestCase
from hifazat.monitoring.testing import make_reports_at_two_sites, register
from hifazat.notifications.selectors import worklist_for
from hifazat.people import services as people
from hifazat.people.testing import make_site


class FocalPointPageTests(HifazatTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        from hifazat.core.audit import Actor

        cls.h11 = make_site()
        cls.balakot = make_site("MAN-BLK", "Balakot Relief Camp")
        cls.balakot.latitude, cls.balakot.longitude = 34.548, 73.353
        cls.balakot.save()
        cls.report, cls.earlier, cls.alert = make_reports_at_two_sites(
            Actor.for_user(cls.a[Role.MONITORING_FOCAL_POINT]),
            cls.h11,
            cls.balakot,
            datetime.date(2006, 1, 10),
        )

    def setUp(self) -> None:
        self.client = self.client_for(self.a[Role.MONITORING_FOCAL_POINT])

    def test_the_alert_shows_its_rule_evidence_and_reports_and_can_be_acknowledged_and_resolved(self) -> None:
        page = self.client.get(reverse("monitoring:alert_detail", args=[self.alert.uuid]))
        self.assertContains(page, "The same trace in reports from several sites")
        self.assertContains(page, "+923001234567")
        self.assertContains(page, "Balakot Relief Camp, H-11 Relief Camp")
        self.assertContains(page, self.earlier.number)
        self.client.post(reverse("monitoring:alert_acknowledge", args=[self.alert.uuid]))
        self.alert.refresh_from_db()
        self.assertEqual(
            (self.alert.status, self.alert.owner), ("acknowledged", self.a[Role.MONITORING_FOCAL_POINT])
        )
        self.client.post(
            reverse("monitoring:alert_assign", args=[self.alert.uuid]),
            {"owner": str(self.a[Role.SUPERVISOR].uuid)},
        )
        self.client.post(
            reverse("monitoring:alert_resolve", args=[self.alert.uuid]), {"resolution": "Police informed."}
        )
        self.alert.refresh_from_db()
        self.assertEqual((self.alert.status, self.alert.owner), ("resolved", self.a[Role.SUPERVISOR]))
        listed = self.client.get(reverse("monitoring:alert_list")).context["page"].object_list
        self.assertEqual(list(listed), [])
        every = (
            self.client.get(reverse("monitoring:alert_list"), {"status": "all"}).context["page"].object_list
        )
        self.assertEqual(list(every), [self.alert])

    def test_the_supervisor_sees_the_alert_list_too(self) -> None:
        page = self.client_for(self.a[Role.SUPERVISOR]).get(reverse("monitoring:alert_list"))
        self.assertContains(page, self.alert.number)

    def test_the_network_page_draws_reports_traces_and_links_as_svg(self) -> None:
        page = self.client.get(reverse("monitoring:report_network", args=[self.report.uuid]))
        self.assertContains(page, "<svg", count=8)  # the drawing and the seven legend marks
        self.assertContains(page, self.earlier.number)
        self.assertContains(page, "0300-1234567")
        self.assertContains(page, "LEA-1234")
        self.assertContains(page, "<line", count=4)  # two reports, a shared phone, a plate, a name
        overview = self.client.get(
            reverse("monitoring:network"), {"kind": "phone", "text": "+92 300 1234567"}
        )
        self.assertEqual(overview.context["clusters"][0]["size"], 2)
        self.assertEqual(set(overview.context["found"]), {self.report, self.earlier})

    def test_the_map_counts_reports_by_site_for_the_period(self) -> None:
        page = self.client.get(
            reverse("monitoring:report_map"), {"date_from": "2006-01-01", "date_to": "2006-01-31"}
        )
        rows = {r["site__name"]: r["count"] for r in page.context["rows"]}
        self.assertEqual(rows, {"H-11 Relief Camp": 1, "Balakot Relief Camp": 1})
        self.assertEqual(len(page.context["points"]), 1)  # only Balakot has coordinates
        self.assertContains(page, "monitoring/report_map.js")
        empty = self.client.get(
            reverse("monitoring:report_map"), {"date_from": "2005-10-01", "date_to": "2005-10-31"}
        )
        self.assertEqual(empty.context["rows"], [])

    def test_the_work_list_shows_reports_to_triage_and_open_alerts(self) -> None:
        sections = {s.key: s for s in worklist_for(self.actor(self.a[Role.MONITORING_FOCAL_POINT]))}
        self.assertEqual(sections["monitoring-new"].total, 2)
        self.assertEqual(sections["monitoring-alerts"].items[0].label, self.alert.number)
        self.assertNotIn("monitoring-new", {s.key for s in worklist_for(self.actor(self.a[Role.CASEWORKER]))})

    def test_a_caseworker_records_a_childs_exit_and_the_focal_point_is_alerted(self) -> None:
        caseworker = self.actor(self.a[Role.CASEWORKER])
        household = people.household_register(actor=caseworker, site=self.h11, shelter_number="T-2")
        child = register(
            caseworker, household, "Bilal", "Khan", age=11, gender="Masculine", relationship_to_head="child"
        )
        client = self.client_for(self.a[Role.CASEWORKER])
        found = client.get(reverse("monitoring:exit_list"), {"q": "Bilal Khan"})
        self.assertEqual(found.context["people"], [child])
        response = client.post(
            reverse("monitoring:exit_create", args=[child.uuid]),
            {
                "departed_on": "2006-01-15",
                "companion": "non_relative",
                "companion_name": "Javed Iqbal",
                "reason": "work",
                "destination": "Karachi",
            },
        )
        self.assertRedirects(response, reverse("monitoring:exit_list"))
        exit_ = child.camp_exits.get()
        self.assertEqual(exit_.report.kind, "child_leaving")
        alerts = self.client.get(reverse("monitoring:alert_list")).context["page"].object_list
        self.assertIn("child_leaving", {a.rule for a in alerts})
        timeline = self.client_for(self.a[Role.SUPERVISOR]).get(
            reverse("people:person_detail", args=[child.uuid])
        )
        self.assertContains(timeline, "Left the site")
        self.assertContains(timeline, exit_.report.number)
