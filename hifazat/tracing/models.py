"""Family tracing and reunification: tracing requests, the candidates found for them, and the reunification
checklist.

A tracing request is what a parent or relative tells the team about a child (or another person) they lost: who
they are, who is sought, and where and when they were separated. Candidates are registered separated children
who may be the sought child (``tracing.selectors``); the team decides on each, confirms one, and follows the
reunification checklist before the child's case can close as reunified.

Fields for the sought person follow the registry's (``people.Person``: HTCDS ``prs_`` names and ``prs_Gender``
values); the rest is added: HTCDS has no tracing records.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hifazat.core import crypto
from hifazat.core.models import BaseModel
from hifazat.core.versioning import VersionedModel
from hifazat.people.models import Gender


class TracingStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MATCH_PROPOSED = "match_proposed", _("Match proposed")
    MATCHED = "matched", _("Matched")
    REUNIFIED = "reunified", _("Reunified")
    CLOSED = "closed", _("Closed")


# Requests still looking for the sought person: the only ones a registered child is compared with.
ACTIVE_STATUSES = (TracingStatus.OPEN, TracingStatus.MATCH_PROPOSED)


class InquirerRelationship(models.TextChoices):
    """How the inquirer is related to the person they are looking for (added)."""

    MOTHER = "mother", _("Mother")
    FATHER = "father", _("Father")
    GRANDPARENT = "grandparent", _("Grandmother or grandfather")
    SIBLING = "sibling", _("Sister or brother")
    AUNT_UNCLE = "aunt_uncle", _("Aunt or uncle")
    OTHER_RELATIVE = "other_relative", _("Other relative")
    OTHER = "other", _("Not related (neighbour, teacher, other)")


class TracingRequest(VersionedModel):
    """A request to find a child or another person separated from their family."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    # Sequential per organisation and year, for people to say on the phone: "IMPO-T-2005-0003".
    number = models.CharField(_("request number"), max_length=40)
    status = models.CharField(
        _("status"), max_length=20, choices=TracingStatus.choices, default=TracingStatus.OPEN
    )
    received_on = models.DateField(_("received on"))
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible caseworker"),
    )
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tracing_requests",
        verbose_name=_("case"),
    )

    # The inquirer: who asks, how to reach them. The phone is encrypted, with a blind index for exact search.
    inquirer_name = models.CharField(_("inquirer's name"), max_length=120)
    inquirer_relationship = models.CharField(
        _("relationship to the person sought"), max_length=20, choices=InquirerRelationship.choices
    )
    inquirer_phone_encrypted = models.TextField(blank=True, editable=False)
    inquirer_phone_index = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    inquirer_site = models.ForeignKey(
        "geography.Site",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("where the inquirer stays (site)"),
    )
    inquirer_address = models.CharField(_("where to find the inquirer"), max_length=200, blank=True)
    inquirer_consent = models.BooleanField(
        _("the inquirer agrees that these details are used to trace"), default=False
    )

    # The sought person, as the inquirer describes them (HTCDS prs_FirstName, prs_SecondName, prs_Gender,
    # prs_Birthdate; Urdu script and the father's name added, as in the registry).
    first_name = models.CharField(_("first name"), max_length=80, blank=True)
    second_name = models.CharField(_("family name"), max_length=80, blank=True)
    first_name_ur = models.CharField(_("first name in Urdu"), max_length=80, blank=True)
    second_name_ur = models.CharField(_("family name in Urdu"), max_length=80, blank=True)
    parentage_name = models.CharField(_("father's name"), max_length=120, blank=True)
    parentage_name_ur = models.CharField(_("father's name in Urdu"), max_length=120, blank=True)
    mother_name = models.CharField(_("mother's name"), max_length=120, blank=True)
    gender = models.CharField(_("gender"), max_length=24, choices=Gender.choices, blank=True)
    birthdate = models.DateField(_("date of birth"), null=True, blank=True)
    birthdate_is_estimate = models.BooleanField(_("date of birth estimated from age"), default=False)
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    description = models.TextField(_("how to recognise them"), blank=True)
    origin_area = models.ForeignKey(
        "geography.AdminArea",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("place of origin"),
    )
    origin_village = models.CharField(_("village of origin"), max_length=120, blank=True)

    # The separation.
    separation_date = models.DateField(_("date of separation"), null=True, blank=True)
    separation_area = models.ForeignKey(
        "geography.AdminArea",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("area of separation"),
    )
    separation_place = models.CharField(_("place of separation"), max_length=200, blank=True)
    circumstances = models.TextField(_("circumstances of the separation"), blank=True)

    # The outcome.
    matched_person = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("matched child"),
    )
    matched_at = models.DateTimeField(null=True, blank=True)
    matched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reunified_on = models.DateField(_("reunified on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closure_reason = models.TextField(_("reason for closing"), blank=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "number"], name="tracing_number_per_organisation"
            ),
            models.CheckConstraint(
                condition=~Q(first_name="") | ~Q(first_name_ur=""), name="tracing_sought_has_a_name"
            ),
            models.CheckConstraint(
                condition=Q(matched_person__isnull=True)
                | Q(status__in=[TracingStatus.MATCHED, TracingStatus.REUNIFIED, TracingStatus.CLOSED]),
                name="tracing_match_only_when_matched",
            ),
        ]
        indexes = [
            # The organisation's request list, by status, newest first.
            models.Index(fields=["organisation", "status", "-received_on"], name="tracing_org_status_idx"),
            # "Which requests matched this child?": the person's timeline, the case page and its closure check.
            models.Index(fields=["matched_person"], name="tracing_matched_person_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def inquirer_phone(self) -> str:
        return crypto.decrypt(self.inquirer_phone_encrypted)

    @property
    def sought_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.second_name) if p) or self.sought_name_ur

    @property
    def sought_name_ur(self) -> str:
        return " ".join(p for p in (self.first_name_ur, self.second_name_ur) if p)

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    def get_absolute_url(self) -> str:
        return reverse("tracing:request_detail", args=[self.uuid])


