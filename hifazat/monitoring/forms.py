"""Forms of the monitoring pages: every input and every list filter goes through one of these."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hifazat.core.permissions import roles_that_can
from hifazat.core.versioning import VersionField
from hifazat.geography.models import Site
from hifazat.monitoring.models import (
    Alert,
    AlertRule,
    CampExit,
    Credibility,
    EntityKind,
    InvolvedRole,
    Priority,
    Reliability,
    Report,
    ReporterKind,
    ReportKind,
)

DATE = forms.DateInput(attrs={"type": "date"})
TRACE_HELP = _("One per line.")


def _traces_field(label):
    return forms.CharField(
        label=label,
        required=False,
        max_length=2000,
        help_text=TRACE_HELP,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


SITE = _("Site")


def _site_field(required: bool = False, label=SITE):
    return forms.ModelChoiceField(
        label=label,
        required=required,
        queryset=Site.objects.filter(is_open=True).order_by("name"),
        to_field_name="uuid",
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photographs in one input. Their content is checked and cleaned by the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > 5:
            raise forms.ValidationError(_("Attach at most five photographs."))
        return [super(PhotosField, self).clean(f, initial) for f in files]


class TracesMixin:
    """The suspect's traces, one text box per kind, as the service takes them."""

    TRACE_FIELDS = {
        "names": "name",
        "phones": "phone",
        "plates": "plate",
        "employers": "employer",
        "destinations": "destination",
    }

    def traces(self) -> dict[str, str]:
        return {kind: self.cleaned_data.get(name, "") for name, kind in self.TRACE_FIELDS.items()}


def _not_future(value):
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("The date cannot be in the future."))
    return value


