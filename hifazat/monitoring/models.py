"""The monitoring network: reporters, reports and the traces they name, alerts, and camp exits.

Grading follows the Admiralty (NATO) system that police and intelligence services use: the *source* is graded
A-F for reliability (``Reporter.reliability``, kept by the focal points) and each *report* 1-6 for the
credibility of what it says (``Report.credibility``), independently of each other, so "B2" reads "a usually
reliable source, probably true".

Every report belongs to one monitoring network (``network``: the organisation that runs it, usually the one that
hosts the system); that organisation's focal points and supervisors see it, a reporter sees only their own.
Traces that a report names (phone numbers, vehicle plates, names, employers, destinations) are kept once per
network as normalised ``Entity`` rows and linked to reports by ``Mention``; reports that share an entity are one
cluster (``Report.cluster``, maintained by ``linking``).
"""

from __future__ import annotations

import uuid as uuid_module

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hifazat.core.models import BaseModel
from hifazat.core.versioning import VersionedModel


def validate_fields(instance: models.Model) -> None:
    """``full_clean`` for the hot paths (a report and its alerts are written on every submission): every field's
    own validation, without the queries Django adds, one per foreign key (they arrive as loaded instances, so
    they exist), per unique field and per constraint (the database enforces those itself, in the same
    transaction)."""
    relations = [f.name for f in instance._meta.concrete_fields if f.is_relation]
    instance.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)


class ReporterKind(models.TextChoices):
    AID_WORKER = "aid_worker", _("Aid worker")
    ARMY = "army", _("Army")
    CAMP_PERSONNEL = "camp_personnel", _("Camp personnel")
    MEDICAL_STAFF = "medical_staff", _("Medical staff")
    LOCAL_OFFICIAL = "local_official", _("Local official")
    JOURNALIST = "journalist", _("Journalist")
    POLICE = "police", _("Police")
    COMMUNITY_LEADER = "community_leader", _("Community leader")


class Reliability(models.TextChoices):
    """Admiralty (NATO) source reliability, A to F."""

    A = "A", _("A: completely reliable")
    B = "B", _("B: usually reliable")
    C = "C", _("C: fairly reliable")
    D = "D", _("D: not usually reliable")
    E = "E", _("E: unreliable")
    F = "F", _("F: reliability cannot be judged")


class Credibility(models.IntegerChoices):
    """Admiralty (NATO) information credibility, 1 to 6."""

    CONFIRMED = 1, _("1: confirmed by other sources")
    PROBABLE = 2, _("2: probably true")
    POSSIBLE = 3, _("3: possibly true")
    DOUBTFUL = 4, _("4: doubtful")
    IMPROBABLE = 5, _("5: improbable")
    CANNOT_JUDGE = 6, _("6: truth cannot be judged")