class TracingRequestKey(models.Model):
    """One blocking key of a request's sought person (``matching.blocking``), with the birth year beside it:
    what a registered child's lookup reads, as ``people.PersonMatchKey`` is for people. Derived data, rewritten by
    ``services`` whenever the request changes; only active requests have rows."""

    request = models.ForeignKey(TracingRequest, on_delete=models.CASCADE, related_name="keys")
    # The request's organisation, copied, so that a lookup reads this table alone.
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=80)
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        indexes = [
            # Candidate requests for a child: requests under the child's keys, born within the window.
            models.Index(fields=["key", "birth_year"], name="tracing_key_year_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["request", "key"], name="tracing_key_once_per_request"),
        ]

    def __str__(self) -> str:
        return self.key


class CandidateStatus(models.TextChoices):
    OPEN = "open", _("To review")
    PROPOSED = "proposed", _("Proposed match")
    CONFIRMED = "confirmed", _("Confirmed match")
    REJECTED = "rejected", _("Not the person sought")


class TracingCandidate(BaseModel):
    """A registered child found as a possible match for a request, and the team's decision on them. Rows are
    written when candidates are looked for (the review list) and when someone decides; the score is the one at
    that time (pages show the current one)."""

    request = models.ForeignKey(TracingRequest, on_delete=models.CASCADE, related_name="candidates")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    status = models.CharField(max_length=10, choices=CandidateStatus.choices, default=CandidateStatus.OPEN)
    note = models.TextField(_("note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "person"], name="tracing_candidate_once"),
        ]
        indexes = [
            # The work list: requests with candidates to review.
            models.Index(fields=["status", "request"], name="tracing_candidate_status_idx"),
            # A child's decided candidates, on the child's tracing page.
            models.Index(fields=["person", "status"], name="tracing_candidate_person_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.request_id}~{self.person_id} {self.score:.2f} ({self.status})"


class ChecklistItem(models.TextChoices):
    """The reunification checklist, in the order it is followed."""

    IDENTITY = "identity_verified", _("The child's identity is verified")
    RELATIONSHIP = "relationship_verified", _("The relationship to the family is verified")
    CHILD_VIEWS = "child_views_heard", _("The child's views are heard")
    BEST_INTERESTS = "best_interests", _("The best-interests decision is recorded by a supervisor")


class ChildView(models.TextChoices):
    WANTS = "wants", _("The child wants to return to the family")
    DOES_NOT_WANT = "does_not_want", _("The child does not want to return")
    NOT_ABLE = "not_able", _("Too young to give a view")


class BestInterests(models.TextChoices):
    REUNIFY = "reunify", _("Reunification is in the child's best interests")
    DO_NOT_REUNIFY = "do_not_reunify", _("Reunification is not in the child's best interests")


class ChecklistEntry(BaseModel):
    """One item of a request's reunification checklist: who recorded it, when, how (``outcome``: the child's
    view, or the best-interests decision) and a note."""

    request = models.ForeignKey(TracingRequest, on_delete=models.CASCADE, related_name="checklist")
    item = models.CharField(_("item"), max_length=30, choices=ChecklistItem.choices)
    outcome = models.CharField(_("outcome"), max_length=20, blank=True)
    note = models.TextField(_("how it was done"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["recorded_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "item"], name="tracing_checklist_item_once"),
        ]

    def __str__(self) -> str:
        return f"{self.request_id} {self.item}"
