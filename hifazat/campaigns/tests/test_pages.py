"""The campaign pages, as a coordinator and a supervisor use them: create, write and review, record a session and
its register, watch the coverage and the gap list."""

from __future__ import annotations

import json
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from hifazat.campaigns.models import Campaign, KeyMessage, MessageVersion, Session
from hifazat.core.roles import Role
from hifazat.screening.testing import make_screening

from .base import WIDOWS, CampaignTestCase

HTMX = {"HTTP_HX_REQUEST": "true"}


class PageTests(CampaignTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.coordinator_client = self.client_for(self.a[Role.CAMPAIGN_COORDINATOR])
        self.nasreen = self.widow("Nasreen", children=1)
        self.zainab = self.widow("Zainab", self.balakot)

    def create_campaign(self) -> Campaign:
        response = self.coordinator_client.post(
            "/campaigns/new/",
            {
                "name": "Safe futures",
                "objective": "Warn widows about false offers.",
                "funder": self.funder.uuid,
                "partners": [self.org_b.uuid],
                "starts_on": "2006-01-15",
                "ends_on": "2006-06-30",
                "sites": [self.h11.uuid, self.balakot.uuid],
                "target_groups": WIDOWS,
            },
        )
        campaign = Campaign.objects.get()
        self.assertRedirects(response, f"/campaigns/{campaign.uuid}/")
        return campaign

    def test_a_coordinator_creates_and_launches_a_campaign(self) -> None:
        campaign = self.create_campaign()
        self.assertEqual((campaign.organisation, campaign.funder), (self.org_a, self.funder))
        self.assertEqual(list(campaign.partners.all()), [self.org_b])
        response = self.coordinator_client.post(
            f"/campaigns/{campaign.uuid}/launch/",
            {
                "launched_on": "2006-01-20",
                "launch_site": self.h11.uuid,
                "launch_note": "With the camp elders.",
            },
        )
        self.assertRedirects(response, f"/campaigns/{campaign.uuid}/")
        page = self.coordinator_client.get(f"/campaigns/{campaign.uuid}/")
        self.assertContains(page, "Launched, running")
        self.assertContains(page, "With the camp elders.")

    def test_a_message_is_written_sent_and_approved_on_the_pages(self) -> None:
        campaign = self.create_campaign()
        self.coordinator_client.post(
            f"/campaigns/{campaign.uuid}/messages/new/",
            {"title": "Work offers", "topic": "work_offers", "target_group": ""},
        )
        message = KeyMessage.objects.get()
        page = self.coordinator_client.get(
            f"/campaigns/messages/{message.uuid}/write/?language=urd&channel=sms"
        )
        self.assertContains(page, 'hx-post="/campaigns/sms-length/"')
        response = self.coordinator_client.post(
            f"/campaigns/messages/{message.uuid}/write/",
            {"language": "urd", "channel": "sms", "text": "ہیلپ لائن پر فون کریں", "submit": "on"},
        )
        self.assertRedirects(response, f"/campaigns/messages/{message.uuid}/")
        version = MessageVersion.objects.get()
        detail = self.coordinator_client.get(f"/campaigns/messages/{message.uuid}/")
        self.assertContains(detail, "You wrote this version: someone else reviews it.")
        self.coordinator_client.post(f"/campaigns/versions/{version.uuid}/review/", {"decision": "approve"})
        version.refresh_from_db()
        self.assertEqual(version.status, "in_review")  # the author's own review was refused
        supervisor = self.client_for(self.a[Role.SUPERVISOR])
        self.assertContains(supervisor.get(f"/campaigns/messages/{message.uuid}/"), "Record the review")
        supervisor.post(f"/campaigns/versions/{version.uuid}/review/", {"decision": "approve"})
        version.refresh_from_db()
        self.assertEqual(version.status, "approved")
        self.assertContains(supervisor.get("/work/"), "Key messages to review", count=0)

    def test_the_text_message_counter_answers_htmx(self) -> None:
        response = self.coordinator_client.post("/campaigns/sms-length/", {"text": "ا" * 71}, **HTMX)
        self.assertContains(response, "71 characters in UCS-2, 2 parts")
        response = self.coordinator_client.post("/campaigns/sms-length/", {"text": "Hello"}, **HTMX)
        self.assertContains(response, "5 characters in GSM-7, 1 part")

    def test_a_session_with_linked_attendees_raises_the_coverage(self) -> None:
        campaign = self.create_campaign()
        detail = self.coordinator_client.get(f"/campaigns/{campaign.uuid}/")
        self.assertContains(detail, '<div class="fs-3" id="total-reached">0</div>', html=True)
        response = self.coordinator_client.post(
            f"/campaigns/{campaign.uuid}/sessions/new/",
            {
                "site": self.h11.uuid,
                "held_on": "2006-02-01",
                "facilitator": self.org_a.uuid,
                "target_group": WIDOWS[1],
                "female_0_17": 0,
                "male_0_17": 0,
                "female_18_59": 14,
                "male_18_59": 0,
                "female_60_plus": 1,
                "male_60_plus": 0,
                "check_max_score": 5,
            },
        )
        session = Session.objects.get()
        self.assertRedirects(response, f"/campaigns/sessions/{session.uuid}/")
        found = self.coordinator_client.get(f"/campaigns/sessions/{session.uuid}/find/?q=nasreen", **HTMX)
        self.assertContains(found, "Add to the register")
        self.assertNotContains(found, "<html")
        self.coordinator_client.post(
            f"/campaigns/sessions/{session.uuid}/attendees/",
            {"person": self.nasreen.uuid, "pre_score": 2, "post_score": 5},
        )
        self.assertContains(self.coordinator_client.get(f"/campaigns/sessions/{session.uuid}/"), "Nasreen")
        detail = self.coordinator_client.get(f"/campaigns/{campaign.uuid}/")
        self.assertContains(detail, '<div class="fs-3" id="total-reached">1</div>', html=True)
        self.assertContains(detail, '<div class="fs-3" id="total-share">50%</div>', html=True)
        gaps = self.coordinator_client.get(f"/campaigns/{campaign.uuid}/gaps/")
        self.assertContains(gaps, "Zainab")
        self.assertNotContains(gaps, "Nasreen")

    def test_a_session_without_anyone_is_refused_by_the_form(self) -> None:
        campaign = self.create_campaign()
        response = self.coordinator_client.post(
            f"/campaigns/{campaign.uuid}/sessions/new/",
            {
                "site": self.h11.uuid,
                "held_on": "2006-02-01",
                "facilitator": self.org_a.uuid,
                "target_group": WIDOWS[0],
                **dict.fromkeys(Session.COUNT_FIELDS, 0),
                "check_max_score": 5,
            },
        )
        self.assertContains(response, "Give the number of people who came.")
        self.assertFalse(Session.objects.exists())

    def test_the_charts_get_their_data_from_a_json_block_and_no_inline_script(self) -> None:
        campaign = self.create_campaign()
        page = self.coordinator_client.get(f"/campaigns/{campaign.uuid}/")
        content = page.content.decode()
        data = json.loads(
            re.search(r'<script id="coverage-data" type="application/json">(.*?)</script>', content).group(1)
        )
        self.assertEqual(data["sites"]["registered"], [1, 1])
        self.assertIn("vendor/chartjs/chart.umd.min.js", content)
        self.assertIn("campaigns/campaign_charts.js", content)
        for script in re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", content):
            self.assertIn('type="application/json"', script)

    def test_the_campaign_page_makes_the_same_queries_whatever_the_registry(self) -> None:
        campaign = self.create_campaign()
        url = f"/campaigns/{campaign.uuid}/"
        self.coordinator_client.get(url)
        with CaptureQueriesContext(connection) as small:
            self.coordinator_client.get(url)
        for n in range(8):
            make_screening(self.widow(f"W{n}", self.balakot), by=self.a[Role.CASEWORKER], band="high")
        with CaptureQueriesContext(connection) as larger:
            self.coordinator_client.get(url)
        self.assertEqual(len(larger.captured_queries), len(small.captured_queries))

    def test_the_gap_list_shows_the_risk_band_to_roles_that_see_screenings_only(self) -> None:
        campaign = self.create_campaign()
        make_screening(self.zainab, by=self.a[Role.CASEWORKER], band="urgent")
        caseworker = self.client_for(self.a[Role.CASEWORKER]).get(f"/campaigns/{campaign.uuid}/gaps/")
        self.assertContains(caseworker, "Latest risk band")
        self.assertContains(caseworker, "Urgent")
        coordinator = self.coordinator_client.get(f"/campaigns/{campaign.uuid}/gaps/")
        self.assertNotContains(coordinator, "Latest risk band")
        self.assertNotContains(coordinator, "Urgent")
        filtered = self.coordinator_client.get(
            f"/campaigns/{campaign.uuid}/gaps/?site={self.h11.uuid}", **HTMX
        )
        self.assertContains(filtered, "Nasreen")
        self.assertNotContains(filtered, "Zainab")

    def test_materials_and_radio_are_recorded_and_counted(self) -> None:
        campaign = self.create_campaign()
        self.coordinator_client.post(
            f"/campaigns/{campaign.uuid}/materials/new/",
            {"kind": "leaflet", "title": "Warning signs", "language": "urd", "print_run": 500},
        )
        material = campaign.materials.get()
        response = self.coordinator_client.post(
            f"/campaigns/materials/{material.uuid}/distribute/",
            {"site": self.h11.uuid, "distributed_on": "2006-02-02", "quantity": 600},
        )
        self.assertContains(response, "Only 500 of the 500 copies are left.")
        self.coordinator_client.post(
            f"/campaigns/materials/{material.uuid}/distribute/",
            {"site": self.h11.uuid, "distributed_on": "2006-02-02", "quantity": 300},
        )
        self.coordinator_client.post(
            f"/campaigns/{campaign.uuid}/radio/new/",
            {
                "station": "Radio Pakistan",
                "language": "urd",
                "first_aired_on": "2006-02-01",
                "last_aired_on": "2006-02-28",
                "airings": 20,
            },
        )
        page = self.coordinator_client.get(f"/campaigns/{campaign.uuid}/activities/")
        self.assertContains(page, "Warning signs")
        self.assertContains(page, "Radio Pakistan")
        detail = self.coordinator_client.get(f"/campaigns/{campaign.uuid}/")
        self.assertContains(detail, "500 / 300")
        self.assertContains(detail, "1 (20)")


class WorkAndTimelineTests(CampaignTestCase):
    def test_a_version_waiting_for_review_is_on_the_reviewers_work_list_only(self) -> None:
        from hifazat.campaigns import services

        message = services.key_message_create(
            actor=self.coordinator, campaign=self.campaign(), title="Work offers", topic="work_offers"
        )
        services.version_write(
            actor=self.coordinator, message=message, language="urd", channel="public", text="متن", submit=True
        )
        self.assertContains(self.client_for(self.a[Role.SUPERVISOR]).get("/work/"), "Key messages to review")
        self.assertNotContains(
            self.client_for(self.a[Role.CAMPAIGN_COORDINATOR]).get("/work/"), "Key messages to review"
        )
        self.assertNotContains(
            self.client_for(self.b[Role.SUPERVISOR]).get("/work/"), "Key messages to review"
        )

    def test_reach_shows_on_the_persons_timeline_for_roles_in_the_campaign(self) -> None:
        from hifazat.campaigns import services

        nasreen = self.widow("Nasreen")
        campaign = self.campaign()
        services.attendee_add(actor=self.coordinator, session=self.session(campaign), person=nasreen)
        page = self.client_for(self.a[Role.CASEWORKER]).get(f"/people/{nasreen.uuid}/")
        self.assertContains(page, "Reached by the campaign Safe futures: Session (ISB-H11)")

    def test_every_page_renders_in_urdu(self) -> None:
        from django.conf import settings

        from hifazat.campaigns import services

        nasreen = self.widow("Nasreen")
        campaign = self.campaign()
        session = self.session(campaign)
        services.attendee_add(
            actor=self.coordinator, session=session, person=nasreen, pre_score=1, post_score=3
        )
        message = services.key_message_create(
            actor=self.coordinator, campaign=campaign, title="SMS", topic="other"
        )
        self.approved(message, "urd", "sms", "ہیلپ لائن پر فون کریں")
        client = self.client_for(self.a[Role.CAMPAIGN_COORDINATOR])
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ur"
        for url in (
            "/campaigns/",
            f"/campaigns/{campaign.uuid}/",
            f"/campaigns/{campaign.uuid}/figures/?as=funder",
            f"/campaigns/{campaign.uuid}/messages/",
            f"/campaigns/messages/{message.uuid}/",
            f"/campaigns/messages/{message.uuid}/write/?language=urd&channel=sms",
            f"/campaigns/{campaign.uuid}/activities/",
            f"/campaigns/sessions/{session.uuid}/",
            f"/campaigns/{campaign.uuid}/gaps/",
            f"/campaigns/{campaign.uuid}/exports/new/",
        ):
            response = client.get(url)
            self.assertContains(response, 'dir="rtl"', msg_prefix=url)
        self.assertContains(client.get(f"/campaigns/{campaign.uuid}/"), "ہدف گروہ کے لحاظ سے دائرہ")
