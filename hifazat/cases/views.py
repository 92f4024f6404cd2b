"""Case pages: the list, opening a case (walk-in or from a screening), the case page with everything about the
case, and the supervisor's approvals. Sub-records are added through htmx forms that answer with their section
(and the refreshed timeline); case-level actions (status, assignment, closure) post and come back to the page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from hifazat.cases import forms as f
from hifazat.cases import panels, record_services, services
from hifazat.cases.models import (
    OPEN_STATUSES,
    Case,
    CaseFollowUp,
    CaseOrigin,
    HistoricEvent,
    Perpetrator,
    ServiceDelivery,
    SupportPlan,
)
from hifazat.cases.selectors import (
    approvals_visible_to,
    case_followups_visible_to,
    cases_visible_to,
    perpetrator_links,
    with_overdue_followups,
)
from hifazat.cases.timeline import case_timeline
from hifazat.core.access import get_visible_or_404, requires
from hifazat.core.audit import audit_list
from hifazat.core.htmx import render_page_or_partial
from hifazat.core.versioning import EditConflict
from hifazat.core.web import act, page_of, submitted
from hifazat.people.selectors import persons_visible_to
from hifazat.screening.selectors import screening_explained, screenings_visible_to


def _visible_case(request, uuid, *, audit: bool = False):
    return get_visible_or_404(
        cases_visible_to(request.actor).select_related(
            "person__household__site",
            "owner",
            "caseworker",
            "trafficking_status_by",
            "trafficking_status_organisation",
            "recruitment_area",
        ),
        uuid,
        actor=request.actor,
        audit=audit,
    )


# --- The list ---------------------------------------------------------------------------------------------------


@requires("cases.view")
def case_list(request):
    """The cases the user may see: open ones unless another status is asked for."""
    data = request.GET.copy()
    data.setdefault("status", "open")
    form = f.CaseFilterForm(data, actor=request.actor)
    cases = with_overdue_followups(cases_visible_to(request.actor)).select_related(
        "person__household__site", "caseworker"
    )
    if form.is_valid():
        data = form.cleaned_data
        if data["status"] == "open":
            cases = cases.filter(status__in=OPEN_STATUSES)
        elif data["status"]:
            cases = cases.filter(status=data["status"])
        if data["caseworker"]:
            cases = cases.filter(caseworker=data["caseworker"])
        if data["number"]:
            cases = cases.filter(number__icontains=data["number"].strip())
        if data["mine"]:
            cases = cases.filter(caseworker=request.user)
        if data["overdue"]:
            cases = cases.filter(has_overdue=True)
    page = page_of(request, cases.order_by("-opened_on", "-id"))
    # One audit entry per list read: how many cases were shown, and which filters (names only) found them.
    used = [name for name, value in form.cleaned_data.items() if value] if form.is_valid() else []
    audit_list(request.actor, Case, count=len(page.object_list), total=page.paginator.count, filters=used)
    return render_page_or_partial(
        request,
        "cases/case_list.html",
        "cases/_case_rows.html",
        {"form": form, "page": page},
    )


# --- Opening ----------------------------------------------------------------------------------------------------


def _open_page(request, person, form, *, screening=None):
    existing = with_overdue_followups(
        cases_visible_to(request.actor).filter(person=person, status__in=OPEN_STATUSES)
    )
    return render(
        request,
        "cases/case_open.html",
        {"person": person, "form": form, "screening": screening, "existing": existing},
    )


def _open(request, person, form, *, origin: str | None = None, origin_uuid=None):
    """Open the case from a valid form; on a refusal from the service, ``None`` (the form holds the reason)."""
    return submitted(
        request,
        form,
        lambda data: services.case_open(
            actor=request.actor,
            person=person,
            origin=origin or data["origin"],
            origin_uuid=origin_uuid,
            summary=data["summary"],
            caseworker=data.get("caseworker"),
        ),
        done=lambda case: _("Case %(number)s is open.") % {"number": case.number},
        then=lambda case: case,
    )


@requires("cases.open")
@require_http_methods(["GET", "POST"])
def case_open(request, uuid):
    """Open a case for a registered person (a walk-in, a report, another origin)."""
    person = get_visible_or_404(persons_visible_to(request.actor).select_related("household__site"), uuid)
    form = f.CaseOpenForm(request.POST or None, actor=request.actor, initial={"origin": CaseOrigin.WALK_IN})
    return _open(request, person, form) or _open_page(request, person, form)


def screening_summary(screening) -> str:
    """The summary a case opened from a screening starts with: the band, the score and the red flags, in the
    user's language. The caseworker edits it before opening."""
    explained = screening_explained(screening)
    lines = [
        _("Risk screening of %(date)s: %(band)s, score %(score)s.")
        % {
            "date": timezone.localtime(screening.screened_at).strftime("%Y-%m-%d"),
            "band": screening.get_band_display(),
            "score": screening.score,
        }
    ]
    if explained["red_flags"]:
        lines.append(_("Red flags:"))
        lines.extend(f"- {flag.text}" for flag in explained["red_flags"])
    return "\n".join(lines)


