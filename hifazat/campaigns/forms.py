"""Forms of the campaigns part. Choices of sites, organisations and messages are narrowed to the campaign's."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from hifazat.accounts.models import Organisation
from hifazat.geography.models import AdminArea, Site
from hifazat.people.models import VulnerabilityGroup

from . import delivery
from .languages import language_choices
from .models import Campaign, CampaignStatus, Channel, KeyMessage, Material, Session, Topic

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _group_choices(groups) -> list[tuple[str, str]]:
    labels = dict(VulnerabilityGroup.choices)
    return [(group, labels[group]) for group in groups]


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    objective = forms.CharField(label=_("Objective"), widget=forms.Textarea(attrs={"rows": 3}))
    funder = forms.ModelChoiceField(
        label=_("Funder"), required=False, queryset=Organisation.objects.none(), to_field_name="uuid"
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Partners carrying it out"),
        required=False,
        queryset=Organisation.objects.none(),
        to_field_name="uuid",
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), required=False, widget=DATE)
    areas = forms.ModelMultipleChoiceField(
        label=_("Areas (every site in them)"),
        required=False,
        queryset=AdminArea.objects.filter(level__gte=2).order_by("name"),
        to_field_name="uuid",
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    sites = forms.ModelMultipleChoiceField(
        label=_("Sites"),
        required=False,
        queryset=Site.objects.order_by("name"),
        to_field_name="uuid",
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    target_groups = forms.MultipleChoiceField(
        label=_("Target groups"), choices=VulnerabilityGroup.choices, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, organisations, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["funder"].queryset = organisations
        self.fields["partners"].queryset = organisations

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The end comes after the start."))
        if not data.get("areas") and not data.get("sites"):
            self.add_error("sites", _("Name at least one site or area."))
        return data


class CampaignEditForm(CampaignForm):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(s, label) for s, label in CampaignStatus.choices if s != CampaignStatus.ACTIVE],
        help_text=_("A campaign becomes running when its launch is recorded."),
    )

    def __init__(self, *args, campaign: Campaign, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if campaign.launched_on:
            self.fields["status"].choices = CampaignStatus.choices


def campaign_initial(campaign: Campaign) -> dict:
    return {
        "name": campaign.name,
        "objective": campaign.objective,
        "funder": campaign.funder.uuid if campaign.funder else None,
        "partners": [o.uuid for o in campaign.partners.all()],
        "starts_on": campaign.starts_on,
        "ends_on": campaign.ends_on,
        "areas": [a.uuid for a in campaign.areas.all()],
        "sites": [s.uuid for s in campaign.sites.all()],
        "target_groups": campaign.target_groups,
        "status": campaign.status,
    }


class LaunchForm(forms.Form):
    launched_on = forms.DateField(label=_("Launched on"), widget=DATE)
    launch_site = forms.ModelChoiceField(label=_("At"), queryset=Site.objects.none(), to_field_name="uuid")
    launch_note = forms.CharField(label=_("About the launch"), max_length=300, required=False)

    def __init__(self, *args, sites, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["launch_site"].queryset = sites


class KeyMessageForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    topic = forms.ChoiceField(label=_("Topic"), choices=Topic.choices)
    target_group = forms.ChoiceField(label=_("Target group"), required=False)

    def __init__(self, *args, campaign: Campaign, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target_group"].choices = [
            ("", _("Everyone (the public page)")),
            *_group_choices(campaign.target_groups),
        ]


class VersionForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"))
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 6}))
    submit = forms.BooleanField(label=_("Send for review now"), required=False, initial=True)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = language_choices()


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("return", _("Return for changes"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class SmsTextForm(forms.Form):
    text = forms.CharField(required=False, strip=False)


class SessionForm(forms.Form):
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none(), to_field_name="uuid")
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    facilitator = forms.ModelChoiceField(
        label=_("Facilitating organisation"), queryset=Organisation.objects.none(), to_field_name="uuid"
    )
    target_group = forms.ChoiceField(label=_("Target group"))
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    message = forms.ModelChoiceField(
        label=_("Key message (talking points)"),
        required=False,
        queryset=KeyMessage.objects.none(),
        to_field_name="uuid",
    )
    female_0_17 = forms.IntegerField(label=_("Girls (under 18)"), min_value=0, initial=0)
    male_0_17 = forms.IntegerField(label=_("Boys (under 18)"), min_value=0, initial=0)
    female_18_59 = forms.IntegerField(label=_("Women (18 to 59)"), min_value=0, initial=0)
    male_18_59 = forms.IntegerField(label=_("Men (18 to 59)"), min_value=0, initial=0)
    female_60_plus = forms.IntegerField(label=_("Women (60 and over)"), min_value=0, initial=0)
    male_60_plus = forms.IntegerField(label=_("Men (60 and over)"), min_value=0, initial=0)
    check_max_score = forms.IntegerField(
        label=_("Questions in the knowledge check"), min_value=1, max_value=50, initial=5
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, campaign: Campaign, sites, organisations, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites
        self.fields["facilitator"].queryset = organisations
        self.fields["target_group"].choices = _group_choices(campaign.target_groups)
        self.fields["message"].queryset = campaign.messages.all()

    def headcount_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in Session.COUNT_FIELDS]

    def other_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name not in Session.COUNT_FIELDS]

    def clean(self):
        data = super().clean()
        if all(name in data for name in Session.COUNT_FIELDS) and not sum(
            data[name] for name in Session.COUNT_FIELDS
        ):
            self.add_error(None, _("Give the number of people who came."))
        return data


def session_initial(session: Session) -> dict:
    return {
        "site": session.site.uuid,
        "held_on": session.held_on,
        "facilitator": session.facilitator.uuid,
        "target_group": session.target_group,
        "title": session.title,
        "message": session.message.uuid if session.message else None,
        "check_max_score": session.check_max_score,
        "note": session.note,
        **{name: getattr(session, name) for name in Session.COUNT_FIELDS},
    }


class AttendeeSearchForm(forms.Form):
    q = forms.CharField(label=_("Name"), max_length=100, required=False)


class AttendeeForm(forms.Form):
    person = forms.UUIDField(widget=forms.HiddenInput)
    pre_score = forms.IntegerField(label=_("Score before"), required=False, min_value=0)
    post_score = forms.IntegerField(label=_("Score after"), required=False, min_value=0)


class ScoresForm(forms.Form):
    """Knowledge check scores of people not linked to the registry, one person a line: "before after"."""

    lines = forms.CharField(
        label=_("Scores of people not linked: one person a line, before and after (for example: 2 4)"),
        widget=forms.Textarea(attrs={"rows": 5, "dir": "ltr"}),
    )

    def clean_lines(self) -> list[tuple[int | None, int | None]]:
        scores = []
        for number, line in enumerate(self.cleaned_data["lines"].splitlines(), 1):
            parts = line.replace(",", " ").split()
            if not parts:
                continue
            if len(parts) != 2 or not all(p.isdigit() or p == "-" for p in parts):
                raise forms.ValidationError(
                    _("Line %(n)s: give two scores, before and after (a dash for one not taken).")
                    % {"n": number}
                )
            scores.append(tuple(None if p == "-" else int(p) for p in parts))
        if not scores:
            raise forms.ValidationError(_("Give at least one line of scores."))
        return scores


class MaterialForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Material.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    language = forms.ChoiceField(label=_("Language"))
    message = forms.ModelChoiceField(
        label=_("Key message"), required=False, queryset=KeyMessage.objects.none(), to_field_name="uuid"
    )
    print_run = forms.IntegerField(label=_("Copies printed"), min_value=1)
    printed_on = forms.DateField(label=_("Printed on"), required=False, widget=DATE)

    def __init__(self, *args, campaign: Campaign, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = language_choices()
        self.fields["message"].queryset = campaign.messages.all()


class DistributionForm(forms.Form):
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none(), to_field_name="uuid")
    distributed_on = forms.DateField(label=_("Distributed on"), widget=DATE)
    quantity = forms.IntegerField(label=_("Copies"), min_value=1)

    def __init__(self, *args, sites, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites


class RadioSpotForm(forms.Form):
    station = forms.CharField(label=_("Station"), max_length=120)
    language = forms.ChoiceField(label=_("Language"))
    message = forms.ModelChoiceField(
        label=_("Key message"), required=False, queryset=KeyMessage.objects.none(), to_field_name="uuid"
    )
    area = forms.ModelChoiceField(
        label=_("Area the station covers"),
        required=False,
        queryset=AdminArea.objects.filter(level__gte=2).order_by("name"),
        to_field_name="uuid",
    )
    first_aired_on = forms.DateField(label=_("First aired on"), widget=DATE)
    last_aired_on = forms.DateField(label=_("Last aired on"), widget=DATE)
    airings = forms.IntegerField(label=_("Times aired"), min_value=1)

    def __init__(self, *args, campaign: Campaign, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = language_choices()
        self.fields["message"].queryset = campaign.messages.all()

    def clean(self):
        data = super().clean()
        if (
            data.get("first_aired_on")
            and data.get("last_aired_on")
            and data["last_aired_on"] < data["first_aired_on"]
        ):
            self.add_error("last_aired_on", _("The last airing comes after the first."))
        return data


class ExportFormatForm(forms.Form):
    """How the maker takes an audience file: CSV, or XLSX (keeps Urdu intact when opened in Excel)."""

    file_format = forms.ChoiceField(
        label=_("Format"),
        choices=[
            ("csv", _("CSV for RapidPro's contact import")),
            ("xlsx", _("Excel workbook (XLSX): Urdu stays intact when opened in Excel")),
        ],
        initial="csv",
    )


class ExportForm(forms.Form):
    message = forms.ModelChoiceField(
        label=_("Key message with an approved text message"),
        queryset=KeyMessage.objects.none(),
        to_field_name="uuid",
    )
    target_group = forms.ChoiceField(label=_("Target group"))
    sites = forms.ModelMultipleChoiceField(
        label=_("Sites (none chosen: all of the campaign's)"),
        required=False,
        queryset=Site.objects.none(),
        to_field_name="uuid",
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    fallback_language = forms.ChoiceField(
        label=_("Language for people whose own language has no approved text"),
        help_text=_(
            "Each person receives the text in their primary language when it has an approved version."
        ),
    )

    def __init__(self, *args, campaign: Campaign, messages, sites, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["message"].queryset = messages
        self.fields["target_group"].choices = _group_choices(campaign.target_groups)
        self.fields["sites"].queryset = sites
        self.fields["fallback_language"].choices = language_choices()


class GapFilterForm(forms.Form):
    site = forms.ModelChoiceField(
        label=_("Site"), required=False, queryset=Site.objects.none(), to_field_name="uuid"
    )
    group = forms.ChoiceField(label=_("Target group"), required=False)

    def __init__(self, *args, campaign: Campaign, sites, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites
        self.fields["group"].choices = [("", "—"), *_group_choices(campaign.target_groups)]


class DeliveryReportForm(forms.Form):
    report = forms.FileField(
        label=_("Delivery report (RapidPro message export, CSV)"),
        help_text=_("Messages delivered or read confirm the person's reach; other statuses confirm nothing."),
    )

    def clean_report(self):
        upload = self.cleaned_data["report"]
        if upload.size > delivery.MAX_REPORT_BYTES:
            raise ValidationError(_("The file is larger than 20 MB."))
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ValidationError(_("The file is not UTF-8 text (save it as CSV UTF-8).")) from error
        return delivery.read_report(text)
