"""API v1 for campaigns: the same services and scoping as the pages, service errors as 400 and 403."""

from __future__ import annotations

from hifazat.campaigns import services
from hifazat.campaigns.models import MessageExport, MessageVersion, Session
from hifazat.core.roles import Role

from .base import WIDOWS, CampaignTestCase


class ApiTests(CampaignTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.nasreen = self.widow("Nasreen", phone="0300-1234567")
        self.phone_consent(self.nasreen)
        self.campaign_ = self.campaign()
        self.message = services.key_message_create(
            actor=self.coordinator, campaign=self.campaign_, title="Ask first", topic="what_to_do"
        )
        self.coordinator_api = self.client_for(self.a[Role.CAMPAIGN_COORDINATOR])

    def test_a_campaign_is_created_with_places_named_by_uuid_and_pcode(self) -> None:
        response = self.coordinator_api.post(
            "/api/v1/campaigns/",
            {
                "name": "By the API",
                "objective": "x",
                "starts_on": "2006-03-01",
                "areas": ["PK701"],
                "sites": [str(self.h11.uuid)],
                "target_groups": WIDOWS,
            },
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["areas"], ["PK701"])
        refused = self.client_for(self.a[Role.CASEWORKER]).post(
            "/api/v1/campaigns/", {"name": "x"}, content_type="application/json"
        )
        self.assertEqual(refused.status_code, 403)
        bad = self.coordinator_api.post(
            "/api/v1/campaigns/",
            {"name": "x", "objective": "x", "starts_on": "2006-03-01", "target_groups": WIDOWS},
            content_type="application/json",
        )
        self.assertEqual(bad.status_code, 400)
        self.assertIn("sites", bad.json())

    def test_four_eyes_on_the_api(self) -> None:
        written = self.coordinator_api.post(
            f"/api/v1/campaign-messages/{self.message.uuid}/versions/",
            {"language": "urd", "channel": "sms", "text": "ہیلپ لائن پر فون کریں", "submit": True},
            content_type="application/json",
        )
        self.assertEqual(written.status_code, 201, written.content)
        self.assertEqual((written.json()["sms_encoding"], written.json()["sms_parts"]), ("UCS-2", 1))
        url = f"/api/v1/campaign-versions/{written.json()['id']}/review/"
        self.assertEqual(
            self.coordinator_api.post(url, {"approve": True}, content_type="application/json").status_code,
            403,
        )
        supervisor = self.client_for(self.a[Role.SUPERVISOR])
        approved = supervisor.post(url, {"approve": True}, content_type="application/json")
        self.assertEqual(approved.json()["status"], "approved")
        again = supervisor.post(url, {"approve": True}, content_type="application/json")
        self.assertEqual(again.status_code, 400)
        listed = self.client_for(self.a[Role.ANALYST]).get(
            f"/api/v1/campaigns/{self.campaign_.uuid}/messages/"
        )
        self.assertEqual(listed.json()["results"][0]["versions"][0]["status"], "approved")

    def test_a_session_and_its_attendee_by_the_api(self) -> None:
        caseworker = self.client_for(self.a[Role.CASEWORKER])
        response = caseworker.post(
            f"/api/v1/campaigns/{self.campaign_.uuid}/sessions/",
            {
                "site": str(self.h11.uuid),
                "held_on": "2006-02-01",
                "facilitator": str(self.org_a.uuid),
                "target_group": WIDOWS[0],
                "female_18_59": 10,
            },
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 201, response.content)
        session = Session.objects.get()
        added = caseworker.post(
            f"/api/v1/campaign-sessions/{session.uuid}/attendees/",
            {"person": str(self.nasreen.uuid), "pre_score": 1, "post_score": 4},
            content_type="application/json",
        )
        self.assertEqual(added.status_code, 201, added.content)
        gaps = caseworker.get(f"/api/v1/campaigns/{self.campaign_.uuid}/gaps/").json()
        self.assertEqual(gaps["count"], 0)
        b = self.client_for(self.b[Role.CASEWORKER])
        self.assertEqual(b.get(f"/api/v1/campaigns/{self.campaign_.uuid}/sessions/").status_code, 404)

    def test_an_export_is_started_and_followed_by_the_api(self) -> None:
        self.approved(self.message, "urd", "sms", "ہیلپ لائن پر فون کریں")
        with self.captureOnCommitCallbacks(execute=True):
            response = self.coordinator_api.post(
                f"/api/v1/campaigns/{self.campaign_.uuid}/exports/",
                {"message": str(self.message.uuid), "target_group": WIDOWS[0], "fallback_language": "urd"},
                content_type="application/json",
            )
        self.assertEqual(response.status_code, 201, response.content)
        export = MessageExport.objects.get()
        detail = self.coordinator_api.get(f"/api/v1/campaign-exports/{export.uuid}/").json()
        self.assertEqual((detail["status"], detail["recipients"], detail["downloaded"]), ("done", 1, False))
        self.assertNotIn("+92", str(detail))

    def test_the_sms_length_endpoint(self) -> None:
        response = self.client_for(self.a[Role.ANALYST]).post(
            "/api/v1/campaign-sms-length/", {"text": "a" * 161}, content_type="application/json"
        )
        self.assertEqual(
            response.json(),
            {
                "encoding": "GSM-7",
                "characters": 161,
                "units": 161,
                "parts": 2,
                "per_part": 153,
                "remaining": 145,
            },
        )
        self.assertEqual(
            self.client_for(self.donor).post("/api/v1/campaign-sms-length/", {"text": "a"}).status_code, 403
        )

    def test_the_version_list_is_newest_first(self) -> None:
        for text in ("one", "two"):
            services.version_write(
                actor=self.coordinator, message=self.message, language="eng", channel="radio", text=text
            )
        listed = self.coordinator_api.get(f"/api/v1/campaign-messages/{self.message.uuid}/versions/").json()
        self.assertEqual([v["text"] for v in listed["results"]], ["two", "one"])
        self.assertEqual(MessageVersion.objects.count(), 2)
