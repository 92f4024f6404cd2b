"""Donor reports, page and downloads: who is refused, one funder's donor never gets another funder's report (404),
every download is audited, and a bad period is refused saying what is wrong."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from hifazat.campaigns.tests.base import CampaignTestCase
from hifazat.core.models import AuditEntry
from hifazat.core.roles import Role
from hifazat.reporting import donor

from .donor_testing import build_campaign, build_programme

PDF = "application/pdf"


pytestmark = pytest.mark.pdf  # skipped, with the hint, where Pango is missing


class DonorReportViewTests(CampaignTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        build_campaign(cls)
        build_programme(cls)

    def urls(self) -> dict[str, str]:
        return {
            "page": "/reporting/donor/",
            "campaign": f"/reporting/donor/campaigns/{self.campaign_.uuid}/?start=2006-02&end=2006-03&language=en",
            "programme": f"/reporting/donor/programmes/{self.programme_.uuid}/?start=2006-03&end=2006-03",
        }

    def test_who_is_refused(self) -> None:
        for url in self.urls().values():
            self.assertEqual(Client().get(url).status_code, 302, url)  # to the sign-in page
            for role in Role:
                if role in (Role.SUPERVISOR, Role.DONOR_VIEWER):
                    continue
                self.assertEqual(self.client_for(self.a[role]).get(url).status_code, 403, f"{role} {url}")

    def test_the_funders_donor_and_the_running_organisations_supervisor_download_both_reports(self) -> None:
        for user in (self.donor, self.a[Role.SUPERVISOR]):
            client = self.client_for(user)
            page = client.get(self.urls()["page"])
            self.assertContains(page, "Safe Futures")
            self.assertContains(page, "Tailoring and embroidery")
            for kind in ("campaign", "programme"):
                response = client.get(self.urls()[kind])
                self.assertEqual(response.status_code, 200, f"{user} {kind}")
                self.assertEqual(response["Content-Type"], PDF)
                self.assertTrue(response.content.startswith(b"%PDF-"))
                self.assertIn("attachment;", response["Content-Disposition"])
                self.assertIn("no-store", response["Cache-Control"])

    def test_another_funders_donor_gets_404_and_sees_nothing_listed(self) -> None:
        for user in (
            self.prm_donor,
            self.a[Role.DONOR_VIEWER],
            self.b[Role.DONOR_VIEWER],
            self.b[Role.SUPERVISOR],
        ):
            client = self.client_for(user)
            page = client.get(self.urls()["page"])
            self.assertEqual(page.status_code, 200)
            self.assertNotContains(page, "Safe Futures")
            self.assertNotContains(page, "Tailoring and embroidery")
            for kind in ("campaign", "programme"):
                self.assertEqual(client.get(self.urls()[kind]).status_code, 404, f"{user} {kind}")
        self.assertFalse(AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists())

    def test_a_campaign_without_a_funder_has_no_donor_report(self) -> None:
        from hifazat.campaigns import services

        unfunded = services.campaign_create(
            actor=self.actor(self.a[Role.CAMPAIGN_COORDINATOR]),
            name="Unfunded",
            objective="x",
            funder=None,
            starts_on=self.campaign_.starts_on,
            sites=[self.h11],
            target_groups=["separated_or_widowed_woman"],
        )
        response = self.client_for(self.a[Role.SUPERVISOR]).get(
            f"/reporting/donor/campaigns/{unfunded.uuid}/"
        )
        self.assertEqual(response.status_code, 404)

    def test_each_download_is_audited_with_codes_only(self) -> None:
        client = self.client_for(self.donor)
        client.get(self.urls()["campaign"])
        client.get(self.urls()["campaign"].replace("language=en", "language=ur"))
        entries = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT, user=self.donor).order_by("at")
        self.assertEqual(entries.count(), 2)
        first = entries[0]
        self.assertEqual((first.object_type, first.object_uuid), ("campaigns.campaign", self.campaign_.uuid))
        self.assertEqual(first.organisation, self.funder)
        self.assertEqual(
            {k: v for k, v in first.detail.items() if k != "pages"},
            {"report": "donor_campaign", "language": "en", "start": "2006-02-01", "end": "2006-03-31"},
        )
        self.assertEqual(entries[1].detail["language"], "ur")

    def test_without_a_period_the_report_covers_the_whole_run_so_far_in_the_pages_language(self) -> None:
        response = self.client_for(self.donor).get(
            f"/reporting/donor/campaigns/{self.campaign_.uuid}/", HTTP_ACCEPT_LANGUAGE="ur"
        )
        self.assertEqual(response.status_code, 200)
        detail = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT).detail
        this_month = donor.Period.of_months(timezone.localdate(), timezone.localdate())
        self.assertEqual(
            (detail["start"], detail["end"], detail["language"]),
            ("2006-01-01", this_month.end.isoformat(), "ur"),
        )
        self.assertIn(f"-2006-01_{this_month.end:%Y-%m}-ur.pdf", response["Content-Disposition"])

    def test_a_bad_period_is_refused_saying_what_is_wrong(self) -> None:
        client = self.client_for(self.donor)
        base = f"/reporting/donor/campaigns/{self.campaign_.uuid}/"
        response = client.get(base + "?start=2006-13&end=2006-03")
        self.assertContains(response, "Give a month as YYYY-MM, such as 2006-01.", status_code=400)
        self.assertContains(response, f'id="id_{self.campaign_.uuid}_start"', status_code=400)
        response = client.get(base + "?start=2006-05&end=2006-03")
        self.assertContains(response, "The period ends before it starts.", status_code=400)
        response = client.get(base + "?start=2006-01&end=2006-03&language=fr")
        self.assertEqual(response.status_code, 400)
        self.assertFalse(AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists())

    def test_the_page_offers_both_languages_and_months_in_urdu(self) -> None:
        page = self.client_for(self.donor).get(self.urls()["page"], HTTP_ACCEPT_LANGUAGE="ur")
        self.assertContains(page, 'lang="ur"')
        self.assertContains(page, "عطیہ دہندگان کے لیے رپورٹیں")
        self.assertContains(page, 'type="month"')
        self.assertContains(page, 'value="2006-01"')
        self.assertContains(page, "پی ڈی ایف ڈاؤن لوڈ کریں")
