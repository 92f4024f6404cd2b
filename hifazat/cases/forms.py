"""Forms for every input on the case pages: filters, opening, each sub-record, closure and approvals."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hifazat.cases import htcds
from hifazat.cases.models import (
    Case,
    CaseFollowUp,
    CaseOrigin,
    CaseStatus,
    ClosureOutcome,
    ServiceKind,
)
from hifazat.cases.selectors import case_roles_members
from hifazat.core.versioning import VersionField
from hifazat.geography.selectors import areas_visible_to
from hifazat.people.models import Gender
from hifazat.screening.models import TraffickingStatus


class IdPrefixed(forms.Form):
    """Several forms share the case page: each gives its fields ids of its own (``<id_prefix>-<field>``)."""

    id_prefix = "case"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        super().__init__(*args, **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _users(actor):
    return case_roles_members(actor.organisation)


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        return user.get_full_name() or user.username


def _areas(actor):
    return areas_visible_to(actor).order_by("level", "name")


class AreaChoiceField(forms.ModelChoiceField):
    """An admin area, shown with its P-code (two areas may share a name)."""

    def label_from_instance(self, area) -> str:
        return f"{area} ({area.pcode})"  # in the reader's language


class CaseFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("open", _("Open (active or follow-up)")), *CaseStatus.choices],
    )
    caseworker = UserChoiceField(
        label=_("Caseworker"), required=False, queryset=None, empty_label=_("Anyone")
    )
    number = forms.CharField(label=_("Case number"), required=False, max_length=40)
    mine = forms.BooleanField(label=_("Only mine"), required=False)
    overdue = forms.BooleanField(label=_("Only with overdue follow-ups"), required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["caseworker"].queryset = _users(actor)


class CaseOpenForm(forms.Form):
    origin = forms.ChoiceField(
        label=_("How the case came to you"),
        # A screening's case is opened from the screening (which it then names); an incoming referral's by
        # accepting the referral.
        choices=[
            (c.value, c.label)
            for c in CaseOrigin
            if c not in (CaseOrigin.SCREENING, CaseOrigin.INCOMING_REFERRAL)
        ],
    )
    summary = forms.CharField(
        label=_("Summary"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Why the case is opened and what the person needs now."),
    )
    caseworker = UserChoiceField(
        label=_("Assigned caseworker"),
        queryset=None,
        required=False,
        empty_label=_("Me"),
        help_text=_("They are told that the case is theirs."),
    )

    def __init__(self, *args, actor, fixed_origin: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["caseworker"].queryset = _users(actor)
        if not actor.can("cases.assign"):
            del self.fields["caseworker"]
        if fixed_origin:
            del self.fields["origin"]


class SummaryForm(IdPrefixed):
    # The version of the case the form was shown with: a change made meanwhile by someone else is not overwritten.
    version = VersionField()
    id_prefix = "summary"

    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}), required=False)


class StatusForm(IdPrefixed):
    version = VersionField()
    id_prefix = "status"

    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (CaseStatus.ACTIVE, CaseStatus.ACTIVE.label),
            (CaseStatus.FOLLOW_UP, CaseStatus.FOLLOW_UP.label),
        ],
    )


class AssignForm(IdPrefixed):
    version = VersionField()
    id_prefix = "assign"

    caseworker = UserChoiceField(label=_("Assign to"), queryset=None)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["caseworker"].queryset = _users(actor)


class TransferForm(IdPrefixed):
    version = VersionField()
    id_prefix = "transfer"

    to = UserChoiceField(label=_("Transfer to"), queryset=None)
    note = forms.CharField(
        label=_("Reason"),
        max_length=300,
        help_text=_("For example: leaving the district, caseload. No names of the person."),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = _users(actor)


class ClosureForm(IdPrefixed):
    version = VersionField()
    id_prefix = "closure"

    outcome = forms.ChoiceField(label=_("Outcome"), choices=ClosureOutcome.choices)
    reason = forms.CharField(
        label=_("Reason for closure"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A supervisor approves the closure."),
    )


class ReopenForm(IdPrefixed):
    version = VersionField()
    id_prefix = "reopen"

    note = forms.CharField(label=_("Why reopen"), max_length=300)


class TraffickingStatusForm(IdPrefixed):
    version = VersionField()
    id_prefix = "trafficking"

    status = forms.ChoiceField(label=_("Trafficking status"), choices=TraffickingStatus.choices)
    decided_by = forms.ChoiceField(
        label=_("Decided by"),
        required=False,
        choices=[("", _("Your organisation")), *htcds.DecisionMakingOrganisation.choices],
        help_text=_("The kind of body that decided, when it was not your organisation (the police unit)."),
    )


def _checkboxes():
    return forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})


def _multi(label, choices):
    return forms.MultipleChoiceField(
        label=label, choices=choices.choices, required=False, widget=_checkboxes()
    )


class VictimContextForm(IdPrefixed):
    """HTCDS victim context. The multi-select fields render as checkbox groups in the case page's template."""

    id_prefix = "victim"

    version = VersionField()

    exploitation_types = _multi(_("Type of exploitation"), htcds.ExploitationType)
    sex_exploitation_types = _multi(_("Type of sexual exploitation"), htcds.SexExploitationType)
    forced_labour_industry = forms.ChoiceField(
        label=_("Forced labour industry"),
        required=False,
        choices=[("", "—"), *htcds.ForcedLabourIndustry.choices],
    )
    recruitment_methods = _multi(_("Method of recruitment"), htcds.RecruitmentMethod)
    recruitment_area = AreaChoiceField(label=_("Area of recruitment"), queryset=None, required=False)
    recruitment_place = forms.CharField(label=_("Place of recruitment"), max_length=200, required=False)
    recruitment_country = forms.CharField(
        label=_("Country of recruitment (ISO 3166, two letters)"), max_length=2, required=False
    )
    methods_of_control = _multi(_("Methods of control"), htcds.MethodOfControl)
    relationship_to_trafficker = forms.ChoiceField(
        label=_("Relationship to trafficker"),
        required=False,
        choices=[("", "—"), *htcds.RelationshipToTrafficker.choices],
    )
    age_when_trafficked = forms.IntegerField(
        label=_("Age when trafficked"), min_value=0, max_value=120, required=False
    )
    recruitment_websites = _multi(_("Recruitment websites and apps"), htcds.WebsiteOrApp)
    exploitation_websites = _multi(_("Exploitation websites and apps"), htcds.WebsiteOrApp)

    MULTI = tuple(Case.MULTI_VALUED)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recruitment_area"].queryset = _areas(actor)

    @classmethod
    def for_case(cls, case: Case, actor) -> VictimContextForm:
        return cls(initial={name: getattr(case, name) for name in cls.base_fields}, actor=actor)

    def multi_fields(self):
        return [self[name] for name in self.fields if name in self.MULTI]

    def single_fields(self):
        return [self[name] for name in self.fields if name not in self.MULTI]


