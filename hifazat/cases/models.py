"""Cases, aligned with the Human Trafficking Case Data Standard v2.0 (IOM, CC BY 4.0): ``cas_`` fields.

Value names are HTCDS's (``Active``, ``FollowUp``, ``Closed``, ``ClosedReferred``); labels are for people, in
English and Urdu. Fields HTCDS does not have are marked "added". A case also carries the HTCDS victim context
(``vic_``) of its person, the historic trafficking events (``hte_``), the perpetrators (``per_``), case comments
(``cco_``) and support plans (``spl_``); services delivered and follow-ups are added. Supervisor approvals
(closing a case, and the kinds other parts register) live here too.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hifazat.cases import htcds
from hifazat.core import crypto
from hifazat.core.models import BaseModel
from hifazat.core.versioning import VersionedModel
from hifazat.screening.models import TraffickingStatus


class CaseStatus(models.TextChoices):
    """HTCDS ``cas_Status``."""

    ACTIVE = "Active", _("Active")
    FOLLOW_UP = "FollowUp", _("Follow-up")
    CLOSED = "Closed", _("Closed")
    CLOSED_REFERRED = "ClosedReferred", _("Closed, referred")


OPEN_STATUSES = (CaseStatus.ACTIVE, CaseStatus.FOLLOW_UP)
CLOSED_STATUSES = (CaseStatus.CLOSED, CaseStatus.CLOSED_REFERRED)


class CaseOrigin(models.TextChoices):
    """How the case came to the organisation (added)."""

    SCREENING = "screening", _("Risk screening")
    MONITORING_REPORT = "monitoring_report", _("Monitoring report")
    WALK_IN = "walk_in", _("Walk-in or self-referral")
    INCOMING_REFERRAL = "incoming_referral", _("Referral from another organisation")
    TRACING = "tracing", _("Family tracing")
    OTHER = "other", _("Other")


class ClosureOutcome(models.TextChoices):
    """How the case ended (added; HTCDS has only the free-text ``cas_ReasonForCaseClosure``). Other parts may
    refuse an outcome through the ``cases.closure_checks`` hook (tracing: ``reunified`` needs its checklist)."""

    OBJECTIVES_MET = "objectives_met", _("Support plan objectives met")
    REUNIFIED = "reunified", _("Reunified with family")
    NO_LONGER_AT_RISK = "no_longer_at_risk", _("No longer at risk")
    REFERRED = "referred", _("Transferred to another organisation")
    DECLINED_SUPPORT = "declined_support", _("The person declined further support")
    LOST_CONTACT = "lost_contact", _("Moved away or contact lost")
    DECEASED = "deceased", _("The person died")
    OTHER = "other", _("Other")


class Case(VersionedModel):
    """A case. Versioned (``core.versioning``): an edit writes only the fields it changes, and one that started
    from an older version than the stored one is refused rather than written over someone else's change."""

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
    closure_outcome = models.CharField(
        _("outcome"), max_length=20, choices=ClosureOutcome.choices, blank=True
    )  # added

    # HTCDS vic_TraffickingStatus, decided for this case: who recorded it, for which organisation, when, and
    # the kind of body that decided (vic_TraffickingStatusDecisionMakingOrg).
    trafficking_status = models.CharField(
        _("trafficking status"), max_length=40, choices=TraffickingStatus.choices, blank=True
    )
    trafficking_status_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("trafficking status recorded by"),
    )
    trafficking_status_organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation that recorded the trafficking status"),
    )
    trafficking_status_decided_by = models.CharField(
        _("decided by"), max_length=40, choices=htcds.DecisionMakingOrganisation.choices, blank=True
    )
    trafficking_status_at = models.DateTimeField(_("trafficking status decided at"), null=True, blank=True)

    # HTCDS victim context (vic_). Multi-select picklists are JSON lists of HTCDS value names.
    recruitment_methods = models.JSONField(_("method of recruitment"), default=list, blank=True)
    recruitment_area = models.ForeignKey(
        "geography.AdminArea",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("area of recruitment"),
    )  # vic_LocationOfRecruitment (HTCDS: a lookup; here an area and/or a place and a country)
    recruitment_place = models.CharField(_("place of recruitment"), max_length=200, blank=True)
    recruitment_country = models.CharField(_("country of recruitment (ISO 3166)"), max_length=2, blank=True)
    methods_of_control = models.JSONField(_("methods of control"), default=list, blank=True)
    exploitation_types = models.JSONField(_("type of exploitation"), default=list, blank=True)
    sex_exploitation_types = models.JSONField(_("type of sexual exploitation"), default=list, blank=True)
    forced_labour_industry = models.CharField(
        _("forced labour industry"), max_length=60, choices=htcds.ForcedLabourIndustry.choices, blank=True
    )
    relationship_to_trafficker = models.CharField(
        _("relationship to trafficker"),
        max_length=20,
        choices=htcds.RelationshipToTrafficker.choices,
        blank=True,
    )
    age_when_trafficked = models.PositiveSmallIntegerField(_("age when trafficked"), null=True, blank=True)
    recruitment_websites = models.JSONField(_("recruitment websites and apps"), default=list, blank=True)
    exploitation_websites = models.JSONField(_("exploitation websites and apps"), default=list, blank=True)

    class Meta:
        ordering = ["-opened_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "number"], name="case_number_per_organisation"),
            models.CheckConstraint(
                condition=Q(status__in=["Active", "FollowUp"], closed_on__isnull=True)
                | Q(status__in=["Closed", "ClosedReferred"], closed_on__isnull=False),
                name="case_closed_has_date",
            ),
            models.CheckConstraint(
                condition=Q(trafficking_status="") | Q(trafficking_status_by__isnull=False),
                name="case_trafficking_status_has_decider",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status"], name="case_org_status_idx"),
            models.Index(fields=["caseworker", "status"], name="case_worker_status_idx"),
        ]

    # The victim-context fields that hold lists, with their picklist: what the service checks.
    MULTI_VALUED = {
        "recruitment_methods": htcds.RecruitmentMethod,
        "methods_of_control": htcds.MethodOfControl,
        "exploitation_types": htcds.ExploitationType,
        "sex_exploitation_types": htcds.SexExploitationType,
        "recruitment_websites": htcds.WebsiteOrApp,
        "exploitation_websites": htcds.WebsiteOrApp,
    }

    def __str__(self) -> str:
        return self.number

    def clean(self) -> None:
        for field, choices in self.MULTI_VALUED.items():
            setattr(self, field, htcds.check_values(field, getattr(self, field), choices))

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def has_victim_context(self) -> bool:
        return bool(
            any(getattr(self, f) for f in self.MULTI_VALUED)
            or self.recruitment_area_id
            or self.recruitment_place
            or self.forced_labour_industry
            or self.relationship_to_trafficker
            or self.age_when_trafficked is not None
        )

    def labels_of(self, field: str) -> list[str]:
        """The labels of a multi-valued field's value names, in the current language."""
        return htcds.labels(getattr(self, field), self.MULTI_VALUED[field])

    def get_absolute_url(self) -> str:
        return reverse("cases:case_detail", args=[self.uuid])


class CaseHistory(models.Model):
    """What happened to the case itself (opened, assigned, closed...): the case's own timeline lines.

    ``detail`` holds codes and user names only, never personal values of the person."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("Case opened")
        ASSIGNED = "assigned", _("Caseworker assigned")
        TRANSFERRED = "transferred", _("Case transferred to another caseworker")
        STATUS = "status", _("Status changed")
        TRAFFICKING_STATUS = "trafficking_status", _("Trafficking status recorded")
        VICTIM_CONTEXT = "victim_context", _("Victim context updated")
        CLOSURE_REQUESTED = "closure_requested", _("Closure requested")
        CLOSURE_REFUSED = "closure_refused", _("Closure refused")
        CLOSED = "closed", _("Case closed")
        CLOSED_REFERRED = "closed_referred", _("Case closed: transferred to another organisation")
        REOPENED = "reopened", _("Case reopened")
        RECORD_CHANGED = "record_changed", _("Record corrected")
        RECORD_REMOVED = "record_removed", _("Record removed")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="history")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "case history"

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"


class CurrentRecords(models.Manager):
    """The records that were not removed: the default manager of case records, so that the case page, the API,
    forms and other parts' queries (``case.support_plans``, ``SupportPlan.objects``) leave removed ones out."""

    def get_queryset(self):
        return super().get_queryset().filter(removed_at__isnull=True)


class CaseRecord(VersionedModel):
    """A record of a case that people correct and remove (historic events, perpetrators, support plans, services
    delivered, follow-ups). Versioned like the case. Removal keeps the row, with who removed it, when and why
    (``with_removed`` still finds it); the case's history says that it was removed."""

    removed_at = models.DateTimeField(null=True, blank=True, editable=False)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    removal_reason = models.CharField(_("reason for removal"), max_length=300, blank=True, editable=False)

    objects = CurrentRecords()
    with_removed = models.Manager()

    class Meta:
        abstract = True

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None


class CaseComment(BaseModel):
    """HTCDS ``cco_CaseComment``: a formal update from a caseworker about the case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="comments")
    body = models.TextField(_("comment"))

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"comment on {self.case_id}"


class HistoricEvent(CaseRecord):
    """HTCDS Historic Trafficking Events (``hte_``): where and when recruitment, transit or exploitation
    happened. The place is an admin area and/or a place name (``hte_City``, ``hte_Street``), with its country."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="historic_events")
    event_type = models.CharField(
        _("type"), max_length=20, choices=htcds.HistoricEventType.choices
    )  # hte_Type
    occurred_on = models.DateField(_("date"), null=True, blank=True)  # hte_Date
    date_is_approximate = models.BooleanField(_("the date is approximate"), default=False)  # added
    area = models.ForeignKey(
        "geography.AdminArea",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("area"),
    )  # added: the OCHA area, where it is in the response's geography
    place = models.CharField(_("place"), max_length=200, blank=True)  # hte_City / hte_Street
    country = models.CharField(_("country (ISO 3166)"), max_length=2, default="PK")  # hte_Country
    description = models.TextField(_("description"), blank=True)  # hte_Description

    class Meta:
        ordering = ["occurred_on", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(event_type__in=htcds.HistoricEventType.values), name="historic_event_type_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.occurred_on or ''}".strip()


class Perpetrator(CaseRecord):
    """A person who took part in the trafficking (HTCDS Person - Perpetrator Context, ``per_``), with their
    roles in the process. Phone, identity number and identifying details are encrypted at rest (as the
    registry's numbers are); phone and identity number also have a blind index, so that the same perpetrator
    can be found in other cases by an exact number without the database holding it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="perpetrators")
    first_name = models.CharField(_("first name"), max_length=80, blank=True)  # prs_FirstName
    second_name = models.CharField(_("family name"), max_length=80, blank=True)  # prs_SecondName
    alias = models.CharField(_("known as"), max_length=120, blank=True)  # added
    gender = models.CharField(_("gender"), max_length=24, blank=True)  # prs_Gender value names
    estimated_age = models.PositiveSmallIntegerField(_("estimated age"), null=True, blank=True)  # added
    nationality = models.CharField(_("nationality (ISO 3166)"), max_length=2, blank=True)  # prs_Citizenship
    roles = models.JSONField(_("role in the process"), default=list)  # per_RoleInProcess
    role_details = models.TextField(_("role details"), blank=True)  # per_RoleDetails
    phone_encrypted = models.TextField(blank=True, editable=False)
    phone_index = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    identity_number_encrypted = models.TextField(blank=True, editable=False)
    identity_number_index = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    identifying_details_encrypted = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(first_name="", second_name="", alias=""), name="perpetrator_has_a_name"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def clean(self) -> None:
        self.roles = htcds.check_values("roles", self.roles, htcds.PerpetratorRole)

    @property
    def display_name(self) -> str:
        name = " ".join(p for p in (self.first_name, self.second_name) if p)
        return f"{name} ({self.alias})" if name and self.alias else name or self.alias

    @property
    def phone(self) -> str:
        return crypto.decrypt(self.phone_encrypted)

    @property
    def identity_number(self) -> str:
        return crypto.decrypt(self.identity_number_encrypted)

    @property
    def identifying_details(self) -> str:
        return crypto.decrypt(self.identifying_details_encrypted)

    @property
    def role_labels(self) -> list[str]:
        return htcds.labels(self.roles, htcds.PerpetratorRole)


class SupportPlan(CaseRecord):
    """HTCDS Support Plan (``spl_``): a plan of one type, with its objectives, actions and end dates."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="support_plans")
    plan_type = models.CharField(_("type"), max_length=40, choices=htcds.SupportPlanType.choices)  # spl_Type
    objectives = models.TextField(_("objectives"))  # spl_Objectives
    action_plan = models.TextField(_("actions"), blank=True)  # spl_ActionPlan
    planned_end_date = models.DateField(_("planned end date"), null=True, blank=True)  # spl_PlannedEndDate
    actual_end_date = models.DateField(_("actual end date"), null=True, blank=True)  # spl_ActualEndDate

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(plan_type__in=htcds.SupportPlanType.values), name="support_plan_type_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_type} plan"

    @property
    def is_open(self) -> bool:
        return self.actual_end_date is None


class ServiceKind(models.TextChoices):
    """The kind of a service delivered (added; the same value names as the services directory's types)."""

    MEDICAL = "medical", _("Medical care")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial support")
    SHELTER = "shelter", _("Safe shelter")
    LEGAL_AID = "legal_aid", _("Legal aid")
    POLICE = "police", _("Police (anti-trafficking)")
    EDUCATION = "education", _("Education")
    LIVELIHOOD = "livelihood", _("Livelihood support")
    FAMILY_TRACING = "family_tracing", _("Family tracing")
    CASH = "cash", _("Cash assistance")
    RELIEF_ITEMS = "relief_items", _("Food and relief items")
    DOCUMENTATION = "documentation", _("Identity documents")
    OTHER = "other", _("Other")


class ServiceDelivery(CaseRecord):
    """A service the person received (added): what, when, from whom, under which support plan."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="services")
    support_plan = models.ForeignKey(
        SupportPlan,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="services",
        verbose_name=_("support plan"),
    )
    service = models.CharField(_("service"), max_length=20, choices=ServiceKind.choices)
    delivered_on = models.DateField(_("delivered on"))
    provided_by = models.CharField(_("provided by"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-delivered_on", "-id"]
        verbose_name_plural = "service deliveries"

    def __str__(self) -> str:
        return f"{self.service} on {self.delivered_on}"


class CaseFollowUp(CaseRecord):
    """A follow-up the case needs by a date (added): a visit, a call, a check on a referral."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="followups")
    due_on = models.DateField(_("due on"))
    purpose = models.CharField(_("purpose"), max_length=300)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=300, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            # "Has this case an overdue follow-up?": the case list's overdue filter and badge (EXISTS per case).
            models.Index(fields=["case", "status", "due_on"], name="case_followup_case_idx"),
            # A supervisor's overdue follow-ups of the whole organisation (work list).
            models.Index(fields=["status", "due_on"], name="case_followup_due_idx"),
            # A user's own follow-ups.
            models.Index(fields=["assigned_to", "status", "due_on"], name="case_followup_user_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | (~Q(status="open") & Q(closed_at__isnull=False)),
                name="case_followup_closed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"follow-up due {self.due_on}"

    def is_overdue_on(self, day) -> bool:
        return self.status == self.Status.OPEN and self.due_on < day


class Approval(BaseModel):
    """A request for a supervisor's decision: closing a case, or a kind another part registers (a referral
    without consent, a transfer to another organisation). It names its object by kind and UUID, so this part
    needs no knowledge of the others; the kind's ``services.ApprovalKind`` carries out a granted request."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        # Set by the system when the question went away (the case closed otherwise, as a transfer).
        WITHDRAWN = "withdrawn", _("Withdrawn")

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        Case,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="approvals",
        verbose_name=_("case"),
    )
    kind = models.CharField(_("kind"), max_length=60)
    target_uuid = models.UUIDField(help_text="The UUID of the object the decision is about.")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    reason = models.TextField(_("reason"))
    detail = models.JSONField(default=dict, blank=True, help_text="Codes the handler needs (an outcome).")
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("note on the decision"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [
            # "Awaiting my approval": an organisation's pending requests, oldest first.
            models.Index(fields=["organisation", "decision", "requested_at"], name="approval_queue_idx"),
            models.Index(fields=["kind", "target_uuid"], name="approval_target_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "target_uuid"],
                condition=Q(decision="pending"),
                name="approval_one_pending_per_object",
            ),
            models.CheckConstraint(
                condition=Q(decision="pending", decided_by__isnull=True, decided_at__isnull=True)
                | (~Q(decision="pending") & Q(decided_by__isnull=False, decided_at__isnull=False)),
                name="approval_decided_has_decider",
            ),
            models.CheckConstraint(
                condition=~Q(decision="refused", decision_note=""), name="approval_refusal_has_note"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.target_uuid} ({self.decision})"

    @property
    def is_pending(self) -> bool:
        return self.decision == self.Decision.PENDING
