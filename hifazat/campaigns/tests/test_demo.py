"""The campaigns step of the demo: the GoJ-funded campaign launched at H-11 and carried on in Mansehra and
Muzaffarabad, with approved messages in both languages, sessions with linked attendees, materials, an export
handed over, coverage that leaves real gaps, and the donor seeing the aggregates."""

from __future__ import annotations

from django.test import Client, TestCase

from hifazat.campaigns import coverage
from hifazat.campaigns import demo as campaigns_demo
from hifazat.campaigns.models import Campaign, MessageExport, MessageVersion, Reach
from hifazat.demo import scenario


class CampaignDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        # The steps this one builds on, then this one: the other parts' steps are tested by the demo's own test.
        cls.demo = scenario.Demo(seed=2005, households=40)
        for step in (scenario.build_organisations_and_users, scenario.build_geography, scenario.build_people):
            step(cls.demo)
        campaigns_demo.build(cls.demo)
        cls.campaign = Campaign.objects.get(name="Safe Futures")

    def test_the_campaign_is_funded_by_japan_and_launched_at_h11(self) -> None:
        c = self.campaign
        self.assertEqual((c.funder.short_name, c.organisation.short_name), ("GoJ", "IMPO"))
        self.assertEqual(
            (c.status, c.launch_site.code, str(c.launched_on)), ("active", "ISB-H11", "2006-01-20")
        )
        self.assertEqual({o.short_name for o in c.partners.all()}, {"HWWS", "KCRF"})

    def test_public_messages_are_approved_in_both_languages(self) -> None:
        approved = MessageVersion.objects.filter(
            message__campaign=self.campaign, status="approved", channel="public"
        )
        self.assertEqual(set(approved.values_list("language", flat=True)), {"urd", "eng"})
        self.assertTrue(MessageVersion.objects.filter(status="in_review").exists())
        page = Client().get("/awareness/?lang=ur")
        self.assertContains(page, "0800-44333")
        self.assertNotContains(page, "جلدی کا نکاح خطرے کی علامت ہے")  # the version waiting for review

    def test_sessions_link_registered_people_and_an_export_was_handed_over(self) -> None:
        self.assertGreater(Reach.objects.filter(campaign=self.campaign, via="session").count(), 0)
        handed = MessageExport.objects.filter(campaign=self.campaign, downloaded_at__isnull=False)
        self.assertEqual(handed.count(), 1)
        self.assertEqual(Reach.objects.filter(export=handed.get()).count(), handed.get().recipients)

    def test_coverage_is_plausible_and_leaves_gaps(self) -> None:
        figures = coverage.campaign_figures(self.campaign)
        self.assertGreater(figures.total.reached, 0)
        self.assertLess(figures.total.reached, figures.total.registered)
        codes = {s.site.code for s in figures.sites}
        self.assertTrue({"ISB-H11", "MAN-BLK", "MAN-GHB", "MZD-UNI", "MZD-THP"} <= codes)
        unreached = next(s for s in figures.sites if s.site.code == "MAN-GHB")
        self.assertEqual(unreached.sessions, 0)

    def test_the_donor_sees_the_aggregates_only(self) -> None:
        client = Client()
        client.force_login(self.demo.users["donor"])
        self.assertContains(client.get("/campaigns/"), "Safe Futures")
        self.assertContains(client.get(f"/campaigns/{self.campaign.uuid}/figures/"), 'id="suppression-note"')
        self.assertEqual(client.get(f"/campaigns/{self.campaign.uuid}/").status_code, 403)

    def test_the_donor_downloads_a_report_that_tells_handed_over_from_delivered(self) -> None:
        # Four text messages in five delivered (the full demo hands over hundreds; this small one, a few).
        handed = Reach.objects.filter(export__campaign=self.campaign).order_by("person_id")
        delivered = [row.confirmed_on is not None for row in handed]
        self.assertTrue(delivered)
        self.assertEqual(delivered, [n % 5 != 4 for n in range(len(delivered))])
        client = Client()
        client.force_login(self.demo.users["donor"])
        self.assertContains(client.get("/reporting/donor/"), "Safe Futures")
        response = client.get(f"/reporting/donor/campaigns/{self.campaign.uuid}/")
        self.assertEqual((response.status_code, response["Content-Type"]), (200, "application/pdf"))