class HistoricEventForm(IdPrefixed):
    id_prefix = "event"

    event_type = forms.ChoiceField(label=_("Type"), choices=htcds.HistoricEventType.choices)
    occurred_on = forms.DateField(label=_("Date"), required=False, widget=DateInput())
    date_is_approximate = forms.BooleanField(label=_("The date is approximate"), required=False)
    area = AreaChoiceField(label=_("Area"), queryset=None, required=False)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    country = forms.CharField(label=_("Country (ISO 3166, two letters)"), max_length=2, initial="PK")
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = _areas(actor)


class PerpetratorForm(IdPrefixed):
    id_prefix = "perpetrator"

    first_name = forms.CharField(label=_("First name"), max_length=80, required=False)
    second_name = forms.CharField(label=_("Family name"), max_length=80, required=False)
    alias = forms.CharField(label=_("Known as"), max_length=120, required=False)
    gender = forms.ChoiceField(label=_("Gender"), choices=[("", "—"), *Gender.choices], required=False)
    estimated_age = forms.IntegerField(label=_("Estimated age"), min_value=10, max_value=100, required=False)
    nationality = forms.CharField(
        label=_("Nationality (ISO 3166, two letters)"), max_length=2, required=False
    )
    roles = forms.MultipleChoiceField(
        label=_("Role in the process"),
        choices=htcds.PerpetratorRole.choices,
        widget=_checkboxes(),
    )
    role_details = forms.CharField(
        label=_("Role details"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False, help_text=_("Stored encrypted."))
    identity_number = forms.CharField(
        label=_("Identity number (CNIC)"), max_length=32, required=False, help_text=_("Stored encrypted.")
    )
    identifying_details = forms.CharField(
        label=_("Identifying details"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Vehicle, appearance, where they can be found. Stored encrypted."),
    )

    MULTI = ("roles",)


class CommentForm(IdPrefixed):
    id_prefix = "comment"

    body = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}))