class Reporter(BaseModel):
    """A member of a monitoring network: a user (a network reporter, or staff who report) with the organisation
    they work for, what kind of reporter they are, the sites they cover, and the reliability grade the network's
    focal points keep for them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reporter_profile"
    )
    network = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("monitoring network"),
        help_text=_("The organisation whose focal points receive this reporter's reports."),
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("works for")
    )
    kind = models.CharField(_("kind of reporter"), max_length=20, choices=ReporterKind.choices)
    sites = models.ManyToManyField("geography.Site", blank=True, related_name="+", verbose_name=_("sites"))
    reliability = models.CharField(
        _("source reliability"), max_length=1, choices=Reliability.choices, default=Reliability.F
    )
    reliability_note = models.CharField(_("why this grade"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["user__username"]
        # The network's list of reporters.
        indexes = [models.Index(fields=["network", "kind"], name="reporter_network_kind_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(reliability__in=Reliability.values), name="reporter_grade_valid"
            )
        ]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.username

    def get_absolute_url(self) -> str:
        return reverse("monitoring:reporter_detail", args=[self.uuid])


class ReportKind(models.TextChoices):
    OFFER_WORK = "offer_work", _("Suspicious offer of work")
    OFFER_EDUCATION = "offer_education", _("Suspicious offer of education")
    OFFER_MARRIAGE = "offer_marriage", _("Suspicious offer of marriage")
    RECRUITER_SEEN = "recruiter_seen", _("Recruiter seen")
    MISSING_PERSON = "missing_person", _("Missing person")
    CHILD_LEAVING = "child_leaving", _("Child leaving with a non-family adult")
    SUSPECTED_TRAFFICKING = "suspected_trafficking", _("Suspected trafficking incident")
    OTHER = "other", _("Other")


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class Report(VersionedModel):
    """What a reporter saw, an anonymous tip from the public, or a camp exit that needs attention."""

    class Source(models.TextChoices):
        NETWORK = "network", _("Network reporter")
        TIP = "tip", _("Anonymous tip")
        CAMP_EXIT = "camp_exit", _("Camp exit")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        TRIAGED = "triaged", _("Triaged")
        ACTIONED = "actioned", _("Actioned")
        CLOSED = "closed", _("Closed")

    class Outcome(models.TextChoices):
        ACTION_TAKEN = "action_taken", _("Action taken")
        NO_ACTION = "no_action", _("No further action needed")
        INSUFFICIENT = "insufficient", _("Not enough information to act")
        UNFOUNDED = "unfounded", _("Unfounded")
        DUPLICATE = "duplicate", _("Duplicate of another report")

    network = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    # "<network short name>-R-<year>-<sequence>": a number people can say on the phone.
    number = models.CharField(_("report number"), max_length=40)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.NETWORK)
    reporter = models.ForeignKey(
        Reporter, null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=ReportKind.choices)
    occurred_on = models.DateField(_("when it happened"))
    site = models.ForeignKey(
        "geography.Site",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("site"),
    )
    area = models.ForeignKey(
        "geography.AdminArea",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("area"),
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    description = models.TextField(_("what happened"))
    # The suspect's traces as written, by entity kind (``{"phone": ["0300-1234567"], ...}``): the source from
    # which ``linking`` derives the entities and mentions, and can derive them again.
    traces = models.JSONField(default=dict, blank=True)
    credibility = models.PositiveSmallIntegerField(
        _("credibility"), choices=Credibility.choices, default=Credibility.CANNOT_JUDGE
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NEW)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("closing note"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # The label of the report's cluster (the id of one of its reports), maintained by ``linking``.
    cluster = models.BigIntegerField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["network", "number"], name="report_number_per_network"),
            models.CheckConstraint(condition=Q(kind__in=ReportKind.values), name="report_kind_valid"),
            models.CheckConstraint(
                condition=Q(source="tip", reporter__isnull=True) | ~Q(source="tip"),
                name="report_tip_has_no_reporter",
            ),
            models.CheckConstraint(
                condition=Q(status="closed", closed_at__isnull=False)
                | (~Q(status="closed") & Q(closed_at__isnull=True)),
                name="report_closed_has_time",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="report_coordinates_both_or_neither",
            ),
        ]
        indexes = [
            # The triage queue: a network's reports by status, newest first.
            models.Index(fields=["network", "status", "-occurred_on"], name="report_queue_idx"),
            # The spike rule and the map: a network's reports of one kind at one site in a period.
            models.Index(fields=["network", "site", "kind", "occurred_on"], name="report_site_kind_idx"),
            # The members of one cluster (the network page; merging clusters).
            models.Index(fields=["cluster"], name="report_cluster_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_anonymous(self) -> bool:
        return self.source == self.Source.TIP

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED

    def get_absolute_url(self) -> str:
        return reverse("monitoring:report_detail", args=[self.uuid])


class InvolvedRole(models.TextChoices):
    AT_RISK = "at_risk", _("Person targeted or at risk")
    MISSING = "missing", _("Missing person")
    COMPANION = "companion", _("Adult with the person")
    OTHER = "other", _("Other")


class ReportPerson(BaseModel):
    """Someone a report is about: a registered person where known, otherwise as described."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="people")
    role = models.CharField(_("role"), max_length=12, choices=InvolvedRole.choices)
    person = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registered person"),
    )
    name = models.CharField(_("name as given"), max_length=160, blank=True)
    description = models.CharField(_("description (age, sex, appearance)"), max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(name="") | ~Q(description=""),
                name="reportperson_identified_somehow",
            )
        ]
        # "Which reports name this registered person?" (the person's timeline, the alerts).
        indexes = [models.Index(fields=["person"], name="reportperson_person_idx")]

    def __str__(self) -> str:
        return f"{self.role} in {self.report_id}"