@requires("cases.open")
@require_http_methods(["GET", "POST"])
def case_open_from_screening(request, uuid):
    """Open a case from a screening: its band and red flags fill the summary, and the case names it."""
    screening = get_visible_or_404(screenings_visible_to(request.actor), uuid)
    person = screening.person
    form = f.CaseOpenForm(
        request.POST or None,
        actor=request.actor,
        fixed_origin=CaseOrigin.SCREENING,
        initial={"summary": screening_summary(screening)},
    )
    return _open(
        request, person, form, origin=CaseOrigin.SCREENING, origin_uuid=screening.uuid
    ) or _open_page(request, person, form, screening=screening)


# --- The case page ------------------------------------------------------------------------------------------------


def case_context(request, case, bound: dict | None = None) -> dict:
    """Everything the case page shows; ``bound`` holds forms sent back with errors, by context name."""
    actor = request.actor
    can_edit = actor.can("cases.edit") and case.is_open
    origin_screening = None
    if case.origin == CaseOrigin.SCREENING and case.origin_uuid and actor.can("screening.view"):
        origin_screening = screenings_visible_to(actor).filter(uuid=case.origin_uuid).first()
    perpetrators = list(case.perpetrators.all())
    links = perpetrator_links(actor, perpetrators)
    for perpetrator in perpetrators:
        perpetrator.linked_cases = links.get(perpetrator.pk, [])
    plans = case.support_plans.prefetch_related(
        Prefetch("services", queryset=ServiceDelivery.objects.order_by("-delivered_on"))
    )
    context = {
        "case": case,
        "person": case.person,
        "today": timezone.localdate(),
        "can_edit": can_edit,
        "can_comment": actor.can("cases.edit"),
        "can_assign": actor.can("cases.assign") and case.is_open,
        "can_approve": actor.can("cases.approve"),
        "can_set_trafficking_status": actor.can("screening.set_trafficking_status") and case.is_open,
        "origin_screening": origin_screening,
        "pending_closure": services.pending_closure(case),
        "other_approvals": case.approvals.exclude(kind=services.APPROVAL_CLOSURE)
        .filter(decision="pending")
        .select_related("requested_by"),
        "historic_events": case.historic_events.select_related("area"),
        "perpetrators": perpetrators,
        "plans": plans,
        "services_delivered": case.services.select_related("support_plan", "created_by"),
        "followups": case.followups.select_related("assigned_to", "closed_by"),
        "comments": case.comments.select_related("created_by"),
        "panels": panels.panels_for(case, actor),
        "timeline": case_timeline(case, actor),
        # Case-level forms carry the version of the case they were shown with (``core.versioning``).
        "summary_form": f.SummaryForm(initial={"summary": case.summary, "version": case.version}),
        "status_form": f.StatusForm(initial={"status": case.status, "version": case.version}),
        "assign_form": f.AssignForm(
            actor=actor, initial={"caseworker": case.caseworker, "version": case.version}
        ),
        "transfer_form": f.TransferForm(actor=actor, initial={"version": case.version}),
        "closure_form": f.ClosureForm(initial={"version": case.version}),
        "reopen_form": f.ReopenForm(initial={"version": case.version}),
        "trafficking_form": f.TraffickingStatusForm(
            initial={"status": case.trafficking_status or None, "version": case.version}
        ),
        "victim_form": f.VictimContextForm.for_case(case, actor),
        "event_form": f.HistoricEventForm(actor=actor),
        "perpetrator_form": f.PerpetratorForm(),
        "comment_form": f.CommentForm(),
        "plan_form": f.SupportPlanForm(),
        "plan_end_form": f.SupportPlanEndForm(),
        "service_form": f.ServiceForm(case=case),
        "followup_form": f.FollowUpForm(actor=actor),
        "followup_close_form": f.FollowUpCloseForm(),
    }
    context.update(bound or {})
    return context


