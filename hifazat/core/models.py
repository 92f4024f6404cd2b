"""The base model every part builds on, the audit log, and records of long-running work."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hifazat.core import text


class BaseModel(models.Model):
    """UUID public identifier, creation and change stamps with the acting user.

    The integer primary key stays inside the database; URLs, the API and exports use ``uuid``.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    modified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None):
        """Strip control and bidi override characters from every text field first (``core.text``), so that
        whatever writes through ``full_clean`` (pages, API, imports, the demo) stores names and codes as they
        read, and the checks that follow (blank, length, uniqueness) see the cleaned value."""
        for field in self._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField) and not field.choices:
                value = getattr(self, field.attname)
                if isinstance(value, str) and value:
                    clean = text.clean_text if isinstance(field, models.TextField) else text.clean_line
                    setattr(self, field.attname, clean(value))
        super().clean_fields(exclude=exclude)


class AuditEntry(models.Model):
    """One thing that someone did or saw. Append-only: the database refuses UPDATE and DELETE (migration 0002).

    It names the object by type and UUID and never copies personal values; ``detail`` holds only field names,
    counts and codes.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Changed")
        DELETE = "delete", _("Deleted")
        READ = "read", _("Viewed")
        EXPORT = "export", _("Exported")
        IMPORT = "import", _("Imported")
        LOGIN = "login", _("Logged in")
        LOGIN_FAILED = "login_failed", _("Failed login")
        LOGOUT = "logout", _("Logged out")
        TWO_FACTOR = "two_factor", _("Two-factor step")

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(max_length=40, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=60, blank=True)
    object_uuid = models.UUIDField(null=True, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name_plural = "audit entries"
        ordering = ["-at", "-id"]
        indexes = [
            # "Who touched this record?": the audit trail shown for one object.
            models.Index(fields=["object_type", "object_uuid"], name="audit_object_idx"),
            # The organisation's audit page, newest first.
            models.Index(fields=["organisation", "-at"], name="audit_org_at_idx"),
            # The audit page filtered by a person or case (core.forms.AuditFilterForm.filter): the organisation's
            # entries with object_uuid IN (...), whatever the object type, which audit_object_idx cannot serve.
            models.Index(fields=["organisation", "object_uuid"], name="audit_org_object_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("audit entries are append-only")


class Job(BaseModel):
    """A piece of long work (an import, an export, a matching run) that a page follows by its status.

    A task does the work and writes progress here; the page polls the job's status partial.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        READY = "ready", _("Checked, ready to commit")
        QUEUED = "queued", _("Waiting to commit")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    kind = models.CharField(max_length=60)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    file_name = models.CharField(max_length=200, blank=True)
    payload = models.TextField(blank=True, help_text="The uploaded content the job works on.")
    errors = models.JSONField(default=list, blank=True)
    result = models.JSONField(default=dict, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "kind", "-created_at"], name="job_org_kind_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.uuid} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.READY, self.Status.DONE, self.Status.FAILED, self.Status.CANCELLED}

    @property
    def percent(self) -> int:
        return 100 if self.is_finished else (int(100 * self.progress / self.total) if self.total else 0)


class NumberSequence(models.Model):
    """The last number given to one kind of record (cases, referrals, reports, alerts, tracing requests) of an
    organisation in a year. ``core.sequences.next_number`` raises it by one inside the writer's transaction,
    so that two writers never draw the same number and each kind keeps its own count."""

    class Kind(models.TextChoices):
        CASE = "case", _("Case")
        REFERRAL = "referral", _("Referral")
        REPORT = "report", _("Report")
        ALERT = "alert", _("Alert")
        TRACING_REQUEST = "tracing_request", _("Tracing request")

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            # One counter per organisation, kind and year; also the row the increment locks.
            models.UniqueConstraint(fields=["organisation", "kind", "year"], name="number_sequence_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}: {self.last}"
