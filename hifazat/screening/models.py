"""Risk screenings, the catalogue versions they were scored with, and the follow-up tasks they create."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hifazat.core.models import BaseModel
from hifazat.core.versioning import VersionedModel


class Band(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


# Most urgent first: the order of the follow-up queue.
BAND_RANK = {Band.URGENT: 0, Band.HIGH: 1, Band.MEDIUM: 2, Band.LOW: 3}


class TraffickingStatus(models.TextChoices):
    """HTCDS ``vic_TraffickingStatus``: what the deciding organisation concluded about the person."""

    POSSIBLE = "PossibleVictimOfTrafficking", _("Possible victim of trafficking")
    ACTUAL = "ActualVictimOfTrafficking", _("Victim of trafficking")
    NOT_A_VICTIM = "NotAVictimOfTrafficking", _("Not a victim of trafficking")


class CatalogueVersion(BaseModel):
    """A version of the indicator catalogue as it was used: the content itself, kept so that a screening can
    always be shown with the questions and weights it was scored with, whatever the file says today."""

    version = models.CharField(max_length=20, help_text="The version the file declares.")
    checksum = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the content.")
    definition = models.JSONField(help_text="The catalogue as read from the file.")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.version} ({self.checksum[:8]})"

    @property
    def label(self) -> str:
        return str(self)


class Screening(BaseModel):
    """One screening of one person: the answers, and the score, band, reasons and red flags they produced.

    Written once by ``services.screening_record``; only the trafficking status decided from it changes later.
    """

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="screenings")
    catalogue_version = models.ForeignKey(
        CatalogueVersion, on_delete=models.PROTECT, related_name="screenings"
    )
    answers = models.JSONField(help_text="Question identifier to answer value, as in the catalogue version.")
    subject_was_child = models.BooleanField(
        help_text="Under 18 when screened: the child questions and child red flags applied."
    )
    score = models.IntegerField(_("score"))
    band = models.CharField(_("band"), max_length=10, choices=Band.choices)
    reasons = models.JSONField(
        default=list, blank=True, help_text="The answers that produced the score, with weights."
    )
    red_flags = models.JSONField(
        default=list, blank=True, help_text="Red flags raised, with the answers that raised them."
    )
    screened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    screened_at = models.DateTimeField(_("screened at"), default=timezone.now)
    trafficking_status = models.CharField(
        _("trafficking status decided"), max_length=40, choices=TraffickingStatus.choices, blank=True
    )
    trafficking_status_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    trafficking_status_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-screened_at", "-id"]
        indexes = [
            # The organisation's screenings, newest first (the screening list, filtered by band).
            models.Index(fields=["organisation", "-screened_at"], name="screening_org_at_idx"),
            # A person's screening history.
            models.Index(fields=["person", "-screened_at"], name="screening_person_at_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(band__in=Band.values), name="screening_band_valid"),
            models.CheckConstraint(
                condition=Q(trafficking_status="") | Q(trafficking_status_by__isnull=False),
                name="screening_status_has_decider",
            ),
        ]

    def __str__(self) -> str:
        return f"screening {self.uuid}"

    def get_absolute_url(self) -> str:
        return reverse("screening:screening_detail", args=[self.uuid])


class ScreeningDraft(VersionedModel):
    """A screening under way: the answers given so far and the section reached, kept on the server so that it
    resumes after a reload, on another device, or by a colleague. Not a screening: it has no score or band, and
    nothing that counts screenings (bands, alerts, the queue, reports) reads it. Recording the screening removes
    it; so does discarding it. One per person and organisation, edited with a version check
    (``core.versioning``), since two caseworkers may open it at once.
    """

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="screening_drafts")
    catalogue_version = models.ForeignKey(CatalogueVersion, on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField(
        default=dict, blank=True, help_text="Question identifier to answer value: relevant questions only."
    )
    section = models.PositiveSmallIntegerField(default=1, help_text="The section to resume at (from 1).")

    class Meta:
        ordering = ["-modified_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "person"], name="screening_draft_one_per_person"),
        ]
        indexes = [
            # The organisation's drafts, last saved first (the screening list).
            models.Index(fields=["organisation", "-modified_at"], name="screening_draft_org_idx"),
        ]

    def __str__(self) -> str:
        return f"screening draft {self.uuid}"


class FollowUp(BaseModel):
    """A task a screening created: a follow-up visit, or the next screening, due on a date."""

    class Kind(models.TextChoices):
        FOLLOW_UP = "follow_up", _("Follow-up visit")
        RESCREENING = "rescreening", _("Re-screening")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="screening_followups")
    screening = models.ForeignKey(Screening, on_delete=models.PROTECT, related_name="followups")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    priority = models.CharField(
        _("priority"), max_length=10, choices=Band.choices, help_text="The band of the screening that set it."
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_by_screening = models.ForeignKey(
        Screening,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="For a re-screening: the screening that did it.",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            # The follow-up queue: an organisation's open tasks by due date.
            models.Index(fields=["organisation", "status", "due_on"], name="followup_queue_idx"),
            # A person's open re-screenings, closed when they are screened again.
            models.Index(fields=["person", "kind", "status"], name="followup_person_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | (~Q(status="open") & Q(closed_at__isnull=False)),
                name="followup_closed_has_time",
            ),
            models.CheckConstraint(
                condition=Q(priority__in=[Band.MEDIUM, Band.HIGH, Band.URGENT]),
                name="followup_priority_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} due {self.due_on}"

    def is_overdue_on(self, day) -> bool:
        return self.status == self.Status.OPEN and self.due_on < day