class ReportForm(TracesMixin, forms.Form):
    kind = forms.ChoiceField(label=_("What did you see?"), choices=ReportKind.choices)
    occurred_on = forms.DateField(label=_("When"), widget=DATE, initial=timezone.localdate)
    site = _site_field()
    place = forms.CharField(
        label=_("Where exactly"),
        required=False,
        max_length=200,
        help_text=_("For example: at the camp gate."),
    )
    description = forms.CharField(
        label=_("What happened"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    involved_name = forms.CharField(
        label=_("Name of the person at risk, if known"), required=False, max_length=160
    )
    involved_description = forms.CharField(
        label=_("Describe them (age, sex, where they live)"), required=False, max_length=300
    )
    involved_role = forms.ChoiceField(
        label=_("They are"),
        choices=[
            (InvolvedRole.AT_RISK, InvolvedRole.AT_RISK.label),
            (InvolvedRole.MISSING, InvolvedRole.MISSING.label),
        ],
        initial=InvolvedRole.AT_RISK,
    )
    companion_description = forms.CharField(
        label=_("The adult with them (for a child leaving)"), required=False, max_length=300
    )
    names = _traces_field(_("The suspect's names and aliases"))
    phones = _traces_field(_("Phone numbers"))
    plates = _traces_field(_("Vehicle plates"))
    employers = _traces_field(_("Employers or agencies named"))
    destinations = _traces_field(_("Destinations named"))
    latitude = forms.DecimalField(
        label=_("Latitude"), required=False, min_value=-90, max_value=90, decimal_places=6
    )
    longitude = forms.DecimalField(
        label=_("Longitude"), required=False, min_value=-180, max_value=180, decimal_places=6
    )
    photos = PhotosField(
        label=_("Photographs"),
        required=False,
        help_text=_("Where and when a photograph was taken is removed from it on upload."),
    )

    def clean_occurred_on(self):
        return _not_future(self.cleaned_data["occurred_on"])

    def clean(self):
        data = super().clean()
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            raise forms.ValidationError(_("Give both latitude and longitude, or neither."))
        return data

    def people(self) -> list[dict]:
        data = self.cleaned_data
        people = [
            {
                "role": data["involved_role"],
                "name": data["involved_name"],
                "description": data["involved_description"],
            }
        ]
        if data["companion_description"]:
            people.append({"role": InvolvedRole.COMPANION, "description": data["companion_description"]})
        return people


class TipForm(TracesMixin, forms.Form):
    """The public's anonymous tip: short, no account, nothing about the sender."""

    TRACE_FIELDS = {"names": "name", "phones": "phone", "plates": "plate"}

    kind = forms.ChoiceField(label=_("What is it about?"), choices=ReportKind.choices)
    description = forms.CharField(
        label=_("What did you see or hear?"), widget=forms.Textarea(attrs={"rows": 5}), max_length=3000
    )
    site = _site_field(label=_("Camp or place"))
    place = forms.CharField(label=_("Or write the place"), required=False, max_length=200)
    occurred_on = forms.DateField(label=_("When (if you know)"), required=False, widget=DATE)
    phones = _traces_field(_("Phone numbers you were given"))
    plates = _traces_field(_("Vehicle numbers"))
    names = _traces_field(_("Names used"))
    # Robots fill every field; people never see this one (hidden by the page's style sheet).
    website = forms.CharField(label=_("Leave this empty"), required=False, max_length=200)
    token = forms.CharField(widget=forms.HiddenInput, max_length=400)
    # The proof of work that the page's script computes for the token (``tips``); checked by the view.
    work = forms.CharField(widget=forms.HiddenInput, required=False, max_length=32)

    def clean_occurred_on(self):
        return _not_future(self.cleaned_data["occurred_on"])


class ReportFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *Report.Status.choices]
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All")), *ReportKind.choices])
    source = forms.ChoiceField(
        label=_("Source"), required=False, choices=[("", _("All")), *Report.Source.choices]
    )
    priority = forms.ChoiceField(
        label=_("Priority"), required=False, choices=[("", _("All")), *Priority.choices]
    )
    site = _site_field()
    assigned = forms.ChoiceField(
        label=_("Assigned"),
        required=False,
        choices=[("", _("Anyone")), ("me", _("To me")), ("nobody", _("To nobody"))],
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE)
    entity = forms.UUIDField(required=False, widget=forms.HiddenInput)


class TriageForm(forms.Form):
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)
    credibility = forms.TypedChoiceField(
        label=_("Credibility of the information"), choices=Credibility.choices, coerce=int
    )
    assignee = forms.ModelChoiceField(
        label=_("Follow-up by"), required=False, queryset=None, to_field_name="uuid"
    )
    # The version of the report the focal point saw (``core.versioning``).
    version = VersionField()

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        from hifazat.accounts.models import User

        self.fields["assignee"].queryset = User.objects.filter(
            memberships__organisation=organisation,
            memberships__is_active=True,
            memberships__role__in=roles_that_can("monitoring.triage"),
        ).order_by("username")


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Report.Outcome.choices)
    note = forms.CharField(label=_("Closing note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = VersionField()


class PoliceForm(forms.Form):
    police_reference = forms.CharField(label=_("Police reference"), required=False, max_length=80)
    note = forms.CharField(
        label=_("What was passed on"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CampaignFocusForm(forms.Form):
    site = _site_field(required=True)
    note = forms.CharField(
        label=_("What to focus on"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class LinkReportsForm(forms.Form):
    numbers = forms.CharField(
        label=_("Report numbers"), max_length=400, help_text=_("Separated by commas, e.g. IMPO-R-2006-0012.")
    )
    note = forms.CharField(label=_("Why they belong together"), required=False, max_length=500)

    def numbers_list(self) -> list[str]:
        return [
            n.strip().upper() for n in self.cleaned_data["numbers"].replace(";", ",").split(",") if n.strip()
        ]


class PersonSearchForm(forms.Form):
    q = forms.CharField(label=_("Name of a registered person"), max_length=120)
    # Someone the report describes, to be linked to the person found (rather than adding a person).
    involved = forms.UUIDField(required=False, widget=forms.HiddenInput)


class LinkPersonForm(forms.Form):
    person = forms.UUIDField(widget=forms.HiddenInput)
    involved = forms.UUIDField(required=False, widget=forms.HiddenInput)
    role = forms.ChoiceField(label=_("Role"), choices=InvolvedRole.choices, initial=InvolvedRole.AT_RISK)


class OpenCaseForm(forms.Form):
    person = forms.ChoiceField(label=_("For"))
    caseworker = forms.ModelChoiceField(
        label=_("Caseworker"),
        required=False,
        queryset=None,
        to_field_name="uuid",
        help_text=_("Who follows the case up; yourself if nobody is chosen."),
    )
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, people=(), organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        from hifazat.accounts.models import User

        self.fields["person"].choices = [(str(p.uuid), p.full_name) for p in people]
        self.fields["caseworker"].queryset = User.objects.filter(
            memberships__organisation=organisation,
            memberships__is_active=True,
            memberships__role__in=roles_that_can("cases.edit"),
        ).order_by("username")


class AlertFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Not resolved")), ("all", _("All")), *Alert.Status.choices],
    )
    rule = forms.ChoiceField(label=_("Rule"), required=False, choices=[("", _("All")), *AlertRule.choices])
    mine = forms.BooleanField(label=_("Mine"), required=False)


class AlertAssignForm(forms.Form):
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None, to_field_name="uuid")

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = TriageForm(organisation=organisation).fields["assignee"].queryset


class AlertResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class ReporterForm(forms.Form):
    user = forms.ModelChoiceField(label=_("User"), queryset=None, to_field_name="uuid")
    kind = forms.ChoiceField(label=_("Kind of reporter"), choices=ReporterKind.choices)
    sites = forms.ModelMultipleChoiceField(
        label=_("Sites covered"),
        required=False,
        queryset=Site.objects.filter(is_open=True).order_by("name"),
        to_field_name="uuid",
    )
    reliability = forms.ChoiceField(
        label=_("Source reliability"), choices=Reliability.choices, initial=Reliability.F
    )
    reliability_note = forms.CharField(label=_("Why this grade"), required=False, max_length=300)

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        if candidates is None:
            del self.fields["user"]
        else:
            self.fields["user"].queryset = candidates
            self.fields["user"].label_from_instance = lambda u: (
                f"{u.get_full_name() or u.username} ({u.username})"
            )


class ReporterEditForm(ReporterForm):
    is_active = forms.BooleanField(label=_("Active"), required=False)


class ExitForm(forms.Form):
    departed_on = forms.DateField(label=_("Departed on"), widget=DATE, initial=timezone.localdate)
    companion = forms.ChoiceField(label=_("With whom"), choices=CampExit.Companion.choices)
    companion_name = forms.CharField(label=_("Name of the person with them"), required=False, max_length=160)
    companion_phone = forms.CharField(label=_("Their phone number"), required=False, max_length=40)
    companion_plate = forms.CharField(label=_("Vehicle plate"), required=False, max_length=40)
    destination = forms.CharField(label=_("To where"), required=False, max_length=200)
    reason = forms.ChoiceField(label=_("Why"), choices=CampExit.Reason.choices)
    reason_detail = forms.CharField(label=_("More about why"), required=False, max_length=300)

    def clean_departed_on(self):
        return _not_future(self.cleaned_data["departed_on"])


class MapForm(forms.Form):
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All")), *ReportKind.choices])

    def period(self) -> tuple[datetime.date | None, datetime.date | None]:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return data.get("date_from"), data.get("date_to")


class EntitySearchForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=EntityKind.choices)
    text = forms.CharField(label=_("As written"), max_length=200)