class SupportPlanForm(IdPrefixed):
    id_prefix = "plan"

    plan_type = forms.ChoiceField(label=_("Type"), choices=htcds.SupportPlanType.choices)
    objectives = forms.CharField(label=_("Objectives"), widget=forms.Textarea(attrs={"rows": 2}))
    action_plan = forms.CharField(
        label=_("Actions"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    planned_end_date = forms.DateField(label=_("Planned end date"), required=False, widget=DateInput())


class SupportPlanEndForm(forms.Form):
    version = VersionField()
    actual_end_date = forms.DateField(
        label=_("Actual end date"), widget=DateInput(), initial=timezone.localdate
    )


class ServiceForm(IdPrefixed):
    id_prefix = "service"

    service = forms.ChoiceField(label=_("Service"), choices=ServiceKind.choices)
    delivered_on = forms.DateField(label=_("Delivered on"), widget=DateInput(), initial=timezone.localdate)
    provided_by = forms.CharField(label=_("Provided by"), max_length=200, required=False)
    support_plan = forms.ModelChoiceField(label=_("Support plan"), queryset=None, required=False)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["support_plan"].queryset = case.support_plans.all()
        self.fields["support_plan"].label_from_instance = lambda plan: plan.get_plan_type_display()


class FollowUpForm(IdPrefixed):
    id_prefix = "followup"

    due_on = forms.DateField(label=_("Due on"), widget=DateInput())
    purpose = forms.CharField(label=_("Purpose"), max_length=300, help_text=_("For example: home visit."))
    assigned_to = UserChoiceField(
        label=_("Assigned to"), queryset=None, required=False, empty_label=_("The case's caseworker")
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = _users(actor)


class FollowUpCloseForm(forms.Form):
    version = VersionField()
    status = forms.ChoiceField(
        label=_("Outcome"),
        choices=[(CaseFollowUp.Status.DONE, _("Done")), (CaseFollowUp.Status.CANCELLED, _("Cancelled"))],
    )
    outcome = forms.CharField(
        label=_("What happened"), max_length=300, required=False, help_text=_("Needed to cancel.")
    )


class ApprovalDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Approve")), ("refuse", _("Refuse"))]
    )
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Needed to refuse: the requester reads it."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "refuse" and not (data.get("note") or "").strip():
            self.add_error("note", _("Say why the request is refused."))
        return data


class ApprovalFilterForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        required=False,
        choices=[("", _("All")), ("pending", _("Waiting for a decision")), ("decided", _("Decided"))],
    )


# --- Correcting and removing a case's records ---------------------------------------------------------------------


class HistoricEventEditForm(HistoricEventForm):
    id_prefix = "event-edit"

    version = VersionField()


class PerpetratorEditForm(PerpetratorForm):
    id_prefix = "perpetrator-edit"

    version = VersionField()


class SupportPlanEditForm(SupportPlanForm):
    id_prefix = "plan-edit"

    actual_end_date = forms.DateField(
        label=_("Actual end date"),
        required=False,
        widget=DateInput(),
        help_text=_("The plan ended on this day."),
    )
    version = VersionField()


class ServiceEditForm(ServiceForm):
    id_prefix = "service-edit"

    version = VersionField()


class FollowUpEditForm(FollowUpForm):
    id_prefix = "followup-edit"

    version = VersionField()


class RecordRemoveForm(IdPrefixed):
    id_prefix = "remove"

    reason = forms.CharField(
        label=_("Why remove it"),
        max_length=300,
        help_text=_("For example: entered twice, or on the wrong case. The case's history keeps this."),
    )
    version = VersionField()