@requires("cases.view")
def case_detail(request, uuid):
    """Everything about the case the user may see, on one page, with the timeline. The read is audited."""
    case = _visible_case(request, uuid, audit=True)
    return render(request, "cases/case_detail.html", case_context(request, case))


# Each htmx section: its template and the anchor on the page.
SECTIONS = {
    "victim": "cases/_section_victim.html",
    "events": "cases/_section_events.html",
    "perpetrators": "cases/_section_perpetrators.html",
    "plans": "cases/_section_plans.html",
    "services": "cases/_section_services.html",
    "followups": "cases/_section_followups.html",
    "comments": "cases/_section_comments.html",
}


def _section(request, case, key: str, *, bound: dict | None = None, saved: str = ""):
    """After a sub-record's form: for htmx, the section again (with the errors, or a fresh form) and the
    timeline out of band; otherwise back to the page (or the page with the errors)."""
    case.refresh_from_db()
    if request.htmx:
        context = case_context(request, case, bound)
        context["saved"] = saved
        html = render_to_string(SECTIONS[key], context, request=request)
        html += render_to_string("cases/_timeline.html", {**context, "oob": True}, request=request)
        return HttpResponse(html)
    if bound:
        return render(request, "cases/case_detail.html", case_context(request, case, bound), status=400)
    if saved:
        messages.success(request, saved)
    return redirect(case.get_absolute_url() + f"#{key}")


