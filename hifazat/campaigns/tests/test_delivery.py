"""Delivery reports: a text-message file handed over to RapidPro counts its people as reached (handed over); only
RapidPro's delivery report (messages delivered or read) confirms that their phones received it."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from hifazat.campaigns import coverage, delivery, exports, services
from hifazat.campaigns.models import MessageExport, Reach
from hifazat.core.models import AuditEntry
from hifazat.core.roles import Role

from .base import WIDOWS, CampaignTestCase

REPORT = """Date,Contact UUID,Contact Name,URN Scheme,URN Value,Flow,Direction,Text,Attachments,Status,Channel,Labels
2006-03-01 10:00,c1,Nasreen,tel,+923001234567,,OUT,Call first,,delivered,Jazz,
2006-03-01 10:00,c2,Zainab,tel,+923017654321,,OUT,Call first,,failed,Jazz,
2006-03-01 10:00,c3,Fatima,tel,+923331112223,,OUT,Call first,,sent,Jazz,
2006-03-01 10:00,c4,Someone,tel,+923009999999,,OUT,Call first,,delivered,Jazz,
"""


class DeliveryTests(CampaignTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.people = [
            self.widow(name, phone=phone)
            for name, phone in (
                ("Nasreen", "0300-1234567"),
                ("Zainab", "0301-7654321"),
                ("Fatima", "0333-1112223"),
            )
        ]
        for person in self.people:
            self.phone_consent(person)
        self.campaign_ = self.campaign()
        message = services.key_message_create(
            actor=self.coordinator, campaign=self.campaign_, title="Ask first", topic="what_to_do"
        )
        self.approved(message, "urd", "sms", "پہلے فون کریں")
        with self.captureOnCommitCallbacks(execute=True):
            self.export = exports.export_start(
                actor=self.coordinator, message=message, target_group=WIDOWS[0], fallback_language="urd"
            )
        self.export.refresh_from_db()

    def hand_over(self) -> None:
        exports.export_download(actor=self.coordinator, export=self.export)
        self.export.refresh_from_db()

    def test_handing_the_file_over_reaches_people_without_confirming_delivery(self) -> None:
        self.hand_over()
        self.assertEqual(Reach.objects.filter(export=self.export).count(), 3)
        self.assertEqual(Reach.objects.filter(export=self.export, confirmed_on__isnull=False).count(), 0)
        self.assertEqual(coverage.campaign_figures(self.campaign_).total, coverage.Cell(3, 3, 0))

    def test_the_report_confirms_the_delivered_and_read_messages_only(self) -> None:
        self.hand_over()
        result = delivery.export_delivery_record(
            actor=self.coordinator,
            export=self.export,
            report=delivery.read_report(REPORT),
            on=datetime.date(2006, 3, 2),
        )
        self.assertEqual(
            (result.rows, result.delivered, result.confirmed, result.not_in_export), (4, 2, 1, 1)
        )
        confirmed = Reach.objects.get(export=self.export, confirmed_on__isnull=False)
        self.assertEqual(
            (confirmed.person, confirmed.confirmed_on), (self.people[0], datetime.date(2006, 3, 2))
        )
        figures = coverage.campaign_figures(self.campaign_)
        self.assertEqual(figures.total, coverage.Cell(3, 3, 1))
        self.assertEqual((figures.reached_via, figures.confirmed_via), ({"sms": 3}, {"sms": 1}))
        entry = AuditEntry.objects.get(action=AuditEntry.Action.IMPORT, object_uuid=self.export.uuid)
        self.assertEqual(entry.detail["confirmed"], 1)
        self.assertNotIn("+92300", str(entry.detail))
        # The same report again confirms nobody twice.
        again = delivery.export_delivery_record(
            actor=self.coordinator, export=self.export, report=delivery.read_report(REPORT)
        )
        self.assertEqual((again.confirmed, again.already), (0, 1))

    def test_a_report_before_the_handover_or_from_another_organisation_is_refused(self) -> None:
        with self.assertRaises(ValidationError):
            delivery.export_delivery_record(actor=self.coordinator, export=self.export, report=[])
        self.hand_over()
        with self.assertRaises(PermissionDenied):
            delivery.export_delivery_record(
                actor=self.actor(self.b[Role.CAMPAIGN_COORDINATOR]), export=self.export, report=[]
            )
        with self.assertRaises(PermissionDenied):
            delivery.export_delivery_record(actor=self.supervisor, export=self.export, report=[])

    def test_a_file_that_is_not_a_delivery_report_says_what_is_wrong_and_where(self) -> None:
        with self.assertRaisesMessage(ValidationError, "needs a Status column"):
            delivery.read_report("URN Value,Text\n+923001234567,hello\n")
        with self.assertRaisesMessage(ValidationError, "Row 3, column URN: tel:12 is not a phone number."):
            delivery.read_report("URN,Status\ntel:+923001234567,delivered\ntel:12,delivered\n")

    def test_the_coordinator_uploads_the_report_on_the_exports_page(self) -> None:
        self.hand_over()
        client = self.client_for(self.a[Role.CAMPAIGN_COORDINATOR])
        page = client.get(f"/campaigns/exports/{self.export.uuid}/")
        self.assertContains(page, f'action="/campaigns/exports/{self.export.uuid}/delivery/"')
        upload = SimpleUploadedFile("messages.csv", REPORT.encode(), content_type="text/csv")
        response = client.post(
            f"/campaigns/exports/{self.export.uuid}/delivery/", {"report": upload}, follow=True
        )
        self.assertContains(response, "1 more people confirmed as having received the message")
        self.assertContains(response, 'id="export-delivery"')
        bad = SimpleUploadedFile("messages.csv", b"Name\nNasreen\n", content_type="text/csv")
        response = client.post(
            f"/campaigns/exports/{self.export.uuid}/delivery/", {"report": bad}, follow=True
        )
        self.assertContains(response, "needs a Status column")
        other = self.client_for(self.b[Role.CAMPAIGN_COORDINATOR])
        self.assertEqual(other.post(f"/campaigns/exports/{self.export.uuid}/delivery/").status_code, 404)
        self.assertEqual(MessageExport.objects.count(), 1)
