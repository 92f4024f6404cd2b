"""Field forms for ODK Collect (XLSForm and the XForm made from it), the keys Collect signs in with, and every
submission received, kept with its XML and attachments whatever became of it."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hifazat.core.models import BaseModel


class Purpose(models.TextChoices):
    """What a form's submissions become: the services that store them (``intake.registration``)."""

    HOUSEHOLD_REGISTRATION = "household_registration", _("Household registration with members")
    RISK_SCREENING = "risk_screening", _("Risk screening of a registered person")
    MONITORING_REPORT = "monitoring_report", _("Monitoring report from a member of the network")
    SESSION_ATTENDANCE = "session_attendance", _("Registered people who attended an awareness session")
    LIVELIHOOD_VISIT = "livelihood_visit", _("Follow-up visit of a livelihood participant")
    KEEP = "keep", _("Kept as received (no records made)")


class XForm(BaseModel):
    """One version of a form, as uploaded (the XLSForm) and as served to Collect (the XForm XML, whose MD5 is
    the hash in the form list). Served only to members of ``organisation``; one active version per form id."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    form_id = models.CharField(_("form id"), max_length=100)
    version = models.CharField(_("version"), max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=200)
    purpose = models.CharField(_("what submissions become"), max_length=40, choices=Purpose.choices)
    xlsform_name = models.CharField(max_length=200)
    xlsform = models.BinaryField()
    xml = models.BinaryField()
    md5 = models.CharField(max_length=32)
    active = models.BooleanField(_("served to Collect"), default=True)

    class Meta:
        ordering = ["form_id", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "form_id", "version"], name="xform_version_unique"
            ),
            # Collect keeps one form per id: the form list must not offer two versions of it.
            models.UniqueConstraint(
                fields=["organisation", "form_id"], condition=Q(active=True), name="xform_one_active"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.form_id} {self.version}".strip()


class FormMedia(BaseModel):
    """A media file a form needs (a CSV for choices, an image), listed in its manifest."""

    form = models.ForeignKey(XForm, on_delete=models.CASCADE, related_name="media")
    name = models.CharField(max_length=200)
    content = models.BinaryField()
    md5 = models.CharField(max_length=32)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["form", "name"], name="formmedia_name_unique")]


class CollectKey(BaseModel):
    """How one user's Collect signs in: the server URL holds ``token`` (``/collect/<token>``), and Collect
    answers the Basic challenge with the user's username and a generated secret, stored only as its SHA-256
    (it is random and long: a slow hash would add nothing). A new key replaces the old one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="collect_key"
    )
    token = models.UUIDField(default=uuid.uuid4, unique=True)
    secret_sha256 = models.CharField(max_length=64)


class Submission(BaseModel):
    """One filled form as received from Collect, never deleted: its XML (as received, and as corrected by a
    supervisor), its attachments, and what became of it (stored, or failed with the reason)."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        STORED = "stored", _("Stored")
        FAILED = "failed", _("Failed")
        REVIEW = "review", _("Held: likely already registered")
        SUPERSEDED = "superseded", _("Replaced by an edit")

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    form = models.ForeignKey(XForm, on_delete=models.PROTECT, related_name="submissions")
    instance_id = models.CharField(max_length=100)
    deprecated_id = models.CharField(max_length=100, blank=True)
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )
    received_xml = models.BinaryField()
    xml = models.BinaryField()
    complete = models.BooleanField(default=False)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RECEIVED)
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    # What the submission became: {"household": uuid, "people": [uuid, ...], "declined": n}.
    result = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["form", "instance_id"], name="submission_instance_unique"),
        ]
        # The supervisor's queue: an organisation's submissions by status.
        indexes = [models.Index(fields=["organisation", "status"], name="submission_status_idx")]


class Attachment(models.Model):
    """A file sent with a submission (a photo, a signature), under the name the XML refers to."""

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="attachments")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100, blank=True)
    content = models.BinaryField()
    md5 = models.CharField(max_length=32)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["submission", "name"], name="attachment_name_unique")]

    def __str__(self) -> str:
        return self.name