class EntityKind(models.TextChoices):
    PHONE = "phone", _("Phone number")
    PLATE = "plate", _("Vehicle plate")
    NAME = "name", _("Name or alias")
    EMPLOYER = "employer", _("Employer or agency")
    DESTINATION = "destination", _("Destination")


class Entity(models.Model):
    """One trace (a phone number, a plate, a name...) in its normalised form, once per network."""

    uuid = models.UUIDField(default=uuid_module.uuid4, unique=True, editable=False)
    network = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=EntityKind.choices)
    value = models.CharField(max_length=200, help_text="The normalised form that linking compares.")
    display = models.CharField(max_length=200, help_text="The form in which it was first written.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "entities"
        constraints = [
            # Also the index of the lookup of a report's traces when it is linked.
            models.UniqueConstraint(fields=["network", "kind", "value"], name="entity_once_per_network")
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"


class Mention(models.Model):
    """A report names an entity, as ``written``."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="mentions")
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="mentions")
    written = models.CharField(max_length=200)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "entity"], name="mention_once_per_report")]
        # The other reports that name an entity: linking and the shared-entity rule.
        indexes = [models.Index(fields=["entity", "report"], name="mention_entity_idx")]

    def __str__(self) -> str:
        return f"{self.report_id} names {self.entity_id}"


class Cluster(models.Model):
    """The size of each cluster of more than one report, under its label (a report on its own is a cluster of
    one and has no row): what joining clusters by size reads, instead of counting their reports every time."""

    label = models.BigIntegerField(primary_key=True)
    network = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    size = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"cluster {self.label} ({self.size})"


class ReportLink(BaseModel):
    """A focal point's judgement that two reports are about the same thing, though they share no trace."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="links_out")
    other = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="links_in")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "other"], name="reportlink_once"),
            models.CheckConstraint(condition=~Q(report=models.F("other")), name="reportlink_two_reports"),
        ]


class ReportAction(BaseModel):
    """Something done about a report: the record behind the status "actioned"."""

    class Kind(models.TextChoices):
        CASE_OPENED = "case_opened", _("Opened a case")
        POLICE_ALERTED = "police_alerted", _("Alerted the police unit")
        CAMPAIGN_FOCUS = "campaign_focus", _("Asked the campaign team to focus on a site")
        LINKED = "linked", _("Linked to existing reports")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(_("action"), max_length=20, choices=Kind.choices)
    note = models.TextField(_("note"), blank=True)
    case_uuid = models.UUIDField(null=True, blank=True)
    case_number = models.CharField(max_length=40, blank=True)
    police_reference = models.CharField(_("police reference"), max_length=80, blank=True)
    site = models.ForeignKey(
        "geography.Site",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("site"),
    )
    linked = models.JSONField(default=list, blank=True, help_text="Numbers of the reports linked.")

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} on {self.report_id}"


def attachment_path(instance: ReportAttachment, filename: str) -> str:
    # A random name: neither the uploader's file name nor the report's number reaches the disk.
    return f"monitoring/attachments/{instance.uuid}.jpg"


