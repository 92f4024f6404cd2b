from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hifazat.core.versioning import VersionField
from hifazat.geography.models import AdminArea, Site
from hifazat.people.models import (
    ChildStatus,
    Consent,
    ConsentPurpose,
    Disability,
    Education,
    Gender,
    MaritalStatus,
    ParentageWord,
    Relationship,
    VulnerabilityGroup,
)


class HouseholdForm(forms.Form):
    site = forms.ModelChoiceField(
        label=_("Site"), queryset=Site.objects.filter(is_open=True), to_field_name="uuid"
    )
    shelter_number = forms.CharField(label=_("Shelter or tent number"), max_length=40, required=False)
    origin_area = forms.ModelChoiceField(
        label=_("District or tehsil of origin"),
        required=False,
        to_field_name="uuid",
        queryset=AdminArea.objects.filter(level__gte=2).order_by("name"),
    )
    origin_village = forms.CharField(label=_("Village of origin"), max_length=120, required=False)
    arrival_date = forms.DateField(
        label=_("Arrival date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_arrival_date(self):
        value = self.cleaned_data["arrival_date"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The arrival date cannot be in the future."))
        return value


class PersonForm(forms.Form):
    """Registration of one person. Either a date of birth or an age in years."""

    first_name = forms.CharField(label=_("First name (Latin letters)"), max_length=80)
    second_name = forms.CharField(label=_("Family name (Latin letters)"), max_length=80, required=False)
    first_name_ur = forms.CharField(
        label=_("First name (Urdu)"),
        max_length=80,
        required=False,
        widget=forms.TextInput(attrs={"dir": "rtl", "lang": "ur"}),
    )
    second_name_ur = forms.CharField(
        label=_("Family name (Urdu)"),
        max_length=80,
        required=False,
        widget=forms.TextInput(attrs={"dir": "rtl", "lang": "ur"}),
    )
    parentage_word = forms.ChoiceField(
        label=_("Son, daughter or wife of"), required=False, choices=[("", "—"), *ParentageWord.choices]
    )
    parentage_name = forms.CharField(label=_("Father's or husband's name"), max_length=120, required=False)
    parentage_name_ur = forms.CharField(
        label=_("Father's or husband's name (Urdu)"),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"dir": "rtl", "lang": "ur"}),
    )
    # No gender is chosen for the registrar: a blank first choice that must be replaced ("Not specified or
    # unknown" is one of the choices), so that nobody is recorded as female because the form started so.
    gender = forms.ChoiceField(label=_("Gender"), choices=[("", "—"), *Gender.choices])
    birthdate = forms.DateField(
        label=_("Date of birth"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    age_years = forms.IntegerField(
        label=_("Age in years, if the date is not known"), required=False, min_value=0, max_value=120
    )
    relationship_to_head = forms.ChoiceField(
        label=_("Relationship to the head of household"),
        required=False,
        choices=[("", "—"), *Relationship.choices],
    )
    marital_status = forms.ChoiceField(
        label=_("Marital status"), required=False, choices=[("", "—"), *MaritalStatus.choices]
    )
    number_of_children = forms.IntegerField(
        label=_("Number of children"), required=False, min_value=0, max_value=30
    )
    education = forms.ChoiceField(
        label=_("Highest level of education"), required=False, choices=[("", "—"), *Education.choices]
    )
    primary_language = forms.ChoiceField(
        label=_("Primary language"),
        required=False,
        choices=[
            ("", "—"),
            ("urd", _("Urdu")),
            ("pus", _("Pashto")),
            ("hno", _("Hindko")),
            ("pan", _("Punjabi")),
            ("kas", _("Kashmiri")),
            ("eng", _("English")),
        ],
    )
    disability = forms.ChoiceField(
        label=_("Disability (a lot of difficulty with)"), choices=Disability.choices, initial=Disability.NONE
    )
    child_status = forms.ChoiceField(
        label=_("For a child: care situation"), required=False, choices=[("", "—"), *ChildStatus.choices]
    )
    caregiver_name = forms.CharField(
        label=_("For a child: who cares for them now"), max_length=120, required=False
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "dir": "ltr"}),
    )
    identity_number = forms.CharField(
        label=_("Identity number (CNIC, B-form)"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )
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
    confirmed_not_duplicate = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        birthdate, age = cleaned.get("birthdate"), cleaned.get("age_years")
        if birthdate and age is not None:
            self.add_error("age_years", _("Give a date of birth or an age, not both."))
        if birthdate and birthdate > timezone.localdate():
            self.add_error("birthdate", _("The date of birth cannot be in the future."))
        is_child = (age is not None and age < 18) or (
            birthdate is not None and (timezone.localdate() - birthdate).days < 18 * 365.25
        )
        if is_child:
            if cleaned.get("consent_given_by") == Consent.GivenBy.SELF:
                self.add_error("consent_given_by", _("For a child, a caregiver or guardian consents."))
            if not cleaned.get("child_view"):
                self.add_error("child_view", _("Record the child's own view."))
        if cleaned.get("consent_given_by") not in (None, Consent.GivenBy.SELF) and not cleaned.get(
            "consent_given_by_name"
        ):
            self.add_error("consent_given_by_name", _("Name the caregiver or guardian."))
        return cleaned

    def service_arguments(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "confirmed_not_duplicate"}
        if data["birthdate"] is None:
            data.pop("birthdate")
        return data


class PersonEditForm(PersonForm):
    """Correction of a registered person: the fields of registration without the consent (recorded apart),
    pre-filled from the record, with the version the editor saw. A date of birth, or an age when only an
    estimate is known; both empty: not known."""

    consent_given_by = None
    consent_given_by_name = None
    child_view = None
    confirmed_not_duplicate = None
    version = VersionField()

    def __init__(self, *args, person, **kwargs) -> None:
        self.person = person
        kwargs.setdefault("initial", self.initial_for(person))
        super().__init__(*args, **kwargs)

    @staticmethod
    def initial_for(person) -> dict:
        initial = {
            name: getattr(person, name)
            for name in (
                "first_name",
                "second_name",
                "first_name_ur",
                "second_name_ur",
                "parentage_word",
                "parentage_name",
                "parentage_name_ur",
                "gender",
                "relationship_to_head",
                "marital_status",
                "number_of_children",
                "education",
                "primary_language",
                "disability",
                "child_status",
                "caregiver_name",
                "phone",
                "identity_number",
                "version",
            )
        }
        if person.birthdate_is_estimate:
            initial["age_years"] = person.age
        else:
            initial["birthdate"] = person.birthdate
        return initial

    def clean(self):
        cleaned = forms.Form.clean(self)  # the consent checks of registration do not apply
        birthdate, age = cleaned.get("birthdate"), cleaned.get("age_years")
        if birthdate and age is not None:
            self.add_error("age_years", _("Give a date of birth or an age, not both."))
        if birthdate and birthdate > timezone.localdate():
            self.add_error("birthdate", _("The date of birth cannot be in the future."))
        return cleaned

    def service_arguments(self) -> dict:
        """The arguments of ``services.person_update``. An age left as shown is no correction (its estimate
        would move the birth date); both date and age emptied: the birth date is not known."""
        data = dict(self.cleaned_data)
        data.pop("version")
        birthdate, age = data.pop("birthdate"), data.pop("age_years")
        if age is not None:
            if not (self.person.birthdate_is_estimate and age == self.person.age):
                data["age_years"] = age
        elif birthdate is not None:
            data["birthdate"] = birthdate
        else:
            data["birthdate"] = None
        return data


class HouseholdEditForm(HouseholdForm):
    """Correction of a household, pre-filled, with its head chosen among its members."""

    head = forms.ModelChoiceField(
        label=_("Head of household"), required=False, queryset=None, to_field_name="uuid"
    )
    version = VersionField()

    def __init__(self, *args, household, members, **kwargs) -> None:
        kwargs.setdefault(
            "initial",
            {
                "site": household.site,
                "shelter_number": household.shelter_number,
                "origin_area": household.origin_area,
                "origin_village": household.origin_village,
                "arrival_date": household.arrival_date,
                "head": household.head,
                "version": household.version,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["head"].queryset = members
        # A household stays at its site even after the site closed to new registrations.
        self.fields["site"].queryset = Site.objects.filter(Q(is_open=True) | Q(pk=household.site_id))


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ConsentPurpose.choices)
    shared_with = forms.ModelChoiceField(
        label=_("Organisation (for sharing only)"), required=False, queryset=None, to_field_name="uuid"
    )
    status = forms.ChoiceField(label=_("Decision"), choices=Consent.Status.choices)
    given_by = forms.ChoiceField(label=_("Decided by"), choices=Consent.GivenBy.choices)
    given_by_name = forms.CharField(
        label=_("Name of the caregiver or guardian"), max_length=120, required=False
    )
    child_view = forms.ChoiceField(
        label=_("For a child: their own view"),
        required=False,
        choices=[("", "—"), *Consent.ChildView.choices],
    )

    def __init__(self, *args, organisations, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["shared_with"].queryset = organisations

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("purpose") == ConsentPurpose.SHARING and not cleaned.get("shared_with"):
            self.add_error("shared_with", _("Name the organisation the data would be shared with."))
        if cleaned.get("purpose") != ConsentPurpose.SHARING:
            cleaned["shared_with"] = None
        return cleaned


class PersonSearchForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=100)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=30)
    identity_number = forms.CharField(label=_("Identity number"), required=False, max_length=30)
    site = forms.ModelChoiceField(
        label=_("Site"), required=False, queryset=Site.objects.all(), to_field_name="uuid"
    )
    group = forms.ChoiceField(
        label=_("Vulnerability group"),
        required=False,
        choices=[("", _("Any group")), *VulnerabilityGroup.choices],
    )
    risk_band = forms.ChoiceField(
        label=_("Risk band (latest screening)"),
        required=False,
        choices=[
            ("", _("Any")),
            ("low", _("Low")),
            ("medium", _("Medium")),
            ("high", _("High")),
            ("urgent", _("Urgent")),
            ("none", _("Not screened")),
        ],
    )

    def __init__(self, *args, can_see_screenings: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not can_see_screenings:  # roles that may not see screenings cannot filter by them either
            del self.fields["risk_band"]


class VulnerabilityForm(forms.Form):
    """A group recorded by hand: what the rules cannot see in the data (a disability not yet assessed, say)."""

    group = forms.ChoiceField(label=_("Group"), choices=VulnerabilityGroup.choices)
    reason = forms.CharField(label=_("Reason"), max_length=300)


class HouseholdFilterForm(forms.Form):
    site = forms.ModelChoiceField(
        label=_("Site"), required=False, queryset=Site.objects.all(), to_field_name="uuid"
    )
