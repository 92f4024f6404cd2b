"""A network reporter learns nothing about other reports (issue 15): their report's page, their list and the API
show what they submitted, as they wrote it; not the traces as others wrote them ("+92 333 7778899 =
0333-7778899"), not the linked reports, the cluster, the alerts or the outcome that names another report. The
network's focal point still sees all of it."""

from __future__ import annotations

import datetime

from django.urls import reverse

from hifazat.core.audit import Actor
from hifazat.core.roles import Role
from hifazat.core.testing import HifazatTestCase, make_user
from hifazat.monitoring import services
from hifazat.people.testing import make_site

DAY = datetime.date(2006, 1, 10)


class ReporterSeesOnlyTheirOwnTests(HifazatTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.h11 = make_site()
        cls.balakot = make_site("MAN-BLK", "Balakot Relief Camp")
        focal = Actor.for_user(cls.a[Role.MONITORING_FOCAL_POINT])
        services.reporter_register(actor=focal, user=cls.a[Role.NETWORK_REPORTER], kind="police")
        # A partner organisation's reporter in the same network wrote first, in their own way.
        other_user = make_user(cls.org_b, Role.NETWORK_REPORTER, "b-reporter-2")
        services.reporter_register(actor=focal, user=other_user, kind="journalist")
        cls.theirs = services.report_submit(
            actor=Actor.for_user(other_user),
            kind="recruiter_seen",
            occurred_on=DAY - datetime.timedelta(days=3),
            description="A broker with a white van asks about widows.",
            site=cls.balakot,
            traces={"phone": ["0333-7778899"], "name": ["Jamil Khan"], "plate": ["RIK-4455"]},
        )
        cls.mine = services.report_submit(
            actor=Actor.for_user(cls.a[Role.NETWORK_REPORTER]),
            kind="offer_work",
            occurred_on=DAY,
            description="Factory work offered to girls at the gate.",
            site=cls.h11,
            traces={"phone": ["+92 333 7778899"], "name": ["Jameel Khan"]},
            people=[{"role": "at_risk", "name": "a girl of about 15"}],
        )
        cls.alert = cls.mine.alerts.get(rule="shared_trace")
        services.report_close(
            actor=focal,
            report=cls.mine,
            outcome="duplicate",
            note=f"The same broker as in {cls.theirs.number}.",
        )

    def leaked(self) -> list[str]:
        """What the reporter must not learn: the other report and the forms its traces were written in."""
        return [
            self.theirs.number,
            str(self.theirs.uuid),
            "0333-7778899",
            "Jamil Khan",
            "RIK-4455",
            "= ",
            self.alert.number,
            "duplicate",
            "Duplicate",
        ]

    def test_the_reporters_report_page_shows_only_what_they_wrote(self) -> None:
        page = self.client_for(self.a[Role.NETWORK_REPORTER]).get(
            reverse("monitoring:report_detail", args=[self.mine.uuid])
        )
        self.assertEqual(page.status_code, 200)
        text = page.content.decode()
        for value in self.leaked():
            self.assertNotIn(value, text)
        self.assertNotIn("other report", text)  # "linked to 1 other report"
        self.assertNotIn(reverse("monitoring:report_network", args=[self.mine.uuid]), text)
        for own in ("+92 333 7778899", "Jameel Khan", "a girl of about 15", "Factory work offered"):
            self.assertIn(own, text)

    def test_the_reporters_list_ignores_a_filter_by_another_reports_trace(self) -> None:
        entity = self.theirs.mentions.get(entity__kind="phone").entity
        page = self.client_for(self.a[Role.NETWORK_REPORTER]).get(
            reverse("monitoring:report_list"), {"entity": str(entity.uuid), "kind": "recruiter_seen"}
        )
        self.assertEqual(list(page.context["page"].object_list), [self.mine])
        for value in self.leaked():
            self.assertNotIn(value, page.content.decode())

    def test_the_api_gives_the_reporter_only_what_they_submitted(self) -> None:
        client = self.client_for(self.a[Role.NETWORK_REPORTER])
        detail = client.get(reverse("api:report_detail", args=[self.mine.uuid]))
        listed = client.get(reverse("api:report_list"))
        self.assertEqual(detail.status_code, 200)
        self.assertEqual(detail.json()["traces"], {"phone": ["+92 333 7778899"], "name": ["Jameel Khan"]})
        for body in (detail.content.decode(), listed.content.decode()):
            for value in self.leaked():
                self.assertNotIn(value, body)
        self.assertNotIn("outcome", detail.json())
        self.assertEqual(client.get(reverse("api:report_detail", args=[self.theirs.uuid])).status_code, 404)
        self.assertEqual(client.get(reverse("api:report_network", args=[self.mine.uuid])).status_code, 403)

    def test_the_focal_point_still_sees_the_links_the_equivalences_and_the_outcome(self) -> None:
        client = self.client_for(self.a[Role.MONITORING_FOCAL_POINT])
        page = client.get(reverse("monitoring:report_detail", args=[self.mine.uuid]))
        self.assertContains(page, "0333-7778899")
        self.assertContains(page, "Jamil Khan")
        self.assertContains(page, "linked to 1 other report")
        self.assertContains(page, self.alert.number)
        self.assertContains(page, self.theirs.number)  # in the closing note
        detail = client.get(reverse("api:report_detail", args=[self.mine.uuid])).json()
        self.assertEqual(detail["outcome"], "duplicate")
