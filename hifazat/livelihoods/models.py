"""Livelihood programmes, their selection rules, enrolments, the support delivered and the outcomes followed up.

A programme is run by its implementing organisation, which selects participants from its own registry, and paid
for by a funder, which sees aggregate figures only. Selection rules are rows (``SelectionRule``), so that the
programme page can say them in words and the ranking can be computed from them in the database.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hifazat.core.models import BaseModel
from hifazat.core.text import in_reader_language
from hifazat.core.versioning import VersionedModel
from hifazat.people.models import Consent

CURRENCY_VALIDATOR = RegexValidator(r"^[A-Z]{3}$", _("Use a three-letter ISO 4217 code, such as PKR or USD."))
# The currencies offered in forms; any ISO 4217 code is accepted through the API.
CURRENCIES = ["PKR", "USD", "EUR", "GBP", "JPY", "AED", "SAR"]
MAX_PRIORITY_RULES = 12
MAX_FOLLOWUP_MONTHS = 36


class ProgrammeKind(models.TextChoices):
    INCOME_GENERATION = "income_generation", _("Income-generation activity")
    VOCATIONAL_TRAINING = "vocational_training", _("Vocational training")
    LIVESTOCK = "livestock", _("Livestock")
    SMALL_BUSINESS_GRANT = "small_business_grant", _("Small-business grant")
    CASH_FOR_WORK = "cash_for_work", _("Cash for work")
    JOB_PLACEMENT = "job_placement", _("Job placement")


class HouseholdLimit(models.TextChoices):
    """How many enrolments a household may have when it joins this programme."""

    ONE_AT_A_TIME = "one_at_a_time", _("One enrolment per household at a time, in any programme")
    ONE_IN_PROGRAMME = (
        "one_in_programme",
        _("One member per household in this programme; other programmes allowed"),
    )
    SEVERAL = "several", _("Several members of a household may take part")


class Programme(BaseModel):
    """A livelihood programme: what it offers, where, to how many, with what budget, and how it selects."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("name"), max_length=200)
    name_ur = models.CharField(_("name in Urdu"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=ProgrammeKind.choices)
    trade = models.CharField(
        _("trade or activity"),
        max_length=120,
        blank=True,
        help_text=_("For example tailoring and embroidery."),
    )
    description = models.TextField(_("description"), blank=True)
    implementing_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="implemented_programmes",
        verbose_name=_("implementing organisation"),
    )
    funder = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="funded_programmes",
        verbose_name=_("funder"),
    )
    sites = models.ManyToManyField("geography.Site", blank=True, related_name="+", verbose_name=_("sites"))
    areas = models.ManyToManyField(
        "geography.AdminArea", blank=True, related_name="+", verbose_name=_("areas")
    )
    capacity = models.PositiveIntegerField(_("places"), validators=[MinValueValidator(1)])
    budget_per_participant = models.DecimalField(
        _("budget per participant"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    currency = models.CharField(_("currency"), max_length=3, default="PKR", validators=[CURRENCY_VALIDATOR])
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    household_limit = models.CharField(
        _("enrolments per household"),
        max_length=20,
        choices=HouseholdLimit.choices,
        default=HouseholdLimit.ONE_AT_A_TIME,
    )
    followup_months = models.JSONField(
        _("follow-up visits (months after enrolment)"),
        default=list,
        blank=True,
        help_text=_("For example 3, 6 and 12."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)

    class Meta:
        ordering = ["-starts_on", "name"]
        indexes = [
            # The implementing organisation's programme list, newest first.
            models.Index(fields=["implementing_organisation", "-starts_on"], name="programme_impl_idx"),
            # A funder's programmes (donor figures).
            models.Index(fields=["funder", "-starts_on"], name="programme_funder_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="programme_period"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="programme_has_places"),
        ]

    def __str__(self) -> str:
        # In the reader's language: lists, choices and pages name it in Urdu where an Urdu name is recorded.
        return in_reader_language(self.name, self.name_ur)

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("A programme ends on or after the day it starts.")})
        months = self.followup_months
        if not isinstance(months, list) or not all(
            isinstance(m, int) and 1 <= m <= MAX_FOLLOWUP_MONTHS for m in months
        ):
            raise ValidationError(
                {"followup_months": _("Give whole months between 1 and 36, such as 3, 6, 12.")}
            )
        if months != sorted(set(months)):
            raise ValidationError({"followup_months": _("Give each month once, in increasing order.")})

    def get_absolute_url(self) -> str:
        return reverse("livelihoods:programme_detail", args=[self.uuid])


class RulePurpose(models.TextChoices):
    ELIGIBILITY = "eligibility", _("Who is eligible")
    PRIORITY = "priority", _("Who comes first")


class RuleCondition(models.TextChoices):
    """What a rule looks at. Band and group conditions hold for a household when any member meets them; sex and
    age conditions say which members may take part; site and area conditions look at where the household lives."""

    SCREENING_BAND = "screening_band", _("Latest risk screening of a member")
    VULNERABILITY = "vulnerability", _("Vulnerability group of a member")
    SEX = "sex", _("Sex of the participant")
    AGE = "age", _("Age of the participant")
    SITE = "site", _("Site where the household lives")
    AREA = "area", _("Area where the household lives")
    REFERRED = "referred", _("Referred from a case")


PERSON_CONDITIONS = {RuleCondition.SEX, RuleCondition.AGE}


class SelectionRule(BaseModel):
    """One eligibility or priority rule of a programme. A household is eligible when it meets every eligibility
    rule; eligible households are ranked by the priority rules in the order of their rank (see ``selection``)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="rules")
    purpose = models.CharField(_("purpose"), max_length=12, choices=RulePurpose.choices)
    rank = models.PositiveSmallIntegerField(_("rank"), validators=[MinValueValidator(1)])
    condition = models.CharField(_("condition"), max_length=20, choices=RuleCondition.choices)
    # Bands (screening.Band), groups (people.VulnerabilityGroup) or genders (people.Gender), by value name.
    values = models.JSONField(_("values"), default=list, blank=True)
    age_min = models.PositiveSmallIntegerField(_("from age"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("to age"), null=True, blank=True)
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

    class Meta:
        ordering = ["purpose", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "purpose", "rank"], name="rule_rank_once"),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} {self.rank}: {self.condition}"

    def clean(self) -> None:
        from hifazat.people.models import Gender, VulnerabilityGroup
        from hifazat.screening.models import Band

        allowed = {
            RuleCondition.SCREENING_BAND: Band.values,
            RuleCondition.VULNERABILITY: VulnerabilityGroup.values,
            RuleCondition.SEX: Gender.values,
        }.get(self.condition)
        values = self.values if isinstance(self.values, list) else None
        if allowed is not None:
            if not values:
                raise ValidationError({"values": _("Choose at least one value for this condition.")})
            unknown = [v for v in values if v not in allowed]
            if unknown:
                raise ValidationError(
                    {"values": _("Unknown values: %(values)s.") % {"values": ", ".join(map(str, unknown))}}
                )
        elif values:
            raise ValidationError({"values": _("This condition takes no values.")})
        if self.condition == RuleCondition.AGE:
            if self.age_min is None and self.age_max is None:
                raise ValidationError({"age_min": _("Give a lowest age, a highest age, or both.")})
            if self.age_min is not None and self.age_max is not None and self.age_max < self.age_min:
                raise ValidationError({"age_max": _("The highest age is below the lowest.")})
        elif self.age_min is not None or self.age_max is not None:
            raise ValidationError({"age_min": _("Ages belong to an age condition only.")})
        if (self.condition == RuleCondition.SITE) != (self.site_id is not None):
            raise ValidationError({"site": _("A site condition names one site; other conditions none.")})
        if (self.condition == RuleCondition.AREA) != (self.area_id is not None):
            raise ValidationError({"area": _("An area condition names one area; other conditions none.")})


class Enrolment(VersionedModel):
    """A member of a household taking part in a programme, or waiting for a place.

    ``priority_score`` and ``reasons`` are the ranking when the decision was taken; ``departure_reason`` is the
    written reason when the decision passed over higher-ranked households."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("On the waiting list")
        ACTIVE = "active", _("Taking part")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Left the programme")

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="enrolments")
    household = models.ForeignKey(
        "people.Household", on_delete=models.PROTECT, related_name="livelihood_enrolments"
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="livelihood_enrolments",
        verbose_name=_("participant"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    priority_score = models.PositiveIntegerField(default=0)
    reasons = models.JSONField(default=list, blank=True, help_text="UUIDs of the priority rules met.")
    departure_reason = models.TextField(_("reason for departing from the ranking"), blank=True)
    passed_over = models.PositiveIntegerField(
        default=0, help_text="How many higher-ranked households the decision passed over."
    )
    agreed_by = models.CharField(
        _("agreement to take part given by"),
        max_length=10,
        choices=Consent.GivenBy.choices,
        default=Consent.GivenBy.SELF,
    )
    agreed_by_name = models.CharField(_("name of the caregiver or guardian"), max_length=120, blank=True)
    income_before = models.DecimalField(
        _("household income per month before"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    referral = models.ForeignKey(
        "ProgrammeReferral", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    listed_on = models.DateField(_("put on the list on"))
    enrolled_on = models.DateField(_("enrolled on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("why it ended"), max_length=300, blank=True)

    class Meta:
        ordering = ["programme", "status", "-priority_score", "listed_on", "id"]
        indexes = [
            # Places taken and the waiting list of a programme.
            models.Index(fields=["programme", "status"], name="enrolment_prog_status_idx"),
            # "Is this household already enrolled somewhere?" (the one-enrolment rule).
            models.Index(fields=["household", "status"], name="enrolment_household_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "person"],
                condition=Q(status__in=["waiting", "active"]),
                name="enrolment_person_once",
            ),
            models.CheckConstraint(
                condition=~Q(status="active") | Q(enrolled_on__isnull=False), name="enrolment_active_dated"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme_id}/{self.person_id} {self.status}"

    @property
    def is_current(self) -> bool:
        return self.status in (self.Status.WAITING, self.Status.ACTIVE)

    def get_absolute_url(self) -> str:
        return reverse("livelihoods:enrolment_detail", args=[self.uuid])


class Skip(BaseModel):
    """A household passed over in the ranking, with the written reason (moved away, declined, already helped)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="skips")
    household = models.ForeignKey("people.Household", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"))
    priority_score = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "household"], name="skip_once_per_household"),
            models.CheckConstraint(condition=~Q(reason=""), name="skip_has_reason"),
        ]

    def __str__(self) -> str:
        return f"skip {self.programme_id}/{self.household_id}"


class SupportKind(models.TextChoices):
    TRAINING = "training", _("Training session attended")
    GRANT = "grant", _("Cash grant")
    IN_KIND = "in_kind", _("In-kind support")
    DISTRIBUTION = "distribution", _("Distribution")
    WAGE = "wage", _("Cash-for-work wage")


class Support(BaseModel):
    """Something a participant received: a training session attended, a grant, goods in kind, a distribution.

    ``value`` is the amount in the programme's currency (the amount times ``exchange_rate`` when paid in another
    currency): what counts against the budget per participant."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="support")
    kind = models.CharField(_("kind"), max_length=15, choices=SupportKind.choices)
    delivered_on = models.DateField(_("date"))
    description = models.CharField(_("what"), max_length=200, blank=True)
    quantity = models.DecimalField(
        _("quantity or hours"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    amount = models.DecimalField(
        _("amount"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True, validators=[CURRENCY_VALIDATOR])
    exchange_rate = models.DecimalField(
        _("exchange rate to the programme's currency"),
        max_digits=12,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.0001"))],
    )
    value = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("verified by")
    )

    class Meta:
        ordering = ["delivered_on", "id"]
        # Totals per participant and per programme.
        indexes = [models.Index(fields=["enrolment", "delivered_on"], name="support_enrolment_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | ~Q(currency=""), name="support_amount_has_currency"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.delivered_on}"


class OutcomeVisit(BaseModel):
    """A follow-up visit to a participant, scheduled at the programme's intervals after enrolment."""

    class Status(models.TextChoices):
        DUE = "due", _("Due")
        DONE = "done", _("Done")
        MISSED = "missed", _("Could not be visited")

    class Employment(models.TextChoices):
        NONE = "none", _("No work")
        SELF_EMPLOYED = "self_employed", _("Own activity or business")
        WAGE = "wage", _("Paid employment")
        CASUAL = "casual", _("Casual or day labour")

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="visits")
    months_after = models.PositiveSmallIntegerField(_("months after enrolment"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DUE)
    visited_on = models.DateField(_("visited on"), null=True, blank=True)
    income = models.DecimalField(
        _("household income per month now"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    activity_running = models.BooleanField(_("the activity is still running"), null=True, blank=True)
    employment = models.CharField(_("work"), max_length=15, choices=Employment.choices, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    visited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            # The visits due, for the work list and the programme summary.
            models.Index(fields=["status", "due_on"], name="outcomevisit_due_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "months_after"], name="visit_once_per_interval"),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(visited_on__isnull=False), name="visit_done_dated"
            ),
        ]

    def __str__(self) -> str:
        return f"visit {self.months_after} months, {self.status}"


class ProgrammeReferral(BaseModel):
    """A caseworker's referral of a person to a programme, from a support plan of HTCDS type ``Livelihood``
    (``spl_Type``) in their case. ``case`` is the plan's case, kept for the case page and for scoping."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for a decision")
        ENROLLED = "enrolled", _("Enrolled or on the waiting list")
        DECLINED = "declined", _("Not enrolled")

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="referrals")
    support_plan = models.ForeignKey(
        "cases.SupportPlan", on_delete=models.PROTECT, related_name="livelihood_referrals"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="livelihood_referrals")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey("people.Household", on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("note for the livelihood officer"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # Referred households of a programme (shown in the ranked list; a priority condition).
            models.Index(fields=["programme", "status", "household"], name="referral_prog_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "person"], condition=Q(status="open"), name="referral_open_once"
            ),
        ]

    def __str__(self) -> str:
        return f"referral {self.case_id} to {self.programme_id}"