def _save(request, case, key: str, form_name: str, form, write) -> HttpResponse:
    """Validate ``form``, call ``write(cleaned_data)`` (a service), and answer with the section."""
    if form.is_valid():
        try:
            write(form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _section(request, case, key, saved=_("Saved."))
    return _section(request, case, key, bound={form_name: form})


@requires("cases.edit")
@require_POST
def victim_context(request, uuid):
    case = _visible_case(request, uuid)
    form = f.VictimContextForm(request.POST, actor=request.actor)
    return _save(
        request,
        case,
        "victim",
        "victim_form",
        form,
        lambda data: record_services.victim_context_update(actor=request.actor, case=case, **data),
    )


@requires("cases.edit")
@require_POST
def historic_event_create(request, uuid):
    case = _visible_case(request, uuid)
    form = f.HistoricEventForm(request.POST, actor=request.actor)
    return _save(
        request,
        case,
        "events",
        "event_form",
        form,
        lambda data: record_services.historic_event_add(actor=request.actor, case=case, **data),
    )


@requires("cases.edit")
@require_POST
def perpetrator_create(request, uuid):
    case = _visible_case(request, uuid)
    form = f.PerpetratorForm(request.POST)
    return _save(
        request,
        case,
        "perpetrators",
        "perpetrator_form",
        form,
        lambda data: record_services.perpetrator_add(actor=request.actor, case=case, **data),
    )


@requires("cases.edit")
@require_POST
def comment_create(request, uuid):
    case = _visible_case(request, uuid)
    form = f.CommentForm(request.POST)
    return _save(
        request,
        case,
        "comments",
        "comment_form",
        form,
        lambda data: record_services.case_comment_add(actor=request.actor, case=case, **data),
    )


@requires("cases.edit")
@require_POST
def plan_create(request, uuid):
    case = _visible_case(request, uuid)
    form = f.SupportPlanForm(request.POST)
    return _save(
        request,
        case,
        "plans",
        "plan_form",
        form,
        lambda data: record_services.support_plan_add(actor=request.actor, case=case, **data),
    )


@requires("cases.edit")
@require_POST
def plan_end(request, uuid):
    """Record the actual end date of a support plan."""
    plan = get_visible_or_404(
        SupportPlan.objects.filter(case__in=cases_visible_to(request.actor)).select_related("case"), uuid
    )
    form = f.SupportPlanEndForm(request.POST)
    return _save(
        request,
        plan.case,
        "plans",
        "plan_end_form",
        form,
        lambda data: record_services.support_plan_update(actor=request.actor, plan=plan, **data),
    )


@requires("cases.edit")
@require_POST
def service_create(request, uuid):
    case = _visible_case(request, uuid)
    form = f.ServiceForm(request.POST, case=case)
    return _save(
        request,
        case,
        "services",
        "service_form",
        form,
        lambda data: record_services.service_record(actor=request.actor, case=case, **data),
    )


@requires("cases.edit")
@require_POST
def followup_create(request, uuid):
    case = _visible_case(request, uuid)
    form = f.FollowUpForm(request.POST, actor=request.actor)
    return _save(
        request,
        case,
        "followups",
        "followup_form",
        form,
        lambda data: record_services.case_followup_add(actor=request.actor, case=case, **data),
    )


@requires("cases.edit")
@require_POST
def followup_close(request, uuid):
    followup = get_visible_or_404(case_followups_visible_to(request.actor).select_related("case"), uuid)
    form = f.FollowUpCloseForm(request.POST)
    return _save(
        request,
        followup.case,
        "followups",
        "followup_close_form",
        form,
        lambda data: record_services.case_followup_close(actor=request.actor, followup=followup, **data),
    )


# --- Correcting and removing a case's records ---------------------------------------------------------------------


@dataclass(frozen=True)
class RecordKind:
    """A kind of case record that can be corrected and removed: its model, the section of the case page it is
    shown in, its edit form and the service that corrects it (``record`` is the service's keyword for it)."""

    model: type
    section: str
    form: type
    update: Callable
    record: str
    title: str | Promise
    # Whether showing the record decrypts numbers: the read of the edit form is audited, like the case page's.
    audited: bool = False

    def initial(self, record) -> dict:
        names = [name for name in self.form.base_fields if name != "version"]
        return {**{name: getattr(record, name) for name in names}, "version": record.version}

    def make_form(self, request, record, data=None):
        kwargs = {"initial": self.initial(record)}
        if self.form in (f.HistoricEventEditForm, f.FollowUpEditForm):
            kwargs["actor"] = request.actor
        if self.form is f.ServiceEditForm:
            kwargs["case"] = record.case
        return self.form(data, **kwargs)


RECORD_KINDS = {
    "event": RecordKind(
        HistoricEvent,
        "events",
        f.HistoricEventEditForm,
        record_services.historic_event_update,
        "event",
        gettext_lazy("Correct the event"),
    ),
    "perpetrator": RecordKind(
        Perpetrator,
        "perpetrators",
        f.PerpetratorEditForm,
        record_services.perpetrator_update,
        "perpetrator",
        gettext_lazy("Correct the perpetrator"),
        audited=True,
    ),
    "plan": RecordKind(
        SupportPlan,
        "plans",
        f.SupportPlanEditForm,
        record_services.support_plan_update,
        "plan",
        gettext_lazy("Correct the support plan"),
    ),
    "service": RecordKind(
        ServiceDelivery,
        "services",
        f.ServiceEditForm,
        record_services.service_update,
        "delivery",
        gettext_lazy("Correct the service delivered"),
    ),
    "followup": RecordKind(
        CaseFollowUp,
        "followups",
        f.FollowUpEditForm,
        record_services.case_followup_update,
        "followup",
        gettext_lazy("Correct the follow-up"),
    ),
}


def _visible_record(request, kind: RecordKind, uuid, *, audit: bool = False):
    """A current record of a case the actor may see, or 404."""
    return get_visible_or_404(
        kind.model.objects.filter(case__in=cases_visible_to(request.actor)).select_related("case"),
        uuid,
        actor=request.actor,
        audit=audit,
    )


def _record_form(request, kind: RecordKind, record, form, *, action: str, submit, title, status: int = 200):
    """The form that corrects or removes a record: alone for htmx (into the record's place on the case page,
    also when it comes back with errors), or on a page of its own."""
    context = {
        "case": record.case,
        "record": record,
        "form": form,
        "action": action,
        "section": kind.section,
        "submit": submit,
        "title": title,
    }
    if request.htmx:
        response = render(request, "cases/_record_form.html", context)
        if request.method == "POST":  # the form was posted to replace the section: put it back in its place
            response["HX-Retarget"] = f"#edit-{record.uuid}"
            response["HX-Reswap"] = "innerHTML"
        return response
    return render(request, "cases/record_form.html", context, status=status)


def _record_written(request, record, kind: RecordKind, form, write, *, saved: str):
    """Call ``write`` (a service) with the valid form's data; the section again, or the form with the reason."""
    try:
        write(form.cleaned_data)
    except EditConflict as error:
        form.add_error(None, error)
        return None, 409
    except ValidationError as error:
        form.add_error(None, error)
        return None, 400
    return _section(request, record.case, kind.section, saved=saved), 200


@requires("cases.edit")
@require_http_methods(["GET", "POST"])
def record_edit(request, uuid, kind: str):
    """Correct a historic event, perpetrator, support plan, service delivered or follow-up of an open case."""
    spec = RECORD_KINDS[kind]
    record = _visible_record(request, spec, uuid, audit=spec.audited and request.method == "GET")
    form = spec.make_form(request, record, request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            response, status = _record_written(
                request,
                record,
                spec,
                form,
                lambda data: spec.update(actor=request.actor, **{spec.record: record}, **data),
                saved=_("Corrected."),
            )
            if response is not None:
                return response
    return _record_form(
        request,
        spec,
        record,
        form,
        action=reverse(f"cases:{kind}_edit", args=[record.uuid]),
        submit=_("Save the correction"),
        title=spec.title,
        status=status,
    )


@requires("cases.edit")
@require_http_methods(["GET", "POST"])
def record_remove(request, uuid, kind: str):
    """Remove a record entered in error, saying why; the case's history keeps the removal."""
    spec = RECORD_KINDS[kind]
    record = _visible_record(request, spec, uuid)
    form = f.RecordRemoveForm(
        request.POST if request.method == "POST" else None, initial={"version": record.version}
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            response, status = _record_written(
                request,
                record,
                spec,
                form,
                lambda data: record_services.case_record_remove(actor=request.actor, record=record, **data),
                saved=_("Removed; the case's history keeps the removal."),
            )
            if response is not None:
                return response
    return _record_form(
        request,
        spec,
        record,
        form,
        action=reverse(f"cases:{kind}_remove", args=[record.uuid]),
        submit=_("Remove"),
        title=_("Remove this record"),
        status=status,
    )


# --- Case-level actions: post, then back to the case page ------------------------------------------------------


def _act(request, case, form, write, done: str, form_name: str):
    """Run a case-level action (``core.web.act``); a stale edit shows the case page again with ``form_name``'s
    form as it was typed."""

    def conflict(form):
        case.refresh_from_db()
        return render(request, "cases/case_detail.html", case_context(request, case, {form_name: form}))

    return act(request, form, write, done=done, back=case, conflict=conflict)


@requires("cases.edit")
@require_POST
def case_summary(request, uuid):
    case = _visible_case(request, uuid)
    return _act(
        request,
        case,
        f.SummaryForm(request.POST),
        lambda data: services.case_update(
            actor=request.actor, case=case, summary=data["summary"], version=data["version"]
        ),
        _("The summary is saved."),
        form_name="summary_form",
    )


@requires("cases.edit")
@require_POST
def case_status(request, uuid):
    case = _visible_case(request, uuid)
    return _act(
        request,
        case,
        f.StatusForm(request.POST),
        lambda data: services.case_status_set(
            actor=request.actor, case=case, status=data["status"], version=data["version"]
        ),
        _("The status is changed."),
        form_name="status_form",
    )


@requires("cases.assign")
@require_POST
def case_assign(request, uuid):
    case = _visible_case(request, uuid)
    return _act(
        request,
        case,
        f.AssignForm(request.POST, actor=request.actor),
        lambda data: services.case_assign(actor=request.actor, case=case, **data),
        _("The case is assigned; the caseworker is told."),
        form_name="assign_form",
    )


@requires("cases.assign")
@require_POST
def case_transfer(request, uuid):
    case = _visible_case(request, uuid)
    return _act(
        request,
        case,
        f.TransferForm(request.POST, actor=request.actor),
        lambda data: services.case_transfer(actor=request.actor, case=case, **data),
        _("The case is transferred; the new caseworker is told."),
        form_name="transfer_form",
    )


@requires("screening.set_trafficking_status")
@require_POST
def case_trafficking_status(request, uuid):
    case = _visible_case(request, uuid)
    return _act(
        request,
        case,
        f.TraffickingStatusForm(request.POST),
        lambda data: record_services.case_trafficking_status_set(actor=request.actor, case=case, **data),
        _("The trafficking status is recorded, with you and your organisation as recording it."),
        form_name="trafficking_form",
    )


@requires("cases.edit")
@require_POST
def case_close(request, uuid):
    """Ask to close the case (a supervisor's request closes it at once, recorded as their approval)."""
    case = _visible_case(request, uuid)
    closing_now = request.actor.can("cases.approve")
    return _act(
        request,
        case,
        f.ClosureForm(request.POST),
        lambda data: services.case_close_request(actor=request.actor, case=case, **data),
        _("The case is closed.")
        if closing_now
        else _("The closure waits for a supervisor's approval; the supervisors are told."),
        form_name="closure_form",
    )


@requires("cases.approve")
@require_POST
def case_reopen(request, uuid):
    case = _visible_case(request, uuid)
    return _act(
        request,
        case,
        f.ReopenForm(request.POST),
        lambda data: services.case_reopen(actor=request.actor, case=case, **data),
        _("The case is open again."),
        form_name="reopen_form",
    )


# --- Approvals ----------------------------------------------------------------------------------------------------


@requires("cases.approve")
def approval_list(request):
    """Requests waiting for a supervisor's decision, oldest first; decided ones on request."""
    data = request.GET.copy()
    data.setdefault("decision", "pending")
    form = f.ApprovalFilterForm(data)
    approvals = approvals_visible_to(request.actor)
    if form.is_valid() and form.cleaned_data["decision"] == "pending":
        approvals = approvals.filter(decision="pending").order_by("requested_at", "id")
    elif form.is_valid() and form.cleaned_data["decision"] == "decided":
        approvals = approvals.exclude(decision="pending").order_by("-decided_at", "-id")
    return render_page_or_partial(
        request,
        "cases/approval_list.html",
        "cases/_approval_rows.html",
        {
            "form": form,
            "page": page_of(request, approvals),
            "decision_form": f.ApprovalDecisionForm(),
        },
    )


@requires("cases.approve")
@require_POST
def approval_decide(request, uuid):
    approval = get_visible_or_404(approvals_visible_to(request.actor), uuid)
    return act(
        request,
        f.ApprovalDecisionForm(request.POST),
        lambda data: services.approval_decide(
            actor=request.actor, approval=approval, approved=data["decision"] == "approve", note=data["note"]
        ),
        done=_("The decision is recorded; the requester is told."),
        back="cases:approval_list",
    )
