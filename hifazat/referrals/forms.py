"""Forms of the services directory and of referrals: every input passes through one of these."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hifazat.accounts.models import Organisation
from hifazat.core.versioning import VersionField
from hifazat.geography.models import AdminArea
from hifazat.people.models import Consent
from hifazat.referrals.models import (
    ReferralReason,
    ReferralStatus,
    ServiceProvider,
    ServiceType,
    SharedPart,
    Urgency,
)
from hifazat.referrals.snapshot import DEFAULT_PARTS

ALL = [("", _("All"))]


def area_queryset():
    return AdminArea.objects.order_by("level", "name")


def area_label(area: AdminArea) -> str:
    return f"{area} ({area.pcode})"  # in the reader's language


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return area_label(obj)


class AreaMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return area_label(obj)


class DirectoryFilterForm(forms.Form):
    area = AreaChoiceField(
        label=_("Area"),
        required=False,
        queryset=area_queryset(),
        to_field_name="uuid",
        help_text=_("Providers that cover this area or an area above it."),
    )
    service = forms.ChoiceField(label=_("Service"), required=False, choices=ALL + ServiceType.choices)
    accepting = forms.BooleanField(label=_("Only those accepting referrals now"), required=False)


class ProviderForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.filter(is_active=True), to_field_name="uuid"
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    name_ur = forms.CharField(
        label=_("Name in Urdu"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"dir": "rtl", "lang": "ur"}),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    services = forms.MultipleChoiceField(
        label=_("Services offered"),
        choices=ServiceType.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    areas = AreaMultipleChoiceField(
        label=_("Areas covered"),
        queryset=area_queryset(),
        to_field_name="uuid",
        help_text=_("Covering an area covers every area below it."),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    contact_person = forms.CharField(label=_("Contact person"), max_length=120, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    address = forms.CharField(
        label=pgettext_lazy("where a place is", "Address"), max_length=300, required=False
    )
    hours = forms.CharField(label=_("Opening hours"), max_length=200, required=False)
    accepting_referrals = forms.BooleanField(label=_("Accepts referrals now"), required=False, initial=True)
    availability_note = forms.CharField(
        label=_("Note on availability"),
        max_length=300,
        required=False,
        help_text=_("For example: full until March."),
    )
    is_active = forms.BooleanField(
        label=_("In the directory"),
        required=False,
        initial=True,
        help_text=_("Untick to remove the provider."),
    )
    # The provider's version when the form was shown (editing only): a change saved meanwhile is not overwritten.
    version = VersionField()

    def __init__(self, *args, organisations, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations

    @classmethod
    def initial_for(cls, provider: ServiceProvider) -> dict:
        return {
            "organisation": provider.organisation,
            "services": provider.service_values,
            "areas": list(provider.areas.all()),
            **{
                name: getattr(provider, name)
                for name in cls.base_fields
                if name not in {"organisation", "services", "areas"}
            },
        }


class PathwayForm(forms.Form):
    area = AreaChoiceField(label=_("Area"), queryset=area_queryset(), to_field_name="uuid")
    title = forms.CharField(
        label=_("Title"), max_length=200, help_text=_("For example: a woman at risk of trafficking.")
    )
    title_ur = forms.CharField(
        label=_("Title in Urdu"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"dir": "rtl", "lang": "ur"}),
    )
    description = forms.CharField(
        label=_("When to follow it"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = VersionField()  # the pathway's version when the form was shown (editing only)


class ProviderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.organisation.short_name or obj.organisation.name})"


class PathwayStepForm(forms.Form):
    service = forms.ChoiceField(label=_("Service"), required=False, choices=[("", "—"), *ServiceType.choices])
    provider = ProviderChoiceField(
        label=_("Provider"),
        required=False,
        queryset=ServiceProvider.objects.filter(is_active=True).select_related("organisation"),
        to_field_name="uuid",
    )
    notes = forms.CharField(label=_("Notes"), max_length=300, required=False)


PathwayStepFormSet = forms.formset_factory(PathwayStepForm, extra=3, max_num=20)


def steps_from(formset) -> list[dict]:
    """The filled rows of the steps formset, in order; rows without a service are left out."""
    return [
        {
            "service": f.cleaned_data["service"],
            "provider": f.cleaned_data["provider"],
            "notes": f.cleaned_data["notes"],
        }
        for f in formset.forms
        if f.cleaned_data.get("service")
    ]


class ReferralForm(forms.Form):
    """A referral from a case. The provider list depends on the service (and lists first the providers that
    cover the person's area); the override reason appears only where consent is missing."""

    service = forms.ChoiceField(label=_("Service"), choices=[("", "—"), *ServiceType.choices])
    provider = forms.ChoiceField(label=_("Provider"), choices=[])
    reason = forms.ChoiceField(label=_("Reason for referral"), choices=ReferralReason.choices)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.ROUTINE)
    shared_parts = forms.MultipleChoiceField(
        label=_("What to share with the receiver"),
        choices=SharedPart.choices,
        initial=DEFAULT_PARTS,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text=_("Share only what the receiver needs to help. They see these parts and nothing else."),
    )
    support_needed = forms.CharField(
        label=_("Support needed"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    notes = forms.CharField(
        label=_("Notes for the receiver"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    is_transfer = forms.BooleanField(
        label=_("Transfer the whole case"),
        required=False,
        help_text=_(
            "A supervisor approves a transfer; when the receiver accepts, the case closes here as referred."
        ),
    )
    override_reason = forms.CharField(
        label=_("Reason to send without consent"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self, *args, providers, area=None, consent_missing: bool, is_supervisor: bool, **kwargs
    ) -> None:
        """``providers``: the providers of other organisations that accept referrals, with their services and
        areas prefetched; ``area``: the person's area, whose providers are listed first."""
        super().__init__(*args, **kwargs)
        service = self.data.get("service") if self.is_bound else self.initial.get("service")
        self.providers = {str(p.uuid): p for p in providers if not service or service in p.service_values}
        self.fields["provider"].choices = self._grouped(area)
        if consent_missing:
            self.fields["override_reason"].help_text = (
                _(
                    "The person's consent for referral is not in force. As a supervisor, you may send it anyway: write why."
                )
                if is_supervisor
                else _(
                    "The person's consent for referral is not in force. To send it anyway, ask a supervisor: write why."
                )
            )
        else:
            del self.fields["override_reason"]

    def _grouped(self, area):
        from hifazat.referrals.selectors import area_and_ancestors

        covering = set(area_and_ancestors(area)) if area is not None else set()
        near, far = [], []
        for key, provider in self.providers.items():
            label = f"{provider.name} ({provider.organisation.short_name or provider.organisation.name})"
            (near if covering & {a.pk for a in provider.areas.all()} else far).append((key, label))
        if area is None or not near:
            return [("", "—"), *far]
        groups = [(_("Covering %(area)s") % {"area": area.name}, near)]
        return [("", "—"), *groups, *([(_("Other areas"), far)] if far else [])]

    def clean_provider(self):
        return self.providers[self.cleaned_data["provider"]]


class AcceptForm(forms.Form):
    version = VersionField()
    note = forms.CharField(label=_("Note for the sender"), max_length=500, required=False)
    reference = forms.CharField(
        label=_("Your reference number"),
        max_length=80,
        required=False,
        help_text=_("The police unit records its case or FIR number here."),
    )


class DeclineForm(forms.Form):
    version = VersionField()
    reason = forms.CharField(
        label=_("Why you decline"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The sender reads this and looks for another provider."),
    )


class CompleteForm(forms.Form):
    version = VersionField()
    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 2}))
    reference = forms.CharField(label=_("Your reference number"), max_length=80, required=False)


class WithdrawForm(forms.Form):
    version = VersionField()
    reason = forms.CharField(
        label=_("Why you withdraw the referral"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "The receiver reads this. They are told, and can no longer read what you shared with them."
        ),
    )


class OpenCaseForm(forms.Form):
    """Who consents to the person's registration at the receiving organisation."""

    consent_given_by = forms.ChoiceField(
        label=_("Consent to registration given by"), choices=Consent.GivenBy.choices
    )
    consent_given_by_name = forms.CharField(
        label=_("Name of the caregiver or guardian"), max_length=120, required=False
    )
    child_view = forms.ChoiceField(
        label=_("For a child: their own view"),
        required=False,
        choices=[("", "—"), *Consent.ChildView.choices],
    )


class ReferralFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=ALL + ReferralStatus.choices)
    service = forms.ChoiceField(label=_("Service"), required=False, choices=ALL + ServiceType.choices)
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)
