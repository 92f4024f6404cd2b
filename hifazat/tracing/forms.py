"""Forms of the tracing pages: the request, the list filters, decisions on candidates, the checklist."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hifazat.cases.selectors import cases_visible_to
from hifazat.core.versioning import VersionField
from hifazat.geography.models import AdminArea, Site
from hifazat.people.models import Gender
from hifazat.tracing.models import (
    BestInterests,
    CandidateStatus,
    ChecklistItem,
    ChildView,
    InquirerRelationship,
    TracingStatus,
)

URDU = forms.TextInput(attrs={"dir": "rtl", "lang": "ur"})
DATE = forms.DateInput(attrs={"type": "date"})


def _areas():
    return AdminArea.objects.filter(level__gte=2).order_by("name")


class TracingRequestForm(forms.Form):
    """A tracing request: the inquirer, the person sought, the separation. Either a date of birth or an age."""

    received_on = forms.DateField(label=_("Received on"), widget=DATE, initial=timezone.localdate)
    inquirer_name = forms.CharField(label=_("Inquirer's name"), max_length=120)
    inquirer_relationship = forms.ChoiceField(
        label=_("Relationship to the person sought"), choices=InquirerRelationship.choices
    )
    phone = forms.CharField(label=_("Inquirer's phone"), max_length=40, required=False)
    inquirer_site = forms.ModelChoiceField(
        label=_("Where the inquirer stays (site)"),
        queryset=Site.objects.filter(is_open=True).order_by("name"),
        to_field_name="uuid",
        required=False,
    )
    inquirer_address = forms.CharField(label=_("Where to find the inquirer"), max_length=200, required=False)
    first_name = forms.CharField(label=_("First name (Latin letters)"), max_length=80, required=False)
    second_name = forms.CharField(label=_("Family name (Latin letters)"), max_length=80, required=False)
    first_name_ur = forms.CharField(label=_("First name (Urdu)"), max_length=80, required=False, widget=URDU)
    second_name_ur = forms.CharField(
        label=_("Family name (Urdu)"), max_length=80, required=False, widget=URDU
    )
    parentage_name = forms.CharField(label=_("Father's name"), max_length=120, required=False)
    parentage_name_ur = forms.CharField(
        label=_("Father's name (Urdu)"), max_length=120, required=False, widget=URDU
    )
    mother_name = forms.CharField(label=_("Mother's name"), max_length=120, required=False)
    gender = forms.ChoiceField(label=_("Gender"), choices=[("", "—"), *Gender.choices], required=False)
    birthdate = forms.DateField(label=_("Date of birth"), required=False, widget=DATE)
    age_years = forms.IntegerField(
        label=_("Age in years, if the date is not known (an estimate is fine)"),
        required=False,
        min_value=0,
        max_value=120,
    )
    description = forms.CharField(
        label=_("How to recognise them"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    origin_area = forms.ModelChoiceField(
        label=_("District or tehsil of origin"), queryset=_areas(), to_field_name="uuid", required=False
    )
    origin_village = forms.CharField(label=_("Village of origin"), max_length=120, required=False)
    separation_date = forms.DateField(label=_("Date of separation"), required=False, widget=DATE)
    separation_area = forms.ModelChoiceField(
        label=_("District or tehsil where they were separated"),
        queryset=_areas(),
        to_field_name="uuid",
        required=False,
    )
    separation_place = forms.CharField(label=_("Place of separation"), max_length=200, required=False)
    circumstances = forms.CharField(
        label=_("Circumstances of the separation"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    case = forms.ModelChoiceField(
        label=_("Case"),
        queryset=None,
        to_field_name="uuid",
        required=False,
        help_text=_("The case of the child, if one is open (linked at once when a match is confirmed)."),
    )
    inquirer_consent = forms.BooleanField(
        label=_(
            "The inquirer agrees that these details are used, and shared within the team, to trace the person"
        ),
        required=True,
    )
    # The version of the request the editor saw (``core.versioning``); empty on a new request.
    version = VersionField()

    def __init__(self, *args, actor, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases_visible_to(actor).order_by("-opened_on")
        self.fields["age_years"].widget.attrs["inputmode"] = "numeric"
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "dir": "ltr"})

    INQUIRER = (
        "received_on",
        "inquirer_name",
        "inquirer_relationship",
        "phone",
        "inquirer_site",
        "inquirer_address",
    )
    SOUGHT = (
        "first_name",
        "second_name",
        "first_name_ur",
        "second_name_ur",
        "parentage_name",
        "parentage_name_ur",
        "mother_name",
        "gender",
        "birthdate",
        "age_years",
        "origin_area",
        "origin_village",
        "description",
    )
    SEPARATION = ("separation_date", "separation_area", "separation_place", "circumstances")
    OTHER = ("case", "inquirer_consent")

    def fieldsets(self) -> list[tuple[str, list]]:
        """The fields in the groups the page shows them in."""
        return [
            (_("Who is asking"), [self[name] for name in self.INQUIRER]),
            (_("Who is sought"), [self[name] for name in self.SOUGHT]),
            (_("The separation"), [self[name] for name in self.SEPARATION]),
            ("", [self[name] for name in self.OTHER]),
        ]

    def clean(self):
        data = super().clean()
        if not (data.get("first_name") or data.get("first_name_ur")):
            self.add_error("first_name", _("Give the first name, in Latin letters or in Urdu."))
        if data.get("birthdate") and data.get("age_years") is not None:
            self.add_error("age_years", _("Give a date of birth or an age, not both."))
        today = timezone.localdate()
        for name in ("birthdate", "separation_date", "received_on"):
            if data.get(name) and data[name] > today:
                self.add_error(name, _("This date is in the future."))
        return data

    def service_data(self) -> dict:
        """The cleaned data as the services take it."""
        data = dict(self.cleaned_data)
        if data.get("age_years") is None:
            data.pop("age_years", None)
        data.pop("version", None)  # the views pass it on an edit
        return data


class RequestFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *TracingStatus.choices]
    )
    q = forms.CharField(label=_("Request number or name sought"), required=False, max_length=100)
    to_review = forms.BooleanField(label=_("Only with candidates to review"), required=False)


class ChildFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=100)


class CandidateDecisionForm(forms.Form):
    person = forms.UUIDField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (CandidateStatus.PROPOSED, _("Propose as the match, to verify")),
            (CandidateStatus.REJECTED, _("Not the person sought")),
            (CandidateStatus.OPEN, _("Back to review")),
        ],
    )
    note = forms.CharField(label=_("Why"), required=False, max_length=500)
    version = VersionField()


class ConfirmForm(forms.Form):
    person = forms.UUIDField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("How the match was verified"), required=False, max_length=500)
    version = VersionField()


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    version = VersionField()


class ChecklistForm(forms.Form):
    """One checklist item: how it was done and, for the child's views and the best-interests decision, the
    outcome."""

    item = forms.ChoiceField(choices=ChecklistItem.choices, widget=forms.HiddenInput)
    outcome = forms.ChoiceField(label=_("Outcome"), required=False, choices=[])
    note = forms.CharField(
        label=_("How it was done, and by whom"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )

    OUTCOMES = {
        ChecklistItem.CHILD_VIEWS: ChildView.choices,
        ChecklistItem.BEST_INTERESTS: BestInterests.choices,
    }

    def __init__(self, *args, item: str | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        item = item or self.data.get("item") or ""
        self.fields["item"].initial = item
        choices = self.OUTCOMES.get(item)
        if choices:
            self.fields["outcome"].choices = [("", "—"), *choices]
            self.fields["outcome"].required = True
        else:
            del self.fields["outcome"]


class ReunificationForm(forms.Form):
    reunified_on = forms.DateField(label=_("Reunified on"), widget=DATE, initial=timezone.localdate)
    version = VersionField()
