"""Cases, aligned with the Human Trafficking Case Data Standard v2.0 (IOM, CC BY 4.0): ``cas_`` fields.

Value names are HTCDS's (``Active``, ``FollowUp``, ``Closed``, ``ClosedReferred``); labels are for people, in
English and Urdu. Fields HTCDS does not have are marked "added".
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hifazat.core.models import BaseModel


class CaseStatus(models.TextChoices):
    """HTCDS ``cas_Status``."""

    ACTIVE = "Active", _("Active")
    FOLLOW_UP = "FollowUp", _("Follow-up")
    CLOSED = "Closed", _("Closed")
    CLOSED_REFERRED = "ClosedReferred", _("Closed, referred")


class CaseOrigin(models.TextChoices):
    """How the case came to the organisation (added)."""

    SCREENING = "screening", _("Risk screening")
    MONITORING_REPORT = "monitoring_report", _("Monitoring report")
    WALK_IN = "walk_in", _("Walk-in or self-referral")
    INCOMING_REFERRAL = "incoming_referral", _("Referral from another organisation")
    TRACING = "tracing", _("Family tracing")
    OTHER = "other", _("Other")


class Case(BaseModel):
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("organisation"),
    )
    # A per-organisation number people can say on the phone: "<short name>-<year>-<sequence>".
    number = models.CharField(_("case number"), max_length=40)
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="cases", verbose_name=_("person")
    )
    household = models.ForeignKey(
        "people.Household",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("household"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.ACTIVE
    )  # cas_Status
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_cases",
        verbose_name=_("case owner"),
    )  # cas_CaseOwner
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_cases",
        verbose_name=_("assigned caseworker"),
    )
    origin = models.CharField(_("origin"), max_length=20, choices=CaseOrigin.choices)  # added
    # The UUID of what opened the case (a screening, a report, a referral, a tracing request), if any (added).
    origin_uuid = models.UUIDField(null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    reason_for_closure = models.TextField(_("reason for closure"), blank=True)  # cas_ReasonForCaseClosure

    class Meta:
        ordering = ["-opened_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "number"], name="case_number_per_organisation")
        ]
        indexes = [
            models.Index(fields=["organisation", "status"], name="case_org_status_idx"),
            models.Index(fields=["caseworker", "status"], name="case_worker_status_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in (CaseStatus.ACTIVE, CaseStatus.FOLLOW_UP)
