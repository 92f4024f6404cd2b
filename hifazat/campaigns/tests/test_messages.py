"""Key messages: versions per language and channel, review with four eyes, only approved versions in use, and the
text message length rule at the service."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from hifazat.campaigns import services
from hifazat.campaigns.models import MessageVersion
from hifazat.core.models import AuditEntry
from hifazat.core.roles import Role
from hifazat.notifications.models import Notification

from .base import CampaignTestCase

S = MessageVersion.Status


class ReviewTests(CampaignTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.campaign_ = self.campaign()
        self.message = services.key_message_create(
            actor=self.coordinator, campaign=self.campaign_, title="Offers of work", topic="work_offers"
        )

    def write(
        self, text="Be careful of offers of work in the city.", *, language="eng", channel="public", **kw
    ):
        return services.version_write(
            actor=self.coordinator, message=self.message, language=language, channel=channel, text=text, **kw
        )

    def test_the_author_cannot_approve_their_own_version(self) -> None:
        version = self.write(submit=True)
        with self.assertRaises(PermissionDenied):
            services.version_review(actor=self.coordinator, version=version, approve=True)
        version.refresh_from_db()
        self.assertEqual(version.status, S.IN_REVIEW)
        services.version_review(actor=self.supervisor, version=version, approve=True)
        version.refresh_from_db()
        self.assertEqual((version.status, version.reviewed_by), (S.APPROVED, self.a[Role.SUPERVISOR]))

    def test_the_database_refuses_a_version_reviewed_by_its_author(self) -> None:
        version = self.write(submit=True)
        version.reviewed_by = version.created_by
        with self.assertRaises(IntegrityError), transaction.atomic():
            version.save()

    def test_roles_without_approval_and_other_organisations_are_refused(self) -> None:
        version = self.write(submit=True)
        for actor in (self.caseworker, self.actor(self.a[Role.ANALYST])):
            with self.assertRaises(PermissionDenied):
                services.version_review(actor=actor, version=version, approve=True)
        services.campaign_update(actor=self.coordinator, campaign=self.campaign_, partners=[self.org_b])
        with self.assertRaises(PermissionDenied):  # a partner carries the campaign out; it does not approve
            services.version_review(actor=self.actor(self.b[Role.SUPERVISOR]), version=version, approve=True)
        with self.assertRaises(PermissionDenied):
            self.message.campaign.refresh_from_db()
            services.version_write(
                actor=self.actor(self.b[Role.CAMPAIGN_COORDINATOR]),
                message=self.message,
                language="eng",
                channel="public",
                text="x",
            )

    def test_returning_a_version_needs_a_note(self) -> None:
        version = self.write(submit=True)
        with self.assertRaises(ValidationError):
            services.version_review(actor=self.supervisor, version=version, approve=False)
        services.version_review(
            actor=self.supervisor, version=version, approve=False, note="Name the hotline."
        )
        version.refresh_from_db()
        self.assertEqual((version.status, version.review_note), (S.RETURNED, "Name the hotline."))

    def test_a_draft_is_reviewed_only_after_it_is_sent(self) -> None:
        draft = self.write()
        self.assertEqual(draft.status, S.DRAFT)
        with self.assertRaises(ValidationError):
            services.version_review(actor=self.supervisor, version=draft, approve=True)
        services.version_submit(actor=self.coordinator, version=draft)
        self.assertTrue(
            Notification.objects.filter(
                recipient=self.a[Role.SUPERVISOR], kind="campaigns.version_in_review"
            ).exists()
        )
        self.assertFalse(Notification.objects.filter(recipient=self.a[Role.CAMPAIGN_COORDINATOR]).exists())

    def test_approving_a_new_version_supersedes_the_old_one_and_keeps_it(self) -> None:
        first = self.approved(self.message, "eng", "public", "Version one.")
        in_review = self.write("Version two.", submit=True)
        first.refresh_from_db()
        self.assertEqual(first.status, S.APPROVED)  # still in use while the next waits
        services.version_review(actor=self.supervisor, version=in_review, approve=True)
        first.refresh_from_db()
        self.assertEqual(first.status, S.SUPERSEDED)
        self.assertEqual(
            list(self.message.versions.order_by("number").values_list("number", "status")),
            [(1, S.SUPERSEDED), (2, S.APPROVED)],
        )

    def test_a_new_version_supersedes_older_drafts_of_its_language_and_channel_only(self) -> None:
        old_draft = self.write("Old draft.")
        urdu = self.write("پرانا مسودہ", language="urd")
        self.write("New text.", submit=True)
        old_draft.refresh_from_db()
        urdu.refresh_from_db()
        self.assertEqual((old_draft.status, urdu.status), (S.SUPERSEDED, S.DRAFT))

    def test_the_database_allows_one_approved_version_per_language_and_channel(self) -> None:
        self.approved(self.message, "eng", "public", "One.")
        with self.assertRaises(IntegrityError), transaction.atomic():
            MessageVersion.objects.create(
                message=self.message,
                language="eng",
                channel="public",
                number=9,
                text="Two.",
                status=S.APPROVED,
                created_by=self.a[Role.CAMPAIGN_COORDINATOR],
                reviewed_by=self.a[Role.SUPERVISOR],
            )

    def test_every_step_is_audited_without_the_text(self) -> None:
        version = self.write("Secret-free text.", submit=True)
        services.version_review(actor=self.supervisor, version=version, approve=True)
        entries = AuditEntry.objects.filter(object_uuid=version.uuid)
        self.assertEqual(entries.count(), 2)
        self.assertNotIn("Secret-free", str(list(entries.values_list("detail", flat=True))))

    def test_an_unconfigured_language_is_refused(self) -> None:
        with self.assertRaises(ValidationError):
            self.write(language="xyz")
        with self.settings(HIFAZAT_CAMPAIGN_LANGUAGES=["urd", "eng"]), self.assertRaises(ValidationError):
            self.write(language="pus")
        self.assertEqual(self.write("د کار وړاندیزونه", language="pus").language, "pus")


class TextMessageRuleTests(CampaignTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.message = services.key_message_create(
            actor=self.coordinator, campaign=self.campaign(), title="SMS", topic="what_to_do"
        )

    def sms(self, text: str) -> MessageVersion:
        return services.version_write(
            actor=self.coordinator, message=self.message, language="urd", channel="sms", text=text
        )

    def test_a_text_message_records_how_a_phone_sends_it(self) -> None:
        version = self.sms("ا" * 70)
        self.assertEqual((version.sms_encoding, version.sms_parts), ("UCS-2", 1))
        version = self.sms("ا" * 71)
        self.assertEqual((version.sms_encoding, version.sms_parts), ("UCS-2", 2))

    def test_more_than_three_parts_is_refused(self) -> None:
        self.assertEqual(self.sms("ا" * 201).sms_parts, 3)
        with self.assertRaisesMessage(ValidationError, "4 parts"):
            self.sms("ا" * 202)

    def test_other_channels_are_not_counted_as_text_messages(self) -> None:
        version = services.version_write(
            actor=self.coordinator, message=self.message, language="urd", channel="radio", text="ا" * 500
        )
        self.assertEqual((version.sms_encoding, version.sms_parts), ("", None))