class ReportAttachment(BaseModel):
    """A photograph attached to a report, re-encoded on upload so that no location or camera metadata remains.
    Served only through ``monitoring:attachment``, which checks that the report is visible to the user."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    image = models.FileField(upload_to=attachment_path, max_length=200)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField(help_text="Bytes, after re-encoding.")

    class Meta:
        ordering = ["id"]


class AlertRule(models.TextChoices):
    SHARED_TRACE = "shared_trace", _("The same trace in reports from several sites")
    SITE_RISE = "site_rise", _("More reports of one kind at a site than usual")
    HIGH_RISK_PERSON = "high_risk_person", _("A registered person at high risk named in a report")
    CHILD_LEAVING = "child_leaving", _("A registered child reported leaving with a non-family adult")
    CHILD_EXIT = "child_exit", _("A registered child left the camp alone or with a non-relative")


class Alert(BaseModel):
    """A pattern that a rule found in the reports, with the evidence. One open alert per pattern (``key``): a
    new report that fits an open alert is added to it instead of raising another."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        RESOLVED = "resolved", _("Resolved")

    network = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("alert number"), max_length=40)
    rule = models.CharField(_("rule"), max_length=20, choices=AlertRule.choices)
    key = models.CharField(max_length=200, help_text="What the alert is about, for finding it again.")
    severity = models.CharField(_("severity"), max_length=10, choices=Priority.choices)
    evidence = models.JSONField(default=dict, blank=True)
    reports = models.ManyToManyField(Report, related_name="alerts")
    site = models.ForeignKey(
        "geography.Site", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    entity = models.ForeignKey(Entity, null=True, blank=True, on_delete=models.PROTECT, related_name="alerts")
    first_seen_on = models.DateField(_("first seen"))
    last_seen_on = models.DateField(_("last seen"))
    status = models.CharField(_("status"), max_length=14, choices=Status.choices, default=Status.OPEN)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner"),
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolution = models.TextField(_("resolution"), blank=True)

    class Meta:
        ordering = ["-last_seen_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["network", "number"], name="alert_number_per_network"),
            # One open alert per pattern; a resolved one may be raised again.
            models.UniqueConstraint(
                fields=["network", "key"], condition=~Q(status="resolved"), name="alert_one_open_per_key"
            ),
            models.CheckConstraint(
                condition=Q(status="resolved", resolved_at__isnull=False)
                | (~Q(status="resolved") & Q(resolved_at__isnull=True)),
                name="alert_resolved_has_time",
            ),
        ]
        # The alert list: a network's alerts by status, newest first.
        indexes = [models.Index(fields=["network", "status", "-last_seen_on"], name="alert_list_idx")]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("monitoring:alert_detail", args=[self.uuid])


class CampExit(BaseModel):
    """A registered person left their site: with whom, to where, why."""

    class Companion(models.TextChoices):
        ALONE = "alone", _("Alone")
        FAMILY = "family", _("With parents or their own family")
        RELATIVE = "relative", _("With another relative")
        NON_RELATIVE = "non_relative", _("With an adult who is not a relative")
        UNKNOWN = "unknown", _("Not known")

    class Reason(models.TextChoices):
        RETURN_HOME = "return_home", _("Going home to rebuild")
        JOIN_FAMILY = "join_family", _("Joining family elsewhere")
        WORK = "work", _("Work")
        MARRIAGE = "marriage", _("Marriage")
        EDUCATION = "education", _("Education")
        MEDICAL = "medical", _("Medical care")
        OTHER = "other", _("Other")
        UNKNOWN = "unknown", _("Not known")

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="camp_exits")
    site = models.ForeignKey(
        "geography.Site", on_delete=models.PROTECT, related_name="+", verbose_name=_("site")
    )
    departed_on = models.DateField(_("departed on"))
    companion = models.CharField(_("with whom"), max_length=14, choices=Companion.choices)
    companion_name = models.CharField(_("name of the person with them"), max_length=160, blank=True)
    companion_phone = models.CharField(_("their phone number"), max_length=40, blank=True)
    companion_plate = models.CharField(_("vehicle plate"), max_length=40, blank=True)
    destination = models.CharField(_("to where"), max_length=200, blank=True)
    reason = models.CharField(_("why"), max_length=14, choices=Reason.choices)
    reason_detail = models.CharField(_("more about why"), max_length=300, blank=True)
    report = models.ForeignKey(
        Report, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )

    class Meta:
        ordering = ["-departed_on", "-id"]
        # The organisation's exit register, newest first.
        indexes = [models.Index(fields=["organisation", "-departed_on"], name="campexit_org_idx")]

    def __str__(self) -> str:
        return f"exit {self.uuid}"
