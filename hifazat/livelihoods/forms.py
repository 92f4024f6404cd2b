"""Forms for programmes, rules, enrolment decisions, support and follow-up visits."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hifazat.accounts.models import User
from hifazat.core.versioning import VersionField
from hifazat.geography.models import AdminArea, Site
from hifazat.livelihoods.models import (
    CURRENCIES,
    MAX_FOLLOWUP_MONTHS,
    Enrolment,
    HouseholdLimit,
    OutcomeVisit,
    Programme,
    ProgrammeKind,
    RuleCondition,
    RulePurpose,
    SupportKind,
)
from hifazat.people.models import Consent, Gender, VulnerabilityGroup
from hifazat.screening.models import Band

DATE = {"widget": forms.DateInput(attrs={"type": "date"})}
MONEY = {"max_digits": 12, "decimal_places": 2, "min_value": 0}


class ProgrammeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    name_ur = forms.CharField(
        label=_("Name in Urdu"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"dir": "rtl", "lang": "ur"}),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ProgrammeKind.choices)
    trade = forms.CharField(
        label=_("Trade or activity"),
        max_length=120,
        required=False,
        help_text=_("For example tailoring and embroidery."),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    funder = forms.ModelChoiceField(label=_("Funder"), queryset=None, required=False, to_field_name="uuid")
    areas = forms.ModelMultipleChoiceField(
        label=_("Areas"),
        queryset=AdminArea.objects.filter(level__gte=1).order_by("level", "name"),
        required=False,
        to_field_name="uuid",
        help_text=_("Households living in these areas, or at the sites below, may be selected."),
    )
    sites = forms.ModelMultipleChoiceField(
        label=_("Sites"), queryset=Site.objects.order_by("name"), required=False, to_field_name="uuid"
    )
    capacity = forms.IntegerField(label=_("Places"), min_value=1)
    budget_per_participant = forms.DecimalField(label=_("Budget per participant"), **MONEY)
    currency = forms.ChoiceField(label=_("Currency"), choices=[(c, c) for c in CURRENCIES], initial="PKR")
    starts_on = forms.DateField(label=_("Starts on"), **DATE)
    ends_on = forms.DateField(label=_("Ends on"), **DATE)
    household_limit = forms.ChoiceField(
        label=_("Enrolments per household"),
        choices=HouseholdLimit.choices,
        initial=HouseholdLimit.ONE_AT_A_TIME,
    )
    followup_months = forms.CharField(
        label=_("Follow-up visits, in months after enrolment"),
        initial="3, 6",
        required=False,
        help_text=_("Whole months separated by commas, for example 3, 6, 12."),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=Programme.Status.choices, initial=Programme.Status.OPEN
    )

    def __init__(self, *args, organisations, editing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["funder"].queryset = organisations.order_by("name")
        if not editing:
            del self.fields["status"]

    def clean_followup_months(self) -> list[int]:
        text = self.cleaned_data["followup_months"].replace("،", ",")
        try:
            months = sorted({int(part) for part in text.split(",") if part.strip()})
        except ValueError:
            raise forms.ValidationError(
                _("Give whole months separated by commas, for example 3, 6, 12.")
            ) from None
        if any(not 1 <= m <= MAX_FOLLOWUP_MONTHS for m in months):
            raise forms.ValidationError(_("Give whole months between 1 and 36, such as 3, 6, 12."))
        return months

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("A programme ends on or after the day it starts."))
        return data

    @staticmethod
    def initial_for(programme: Programme) -> dict:
        return {
            "name": programme.name,
            "name_ur": programme.name_ur,
            "kind": programme.kind,
            "trade": programme.trade,
            "description": programme.description,
            "funder": programme.funder.uuid if programme.funder else None,
            "areas": [a.uuid for a in programme.areas.all()],
            "sites": [s.uuid for s in programme.sites.all()],
            "capacity": programme.capacity,
            "budget_per_participant": programme.budget_per_participant,
            "currency": programme.currency,
            "starts_on": programme.starts_on,
            "ends_on": programme.ends_on,
            "household_limit": programme.household_limit,
            "followup_months": ", ".join(str(m) for m in programme.followup_months),
            "status": programme.status,
        }


class RuleForm(forms.Form):
    """One rule. Only the fields of the chosen condition are read; the others are ignored."""

    purpose = forms.ChoiceField(label=_("Purpose"), choices=RulePurpose.choices)
    condition = forms.ChoiceField(label=_("Condition"), choices=RuleCondition.choices)
    bands = forms.MultipleChoiceField(
        label=_("Risk bands"),
        choices=Band.choices,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    groups = forms.MultipleChoiceField(
        label=_("Vulnerability groups"),
        choices=VulnerabilityGroup.choices,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    genders = forms.MultipleChoiceField(
        label=_("Genders"),
        choices=Gender.choices,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    age_min = forms.IntegerField(label=_("From age"), min_value=0, max_value=120, required=False)
    age_max = forms.IntegerField(label=_("To age"), min_value=0, max_value=120, required=False)
    site = forms.ModelChoiceField(
        label=_("Site"), queryset=Site.objects.order_by("name"), required=False, to_field_name="uuid"
    )
    area = forms.ModelChoiceField(
        label=_("Area"),
        queryset=AdminArea.objects.filter(level__gte=1).order_by("level", "name"),
        required=False,
        to_field_name="uuid",
    )
    rank = forms.IntegerField(
        label=_("Rank"),
        min_value=1,
        max_value=99,
        required=False,
        help_text=_("For a priority rule: 1 comes first. Empty: after the existing rules."),
    )

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        condition = data["condition"]
        arguments = {"purpose": data["purpose"], "condition": condition, "rank": data["rank"]}
        values = {
            RuleCondition.SCREENING_BAND: data["bands"],
            RuleCondition.VULNERABILITY: data["groups"],
            RuleCondition.SEX: data["genders"],
        }.get(condition)
        if values is not None:
            arguments["values"] = list(values)
        if condition == RuleCondition.AGE:
            arguments.update(age_min=data["age_min"], age_max=data["age_max"])
        if condition == RuleCondition.SITE:
            arguments["site"] = data["site"]
        if condition == RuleCondition.AREA:
            arguments["area"] = data["area"]
        return arguments


class RankingFilterForm(forms.Form):
    show = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("", _("All eligible households")),
            ("undecided", _("Not yet decided")),
            ("referred", _("Referred from a case")),
        ],
    )


class EnrolForm(forms.Form):
    person = forms.ChoiceField(label=_("Participant"))
    agreed = forms.BooleanField(
        label=_("The participant agrees to take part, and knows what the programme records about them"),
        required=True,
    )
    agreed_by = forms.ChoiceField(
        label=_("Agreement given by"), choices=Consent.GivenBy.choices, initial=Consent.GivenBy.SELF
    )
    agreed_by_name = forms.CharField(
        label=_("Name of the caregiver or guardian"), max_length=120, required=False
    )
    income_before = forms.DecimalField(
        label=_("Household income per month now, before the programme"), required=False, **MONEY
    )
    on = forms.DateField(label=_("Date"), initial=timezone.localdate, **DATE)
    departure_reason = forms.CharField(
        label=_("Reason for departing from the ranking"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when households ranked higher are waiting or not yet decided."),
    )

    def __init__(self, *args, participants, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.participants = {str(p.uuid): p for p in participants}
        self.fields["person"].choices = [
            (str(p.uuid), f"{p.full_name} ({p.age if p.age is not None else '?'})") for p in participants
        ]

    def clean_person(self):
        return self.participants[self.cleaned_data["person"]]


class SkipForm(forms.Form):
    household = forms.UUIDField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Why this household is passed over"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class EndForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (Enrolment.Status.COMPLETED, _("Completed")),
            (Enrolment.Status.WITHDRAWN, _("Left the programme")),
        ],
    )
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)
    # The version of the enrolment the officer saw (``core.versioning``).
    version = VersionField()


class SupportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SupportKind.choices)
    delivered_on = forms.DateField(label=_("Date"), initial=timezone.localdate, **DATE)
    description = forms.CharField(
        label=_("What"),
        max_length=200,
        required=False,
        help_text=_("For example: sewing machine, two goats."),
    )
    quantity = forms.DecimalField(
        label=_("Quantity or hours"), max_digits=9, decimal_places=2, min_value=0, required=False
    )
    amount = forms.DecimalField(label=_("Amount or value"), required=False, **MONEY)
    currency = forms.ChoiceField(label=_("Currency"), choices=[(c, c) for c in CURRENCIES])
    exchange_rate = forms.DecimalField(
        label=_("Exchange rate to the programme's currency"),
        max_digits=12,
        decimal_places=4,
        min_value=0,
        required=False,
        help_text=_("Only for an amount in another currency."),
    )
    verified_by = forms.ModelChoiceField(
        label=_("Verified by"), queryset=User.objects.none(), to_field_name="uuid"
    )

    def __init__(self, *args, organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["verified_by"].queryset = User.objects.filter(
            memberships__organisation=organisation, memberships__is_active=True, is_active=True
        ).order_by("first_name", "username")
        self.fields["verified_by"].label_from_instance = lambda u: u.get_full_name() or u.username


class VisitForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Visit"),
        choices=[
            (OutcomeVisit.Status.DONE, _("Visited")),
            (OutcomeVisit.Status.MISSED, _("Could not be visited")),
        ],
    )
    visited_on = forms.DateField(label=_("Date"), initial=timezone.localdate, **DATE)
    income = forms.DecimalField(label=_("Household income per month now"), required=False, **MONEY)
    activity_running = forms.NullBooleanField(
        label=_("Is the activity still running?"),
        required=False,
        widget=forms.Select(choices=[("unknown", "—"), ("true", _("Yes")), ("false", _("No"))]),
    )
    employment = forms.ChoiceField(
        label=_("Work"), choices=[("", "—"), *OutcomeVisit.Employment.choices], required=False
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class ReferralForm(forms.Form):
    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=Programme.objects.none(), to_field_name="uuid"
    )
    note = forms.CharField(label=_("Note for the livelihood officer"), max_length=300, required=False)

    def __init__(self, *args, programmes, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
