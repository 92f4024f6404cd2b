"""Funders see their own campaigns' aggregate figures only: never a person, never a list of names, no cell small
enough to identify someone, and 403 or 404 on everything individual."""

from __future__ import annotations

from hifazat.campaigns import services
from hifazat.campaigns.models import Campaign
from hifazat.core.roles import Role

from .base import CampaignTestCase


class FunderTests(CampaignTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.widows = [
            self.widow(name, phone="0300-1234567")
            for name in ("Nasreen", "Zainab", "Fatima", "Ayesha", "Saima", "Bushra")
        ]
        self.funded = self.campaign(name="Funded by Japan")
        self.other = self.campaign(name="Funded by someone else", funder=None)
        self.session_ = self.session(self.funded)
        for person in self.widows[:2]:
            services.attendee_add(actor=self.coordinator, session=self.session_, person=person)
        self.message = services.key_message_create(
            actor=self.coordinator, campaign=self.funded, title="Work offers", topic="work_offers"
        )
        self.client_ = self.client_for(self.donor)

    def test_the_funder_lists_only_the_campaigns_it_funds(self) -> None:
        page = self.client_.get("/campaigns/")
        self.assertContains(page, "Funded by Japan")
        self.assertContains(page, f"/campaigns/{self.funded.uuid}/figures/")
        self.assertNotContains(page, f'/campaigns/{self.funded.uuid}/"')
        self.assertNotContains(page, "Funded by someone else")
        staff = self.client_for(self.a[Role.CAMPAIGN_COORDINATOR]).get("/campaigns/")
        self.assertContains(staff, "Funded by someone else")  # a campaign with no funder lists too
        api = self.client_.get("/api/v1/campaigns/").json()
        self.assertEqual([c["id"] for c in api["results"]], [str(self.funded.uuid)])

    def test_the_funder_sees_aggregates_with_small_cells_suppressed_and_says_so(self) -> None:
        page = self.client_.get(f"/campaigns/{self.funded.uuid}/figures/")
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, 'id="suppression-note"')
        # Six registered, two reached: both under the threshold of 10, so both hidden, and the share with them.
        self.assertContains(page, '<div class="fs-3" id="total-registered">*</div>', html=True)
        self.assertContains(page, '<div class="fs-3" id="total-reached">*</div>', html=True)
        self.assertContains(page, '<div class="fs-3" id="total-share">—</div>', html=True)
        for person in self.widows:
            self.assertNotContains(page, person.first_name)
        self.assertNotContains(page, "/people/")
        self.assertNotContains(page, 'id="where-next"')
        inside = self.client_for(self.a[Role.CAMPAIGN_COORDINATOR]).get(f"/campaigns/{self.funded.uuid}/")
        self.assertContains(inside, '<div class="fs-3" id="total-reached">2</div>', html=True)
        self.assertNotContains(inside, 'id="suppression-note"')

    def test_the_api_gives_the_funder_nulls_for_small_cells(self) -> None:
        figures = self.client_.get(f"/api/v1/campaigns/{self.funded.uuid}/figures/").json()
        self.assertEqual((figures["suppressed_below"], figures["rounded_to"]), (10, 10))
        self.assertEqual(figures["total"], {"registered": None, "reached": None, "share_percent": None})
        self.assertEqual(figures["sites"], [])  # districts only, by P-code
        self.assertEqual([d["code"] for d in figures["districts"]], ["PK701"])
        coordinator = self.client_for(self.a[Role.CAMPAIGN_COORDINATOR])
        inside = coordinator.get(f"/api/v1/campaigns/{self.funded.uuid}/figures/").json()
        self.assertEqual(inside["total"], {"registered": 6, "reached": 2, "share_percent": 33})
        self.assertIsNone(inside["suppressed_below"])

    def test_everything_individual_is_refused_to_the_funder(self) -> None:
        attendance = self.session_.attendances.first()
        refused = [
            f"/campaigns/{self.funded.uuid}/",
            f"/campaigns/{self.funded.uuid}/gaps/",
            f"/campaigns/{self.funded.uuid}/messages/",
            f"/campaigns/{self.funded.uuid}/activities/",
            f"/campaigns/sessions/{self.session_.uuid}/",
            f"/campaigns/messages/{self.message.uuid}/",
            f"/api/v1/campaigns/{self.funded.uuid}/",
            f"/api/v1/campaigns/{self.funded.uuid}/gaps/",
            f"/api/v1/campaigns/{self.funded.uuid}/sessions/",
            f"/api/v1/campaign-sessions/{self.session_.uuid}/attendees/",
            f"/people/{self.widows[0].uuid}/",
            f"/api/v1/people/{self.widows[0].uuid}/",
        ]
        for url in refused:
            self.assertEqual(self.client_.get(url).status_code, 403, url)
        self.assertEqual(
            self.client_.post(f"/campaigns/attendances/{attendance.uuid}/remove/").status_code, 403
        )

    def test_a_campaign_the_funder_does_not_fund_is_not_found(self) -> None:
        self.assertEqual(self.client_.get(f"/campaigns/{self.other.uuid}/figures/").status_code, 404)
        self.assertEqual(self.client_.get(f"/api/v1/campaigns/{self.other.uuid}/figures/").status_code, 404)

    def test_people_inside_the_campaign_can_preview_the_funders_view(self) -> None:
        page = self.client_for(self.a[Role.ANALYST]).get(f"/campaigns/{self.funded.uuid}/figures/?as=funder")
        self.assertContains(page, 'id="suppression-note"')
        self.assertContains(page, '<div class="fs-3" id="total-reached">*</div>', html=True)

    def test_the_funders_other_roles_see_nothing_of_the_campaign_beyond_the_figures(self) -> None:
        from hifazat.core.testing import make_user

        analyst = make_user(self.funder, Role.ANALYST, "f-analyst")
        client = self.client_for(analyst)
        self.assertEqual(client.get(f"/campaigns/{self.funded.uuid}/").status_code, 404)
        self.assertContains(client.get(f"/campaigns/{self.funded.uuid}/figures/"), 'id="suppression-note"')
        self.assertEqual(Campaign.objects.count(), 2)
