"""The services directory (providers, the services they offer, the areas they cover, referral pathways) and
referrals between organisations, with their status timeline.

Referral reasons use HTCDS v2.0 ``cas_ReasonForOutgoingReferral`` value names. The directory, urgency, status,
shared parts and transfers are not in HTCDS (added).

A referral carries a snapshot of exactly the parts of the person's record the sender chose to share, encrypted
at rest; the receiving organisation reads that snapshot and never the sender's person or case.
"""

from __future__ import annotations

import datetime
import json

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hifazat.core import crypto
from hifazat.core.versioning import VersionedModel


class ServiceType(models.TextChoices):
    """The kinds of service a provider offers (added)."""

    MEDICAL = "medical", _("Medical care")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial support")
    SHELTER = "shelter", _("Safe shelter")
    LEGAL_AID = "legal_aid", _("Legal aid")
    POLICE = "police", _("Police (anti-trafficking)")
    EDUCATION = "education", _("Education")
    LIVELIHOOD = "livelihood", _("Livelihood support")
    FAMILY_TRACING = "family_tracing", _("Family tracing")


class ServiceProvider(VersionedModel):
    """A service point of an organisation: a hospital, a safe house, a legal aid desk, a police unit. Versioned:
    the organisation's supervisors and the hosting organisation's administrators keep the same entry."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="service_providers",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=200)
    name_ur = models.CharField(_("name in Urdu"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    # Covering an area covers every area below it: a provider for Mansehra district serves Balakot tehsil.
    areas = models.ManyToManyField(
        "geography.AdminArea", related_name="service_providers", verbose_name=_("areas covered")
    )
    contact_person = models.CharField(_("contact person"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    accepting_referrals = models.BooleanField(_("accepts referrals now"), default=True)
    availability_note = models.CharField(
        _("note on availability"), max_length=300, blank=True, help_text=_("For example: full until March.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="provider_name_per_organisation")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def service_values(self) -> list[str]:
        return [s.service for s in self.services.all()]

    def get_absolute_url(self) -> str:
        return reverse("referrals:provider_detail", args=[self.uuid])


class ProvidedService(models.Model):
    """One service a provider offers. A row per service, so that the directory filters by service in SQL."""

    provider = models.ForeignKey(ServiceProvider, on_delete=models.CASCADE, related_name="services")
    service = models.CharField(_("service"), max_length=20, choices=ServiceType.choices)

    class Meta:
        ordering = ["service"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "service"], name="provided_service_once"),
            models.CheckConstraint(
                condition=Q(service__in=ServiceType.values), name="provided_service_valid"
            ),
        ]
        # The directory filtered by service.
        indexes = [models.Index(fields=["service", "provider"], name="provided_service_idx")]

    def __str__(self) -> str:
        return self.service


class Pathway(VersionedModel):
    """A referral pathway for an area: the ordered steps a caseworker follows for a kind of situation (a woman
    at risk, a separated child). It applies in its area and every area below it. Versioned, like providers:
    several people keep the directory."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The organisation that maintains the pathway.",
    )
    area = models.ForeignKey(
        "geography.AdminArea", on_delete=models.PROTECT, related_name="pathways", verbose_name=_("area")
    )
    title = models.CharField(_("title"), max_length=200)
    title_ur = models.CharField(_("title in Urdu"), max_length=200, blank=True)
    description = models.TextField(_("when to follow it"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["area__name", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("referrals:pathway_detail", args=[self.uuid])


class PathwayStep(models.Model):
    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("order"))
    service = models.CharField(_("service"), max_length=20, choices=ServiceType.choices)
    provider = models.ForeignKey(
        ServiceProvider,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("provider"),
    )
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    class Meta:
        ordering = ["pathway", "order"]
        constraints = [models.UniqueConstraint(fields=["pathway", "order"], name="pathway_step_order_once")]

    def __str__(self) -> str:
        return f"{self.order}. {self.service}"


class ReferralReason(models.TextChoices):
    """HTCDS ``cas_ReasonForOutgoingReferral``."""

    ADDITIONAL_SERVICES = "AdditionalServicesRequired", _("Additional services required")
    MIGRATION_OR_LOCATION = "MigrationOrChangeOfLocation", _("Migration or change of location")
    OTHER = "Other", _("Other")


class Urgency(models.TextChoices):
    """How soon the receiver must answer (added). The hours are in ``RESPONSE_HOURS``."""

    URGENT = "urgent", _("Urgent: answer within 24 hours")
    HIGH = "high", _("High: answer within 3 days")
    ROUTINE = "routine", _("Routine: answer within 7 days")


RESPONSE_HOURS = {Urgency.URGENT: 24, Urgency.HIGH: 72, Urgency.ROUTINE: 168}


class SharedPart(models.TextChoices):
    """The parts of a person's record a sender may share with the receiver (added)."""

    NAME_AGE = "name_age", _("Name, gender and age")
    PHONE = "phone", _("Contact phone")
    LOCATION = "location", _("Where the person lives now")
    SCREENING = "screening", _("Screening summary")
    CASE_SUMMARY = "case_summary", _("Case summary")
    VULNERABILITY = "vulnerability", _("Vulnerability groups")
    SUPPORT_NEEDED = "support_needed", _("Support needed")
    NOTES = "notes", _("Notes for the receiver")


class ReferralStatus(models.TextChoices):
    """Where a referral stands (added). ``awaiting_approval`` and ``cancelled`` are the sender's alone: the
    receiver sees a referral once it is sent. ``withdrawn``: the sender took back a sent or accepted referral;
    the receiver still sees that it was withdrawn, and why, but no longer what was shared."""

    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting a supervisor's approval")
    SENT = "sent", _("Sent, awaiting a response")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Not sent")
    WITHDRAWN = "withdrawn", pgettext_lazy("referral status", "Withdrawn")


# Statuses the receiving organisation sees.
RECEIVED_STATUSES = [
    ReferralStatus.SENT,
    ReferralStatus.ACCEPTED,
    ReferralStatus.DECLINED,
    ReferralStatus.COMPLETED,
    ReferralStatus.WITHDRAWN,
]


class Referral(VersionedModel):
    """A referral from a case of the sending organisation to a provider of another organisation. Versioned: the
    sender and the receiver's staff act on it at the same time (answer, complete, withdraw).

    A transfer (``is_transfer``) hands the whole case over: when the receiver accepts, the sender's case closes
    as referred.
    """

    number = models.CharField(_("referral number"), max_length=40)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="referrals", verbose_name=_("case")
    )
    sender_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="referrals_sent",
        verbose_name=_("referring organisation"),
    )  # cas_ReferringOrganisation
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("referred by")
    )  # cas_ReferringPrimaryCaseWorker
    receiver_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="referrals_received",
        verbose_name=_("receiving organisation"),
    )  # cas_ReferredOrganisation
    provider = models.ForeignKey(
        ServiceProvider, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("provider")
    )
    service = models.CharField(_("service"), max_length=20, choices=ServiceType.choices)
    reason = models.CharField(
        _("reason for referral"), max_length=40, choices=ReferralReason.choices
    )  # cas_ReasonForOutgoingReferral
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices)
    is_transfer = models.BooleanField(_("transfer of the case"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    # Which parts were shared (value names of SharedPart), and the snapshot of exactly those parts, encrypted.
    shared_parts = models.JSONField(_("shared parts"), default=list)
    snapshot_encrypted = models.TextField(editable=False)
    # Sent without the person's consent for referral, on a supervisor's written decision.
    consent_override = models.BooleanField(
        _("sent without consent, on a supervisor's decision"), default=False
    )
    override_reason = models.TextField(_("reason for the override"), blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)  # cas_OutgoingReferralDate
    due_at = models.DateTimeField(_("response due"), null=True, blank=True)
    overdue_since = models.DateTimeField(_("overdue since"), null=True, blank=True)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)  # cas_IncomingReferralDate
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # cas_ReferredPrimaryCaseWorker
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdraw_reason = models.TextField(_("reason for withdrawing"), blank=True)
    # The receiver's own reference (the police unit's case or FIR number) and what came of the referral.
    receiver_reference = models.CharField(_("receiver's reference number"), max_length=80, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    # The case the receiving organisation opened from this referral, if any (never shown to the sender).
    receiver_case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["sender_organisation", "number"], name="referral_number_per_organisation"
            ),
            models.CheckConstraint(
                condition=~Q(sender_organisation=models.F("receiver_organisation")),
                name="referral_between_organisations",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""), name="referral_decline_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(status="withdrawn") | (~Q(withdraw_reason="") & Q(withdrawn_at__isnull=False)),
                name="referral_withdrawal_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(consent_override=False) | (~Q(override_reason="") & Q(override_by__isnull=False)),
                name="referral_override_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["awaiting_approval", "cancelled"]) | Q(sent_at__isnull=False),
                name="referral_sent_has_time",
            ),
        ]
        indexes = [
            # Incoming referrals of an organisation by status (the incoming list and work list).
            models.Index(fields=["receiver_organisation", "status", "due_at"], name="referral_incoming_idx"),
            # Outgoing referrals of an organisation by status.
            models.Index(
                fields=["sender_organisation", "status", "-created_at"], name="referral_outgoing_idx"
            ),
            # The overdue sweep: sent referrals past their due time not yet marked.
            models.Index(fields=["status", "overdue_since", "due_at"], name="referral_overdue_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def snapshot(self) -> dict:
        """The shared parts as the sender chose them, decrypted."""
        return json.loads(crypto.decrypt(self.snapshot_encrypted) or "{}")

    def set_snapshot(self, snapshot: dict) -> None:
        self.snapshot_encrypted = crypto.encrypt(json.dumps(snapshot, ensure_ascii=False, sort_keys=True))

    @property
    def is_overdue(self) -> bool:
        return self.status == ReferralStatus.SENT and self.due_at is not None and self.due_at < timezone.now()

    @property
    def is_police(self) -> bool:
        return self.service == ServiceType.POLICE

    def due_after(self, sent_at: datetime.datetime) -> datetime.datetime:
        return sent_at + datetime.timedelta(hours=RESPONSE_HOURS[Urgency(self.urgency)])

    def get_absolute_url(self) -> str:
        return reverse("referrals:referral_detail", args=[self.uuid])


class ReferralEvent(models.Model):
    """One change in a referral's life: the status timeline both sides read. ``sender_only`` events (asking for
    approval, the approval and its refusal) are the sending organisation's internal steps."""

    class Kind(models.TextChoices):
        APPROVAL_REQUESTED = "approval_requested", _("Supervisor approval requested")
        APPROVED = "approved", _("Approved by a supervisor")
        APPROVAL_REFUSED = "approval_refused", _("Approval refused: not sent")
        SENT = "sent", _("Sent")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        COMPLETED = "completed", _("Completed")
        OVERDUE = "overdue", _("No response by the due time")
        REFERENCE = "reference", _("Reference number recorded")
        CASE_OPENED = "case_opened", _("The receiving organisation opened a case")
        CASE_TRANSFERRED = "case_transferred", _("Case transferred: closed here as referred")
        WITHDRAWN = "withdrawn", _("Withdrawn by the sender")

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("what happened"), max_length=20, choices=Kind.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    sender_only = models.BooleanField(default=False)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["referral", "at"], name="referral_event_idx")]

    def __str__(self) -> str:
        return f"{self.referral_id} {self.kind}"
