"""Tracing pages: the request list and form, a request with its ranked candidates and their explanation, the
decisions on candidates, the reunification checklist, and the separated children with the requests that may be
seeking each."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from hifazat.cases.selectors import cases_visible_to
from hifazat.core.access import get_visible_or_404, requires
from hifazat.core.htmx import render_page_or_partial
from hifazat.matching import search_keys
from hifazat.people.search import person_search
from hifazat.people.selectors import persons_visible_to
from hifazat.people.services import ConsentRequired
from hifazat.tracing import selectors, services
from hifazat.tracing.forms import (
    CandidateDecisionForm,
    ChecklistForm,
    ChildFilterForm,
    ConfirmForm,
    ReasonForm,
    RequestFilterForm,
    ReunificationForm,
    TracingRequestForm,
)
from hifazat.tracing.models import (
    ACTIVE_STATUSES,
    ChecklistItem,
    TracingRequestKey,
    TracingStatus,
)
from hifazat.tracing.scoring import UNLIKELY


def _page(request, queryset):
    return Paginator(queryset, settings.HIFAZAT_PAGE_SIZE).get_page(request.GET.get("page"))


def _error_text(error: ValidationError | PermissionDenied) -> str:
    if isinstance(error, ConsentRequired):
        return _("The child's consent for family tracing is not in force.")
    if isinstance(error, PermissionDenied):
        return _("You may not do this.")
    return " ".join(error.messages)


@requires("tracing.view")
def request_list(request):
    form = RequestFilterForm(request.GET or None)
    requests = selectors.requests_visible_to(request.actor).order_by("-received_on", "-id")
    if form.is_valid():
        data = form.cleaned_data
        if data["status"]:
            requests = requests.filter(status=data["status"])
        if data["to_review"]:
            requests = requests.filter(pk__in=[r.pk for r, _n in selectors.requests_to_review(request.actor)])
        text = data["q"].strip()
        if text:
            by_number = requests.filter(number__iexact=text)
            keys = search_keys(text)
            if keys:
                # Names through the requests' key table (active requests are filed there), as the registry's
                # name search does; closed requests are found by their number.
                for key in keys:
                    requests = requests.filter(
                        pk__in=TracingRequestKey.objects.filter(key=key).values("request_id")
                    )
                requests = requests | by_number
            else:
                requests = by_number
    return render_page_or_partial(
        request,
        "tracing/request_list.html",
        "tracing/_request_rows.html",
        {"form": form, "page": _page(request, requests), "can_manage": request.actor.can("tracing.manage")},
    )


@requires("tracing.manage")
@require_http_methods(["GET", "POST"])
def request_create(request):
    form = TracingRequestForm(request.POST or None, actor=request.actor)
    if request.method == "POST" and form.is_valid():
        try:
            tracing = services.tracing_request_create(actor=request.actor, **form.service_data())
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(
                request, _("Tracing request %(number)s is recorded.") % {"number": tracing.number}
            )
            return redirect("tracing:request_detail", tracing.uuid)
    return render(request, "tracing/request_form.html", {"form": form})


def _initial(tracing) -> dict:
    names = [name for name in TracingRequestForm.base_fields if name not in {"phone", "age_years"}]
    initial = {name: getattr(tracing, name) for name in names}
    initial["phone"] = tracing.inquirer_phone
    for name in ("inquirer_site", "origin_area", "separation_area", "case"):
        value = getattr(tracing, name)
        initial[name] = value.uuid if value else None
    if tracing.birthdate_is_estimate and tracing.birthdate:
        # An estimate shows as the age it was estimated from (``services._birthdate_from_age`` in reverse).
        on = tracing.received_on
        initial["birthdate"] = None
        initial["age_years"] = on.year - (1 if (on.month, on.day) < (7, 1) else 0) - tracing.birthdate.year
    return initial


@requires("tracing.manage")
@require_http_methods(["GET", "POST"])
def request_edit(request, uuid):
    tracing = get_visible_or_404(selectors.requests_visible_to(request.actor), uuid)
    if tracing.status in (TracingStatus.REUNIFIED, TracingStatus.CLOSED):
        messages.info(request, _("A reunified or closed request is not changed."))
        return redirect("tracing:request_detail", tracing.uuid)
    form = TracingRequestForm(request.POST or None, actor=request.actor, initial=_initial(tracing))
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        try:
            services.tracing_request_update(
                actor=request.actor, request=tracing, version=form.cleaned_data["version"], **data
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("The request is changed."))
            return redirect("tracing:request_detail", tracing.uuid)
    return render(request, "tracing/request_form.html", {"form": form, "tracing": tracing})


@requires("tracing.view")
def request_detail(request, uuid):
    """The request, its ranked candidates with the explanation of each score, and what was decided. The read is
    audited: the page holds the inquirer's and the child's details."""
    tracing = get_visible_or_404(
        selectors.requests_visible_to(request.actor).select_related("inquirer_site", "matched_by"),
        uuid,
        actor=request.actor,
        audit=True,
    )
    candidates = selectors.candidates_for_request(request.actor, tracing)
    likely, unlikely = _split_candidates(candidates)
    can_manage = request.actor.can("tracing.manage")
    return render(
        request,
        "tracing/request_detail.html",
        {
            "tracing": tracing,
            "candidates": likely,
            "unlikely": unlikely,
            "matched": selectors.matched_child(request.actor, tracing),
            "is_active": tracing.status in ACTIVE_STATUSES,
            "can_manage": can_manage,
            "checklist": [
                (ChecklistItem(item).label, entry) for item, entry in selectors.checklist_of(tracing).items()
            ]
            if tracing.matched_person_id
            else [],
            "close_form": ReasonForm(initial={"version": tracing.version}) if can_manage else None,
            "case_visible": tracing.case_id is not None
            and cases_visible_to(request.actor).filter(pk=tracing.case_id).exists(),
        },
    )


def _split_candidates(candidates: list) -> tuple[list, list]:
    """The candidates worth the team's attention (a likely or possible match, or one proposed or confirmed) and
    the unlikely rest, which the page folds away: ten full comparisons on a phone hide the one that matters."""
    shown, folded = [], []
    for candidate in candidates:
        keep = candidate.match.band != UNLIKELY or candidate.status in {"proposed", "confirmed"}
        (shown if keep else folded).append(candidate)
    return shown, folded


def _person_from(request, form) -> object:
    """The child named in a decision form, among those the actor may see (404 otherwise)."""
    return get_visible_or_404(persons_visible_to(request.actor), form.cleaned_data["person"])


@requires("tracing.manage")
@require_POST
def candidate_decide(request, uuid):
    tracing = get_visible_or_404(selectors.requests_visible_to(request.actor), uuid)
    form = CandidateDecisionForm(request.POST)
    if form.is_valid():
        person = _person_from(request, form)
        try:
            services.candidate_decide(
                actor=request.actor,
                request=tracing,
                person=person,
                decision=form.cleaned_data["decision"],
                note=form.cleaned_data["note"],
                version=form.cleaned_data["version"],
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("The decision is recorded."))
    else:
        messages.error(request, _("Choose a decision."))
    return redirect("tracing:request_detail", tracing.uuid)


@requires("tracing.manage")
@require_POST
def match_confirm(request, uuid):
    tracing = get_visible_or_404(selectors.requests_visible_to(request.actor), uuid)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the child to confirm."))
        return redirect("tracing:request_detail", tracing.uuid)
    person = _person_from(request, form)
    try:
        services.match_confirm(
            actor=request.actor,
            request=tracing,
            person=person,
            note=form.cleaned_data["note"],
            version=form.cleaned_data["version"],
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _error_text(error))
        return redirect("tracing:request_detail", tracing.uuid)
    messages.success(request, _("The match is confirmed. Follow the reunification checklist."))
    return redirect("tracing:checklist", tracing.uuid)


@requires("tracing.manage")
@require_POST
def match_withdraw(request, uuid):
    tracing = get_visible_or_404(selectors.requests_visible_to(request.actor), uuid)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.match_withdraw(
                actor=request.actor,
                request=tracing,
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("The match is withdrawn; the request looks for candidates again."))
    else:
        messages.error(request, _("Give the reason."))
    return redirect("tracing:request_detail", tracing.uuid)


@requires("tracing.manage")
@require_POST
def request_refresh(request, uuid):
    tracing = get_visible_or_404(selectors.requests_visible_to(request.actor), uuid)
    try:
        found = services.candidates_refresh(actor=request.actor, request=tracing)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            ngettext(
                "Looked again: %(n)s new candidate to review.",
                "Looked again: %(n)s new candidates to review.",
                len(found),
            )
            % {"n": len(found)},
        )
    return redirect("tracing:request_detail", tracing.uuid)


@requires("tracing.manage")
@require_POST
def request_close(request, uuid):
    tracing = get_visible_or_404(selectors.requests_visible_to(request.actor), uuid)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.tracing_request_close(
                actor=request.actor,
                request=tracing,
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("The request is closed."))
    else:
        messages.error(request, _("Give the reason for closing the request."))
    return redirect("tracing:request_detail", tracing.uuid)


@requires("tracing.view")
@require_http_methods(["GET", "POST"])
def checklist(request, uuid):
    """The reunification checklist of a matched request: each item with who recorded it and how, a form for the
    next ones, and the reunification once all are done. Recording needs ``tracing.manage`` (the best-interests
    decision ``tracing.approve``)."""
    tracing = get_visible_or_404(selectors.requests_visible_to(request.actor), uuid)
    forms_by_item = {}
    if request.method == "POST":
        if not request.actor.can("tracing.manage"):
            raise PermissionDenied
        form = ChecklistForm(request.POST)
        if form.is_valid():
            try:
                services.checklist_record(
                    actor=request.actor,
                    request=tracing,
                    item=form.cleaned_data["item"],
                    note=form.cleaned_data["note"],
                    outcome=form.cleaned_data.get("outcome", ""),
                )
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, _error_text(error))
            else:
                messages.success(request, _("The checklist item is recorded."))
                return redirect("tracing:checklist", tracing.uuid)
        forms_by_item[form.data.get("item")] = form
    entries = selectors.checklist_of(tracing)
    missing = [item for item, entry in entries.items() if entry is None]
    can_record = tracing.status == TracingStatus.MATCHED and request.actor.can("tracing.manage")
    items = []
    for item, entry in entries.items():
        needs_supervisor = item == ChecklistItem.BEST_INTERESTS
        ready = not needs_supervisor or missing == [item]
        allowed = can_record and (not needs_supervisor or request.actor.can("tracing.approve"))
        items.append(
            {
                "item": item,
                "label": ChecklistItem(item).label,
                "entry": entry,
                "form": (forms_by_item.get(item) or ChecklistForm(item=item))
                if entry is None and allowed and ready
                else None,
                "waits_for_supervisor": entry is None and needs_supervisor and ready and not allowed,
            }
        )
    return render(
        request,
        "tracing/checklist.html",
        {
            "tracing": tracing,
            "matched": selectors.matched_child(request.actor, tracing),
            "items": items,
            "complete": not missing,
            "reunify_form": ReunificationForm(initial={"version": tracing.version})
            if can_record and not missing
            else None,
        },
    )


@requires("tracing.manage")
@require_POST
def reunify(request, uuid):
    tracing = get_visible_or_404(selectors.requests_visible_to(request.actor), uuid)
    form = ReunificationForm(request.POST)
    if form.is_valid():
        try:
            services.reunification_record(
                actor=request.actor,
                request=tracing,
                reunified_on=form.cleaned_data["reunified_on"],
                version=form.cleaned_data["version"],
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("The reunification is recorded."))
            return redirect("tracing:request_detail", tracing.uuid)
    else:
        messages.error(request, _("Give the date of the reunification."))
    return redirect("tracing:checklist", tracing.uuid)


@requires("tracing.view")
def child_list(request):
    """The separated children who may be searched in tracing (their family-tracing consent in force)."""
    form = ChildFilterForm(request.GET or None)
    children = selectors.tracing_children_visible_to(request.actor).select_related("household__site")
    if form.is_valid() and form.cleaned_data["q"].strip():
        children = person_search(children, form.cleaned_data["q"])
    else:
        children = children.order_by("first_name", "second_name", "pk")
    return render_page_or_partial(
        request,
        "tracing/child_list.html",
        "tracing/_child_rows.html",
        {"form": form, "page": _page(request, children)},
    )


@requires("tracing.view")
def child_detail(request, uuid):
    """A registered child and the tracing requests that may be seeking them, ranked with the explanation; the
    requests already matched to them. Without family-tracing consent in force, nothing is searched or shown."""
    person = get_visible_or_404(
        persons_visible_to(request.actor).select_related("household__site"),
        uuid,
        actor=request.actor,
        audit=True,
    )
    traceable = selectors.is_tracing_child(request.actor, person)
    context = {
        "person": person,
        "traceable": traceable,
        "can_record_consent": request.actor.can("people.register"),
    }
    if traceable:
        context |= {
            "candidates": selectors.candidates_for_child(request.actor, person),
            "matched_requests": selectors.requests_for_person(request.actor, person),
        }
    return render(request, "tracing/child_detail.html", context)
