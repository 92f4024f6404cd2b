"""The monitoring API: a reporter submits and lists their own reports; focal points read the network's reports,
network and alerts; nothing of another organisation's network."""

from __future__ import annotations

import datetime

from django.urls import reverse

from hifazat.core.roles import Role
from hifazat.core.testing import HifazatTestCase
from hifazat.monitoring import services
from hifazat.monitoring.testing import make_reports_at_two_sites
from hifazat.people.testing import make_site


class MonitoringApiTests(HifazatTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        from hifazat.core.audit import Actor

        cls.h11 = make_site()
        cls.balakot = make_site("MAN-BLK", "Balakot Relief Camp")
        services.reporter_register(
            actor=Actor.for_user(cls.a[Role.MONITORING_FOCAL_POINT]),
            user=cls.a[Role.NETWORK_REPORTER],
            kind="army",
        )
        cls.report, cls.earlier, cls.alert = make_reports_at_two_sites(
            Actor.for_user(cls.a[Role.MONITORING_FOCAL_POINT]),
            cls.h11,
            cls.balakot,
            datetime.date(2006, 1, 10),
        )

    def test_a_reporter_submits_a_report_and_lists_only_their_own(self) -> None:
        client = self.client_for(self.a[Role.NETWORK_REPORTER])
        response = client.post(
            reverse("api:report_list"),
            {
                "kind": "recruiter_seen",
                "occurred_on": "2006-01-11",
                "description": "The same man at Balakot.",
                "site": str(self.balakot.uuid),
                "traces": {"phone": ["0300 1234567"]},
                "people": [{"role": "at_risk", "name": "a girl of about 15"}],
            },
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["traces"], {"phone": ["0300 1234567"]})
        listed = client.get(reverse("api:report_list")).json()["results"]
        self.assertEqual([r["id"] for r in listed], [response.json()["id"]])
        self.assertEqual(client.get(reverse("api:report_detail", args=[self.report.uuid])).status_code, 404)
        self.alert.refresh_from_db()
        self.assertEqual(self.alert.reports.count(), 3)

    def test_a_report_with_one_coordinate_is_refused_naming_the_missing_one(self) -> None:
        # Found by the API fuzzing step: the database's both-or-neither constraint answered 500.
        client = self.client_for(self.a[Role.NETWORK_REPORTER])
        before = services.Report.objects.count()
        response = client.post(
            reverse("api:report_list"),
            {"kind": "other", "occurred_on": "2006-01-11", "description": "A van.", "longitude": "-36"},
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 400, response.content)
        self.assertIn("latitude", response.json())
        self.assertEqual(services.Report.objects.count(), before)

    def test_focal_points_read_the_network_and_its_alerts(self) -> None:
        client = self.client_for(self.a[Role.MONITORING_FOCAL_POINT])
        alerts = client.get(reverse("api:alert_list")).json()["results"]
        self.assertEqual([a["number"] for a in alerts], [self.alert.number])
        self.assertEqual(alerts[0]["rule"], "shared_trace")
        graph = client.get(reverse("api:report_network", args=[self.report.uuid])).json()
        kinds = {n["kind"] for n in graph["nodes"]}
        self.assertTrue({"report", "phone", "plate", "name"} <= kinds)
        self.assertEqual(graph["total_reports"], 2)

    def test_another_organisation_sees_nothing(self) -> None:
        client = self.client_for(self.b[Role.MONITORING_FOCAL_POINT])
        self.assertEqual(client.get(reverse("api:alert_list")).json()["results"], [])
        self.assertEqual(client.get(reverse("api:report_detail", args=[self.report.uuid])).status_code, 404)
        self.assertEqual(client.get(reverse("api:alert_detail", args=[self.alert.uuid])).status_code, 404)
