"""Tracing pages: the request list and form, a request with its ranked candidates and their explanation, the
decisions on candidates, the reunification checklist, and the separated children with the requests that may be
seeking each."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from hifazat.cases.selectors import cases_visible_to
from hifazat.core.access import get_visible_or_404, requires
from hifazat.core.htmx import render_page_or_partial
from hifazat.core.web import act, page_of, refusal_text, submitted
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


def _refusals() -> dict:
    """Refusals a tracing page says in words (``core.web``): the child's consent, and a step the actor may not
    take on this request."""
    return {
        ConsentRequired: _("The child's consent for family tracing is not in force."),
        PermissionDenied: _("You may not do this."),
    }


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
        {"form": form, "page": page_of(request, requests), "can_manage": request.actor.can("tracing.manage")},
    )


@requires("tracing.manage")
@require_http_methods(["GET", "POST"])
def request_create(request):
    form = TracingRequestForm(request.POST or None, actor=request.actor)
    if response := submitted(
        request,
        form,
        lambda _data: services.tracing_request_create(actor=request.actor, **form.service_data()),
        done=lambda tracing: _("Tracing request %(number)s is recorded.") % {"number": tracing.number},
        then=lambda tracing: tracing,
        refusals=_refusals(),
    ):
        return response
    return render(request, "tracing/request_form.html", {"form": form})


def _initial(tracing) -> dict:
    names = [name for name in TracingRequestForm.base_fields if name not in {"phone", "age_years"}]
    initial = {name: getattr(tracing, name) for name in names}
    initial["phone"] = tracing.inquirer_phone
    for name in ("inquirer_site", "origin_area", "separation_area", "case"):
        value = getattr(tracing, name)
        initial[name] = value.uuid if value else None
    if tracing.birthdate_is_estimate and tracing.birthdate:
        # An estimate shows as the age it was estimated from (``people.normalise.birthdate_from_age`` in reverse).
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
    if response := submitted(
        request,
        form,
        lambda data: services.tracing_request_update(
            actor=request.actor, request=tracing, version=data["version"], **form.service_data()
        ),
        done=_("The request is changed."),
        then=tracing,
        refusals=_refusals(),
    ):
        return response
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


@requires("tracing.manage")
@require_POST
def candidate_decide(request, uuid):
    tracing = get_visible_or_404(selectors.requests_visible_to(request.actor), uuid)
    return act(
        request,
        CandidateDecisionForm(request.POST),
        lambda data: services.candidate_decide(
            actor=request.actor,
            request=tracing,
            person=get_visible_or_404(persons_visible_to(request.actor), data["person"]),
            decision=data["decision"],
            note=data["note"],
            version=data["version"],
        ),
        done=_("The decision is recorded."),
        back=tracing,
        invalid=_("Choose a decision."),
        refusals=_refusals(),
    )


@requires("tracing.manage")
@require_POST
def match_confirm(request, uuid):
    tracing = get_visible_or_404(selectors.requests_visible_to(request.actor), uuid)
    return act(
        request,
        ConfirmForm(request.POST),
        lambda data: services.match_confirm(
            actor=request.actor,
            request=tracing,
            person=get_visible_or_404(persons_visible_to(request.actor), data["person"]),
            note=data["note"],
            version=data["version"],
        ),
        done=_("The match is confirmed. Follow the reunification checklist."),
        back=tracing,
        then=reverse("tracing:checklist", args=[tracing.uuid]),
        invalid=_("Choose the child to confirm."),
        refusals=_refusals(),
    )


@requires("tracing.manage")
@require_POST
def match_withdraw(request, uuid):
    tracing = get_visible_or_404(selectors.requests_visible_to(request.actor), uuid)
    return act(
        request,
        ReasonForm(request.POST),
        lambda data: services.match_withdraw(
            actor=request.actor, request=tracing, reason=data["reason"], version=data["version"]
        ),
        done=_("The match is withdrawn; the request looks for candidates again."),
        back=tracing,
        invalid=_("Give the reason."),
        refusals=_refusals(),
    )


@requires("tracing.manage")
@require_POST
def request_refresh(request, uuid):
    tracing = get_visible_or_404(selectors.requests_visible_to(request.actor), uuid)
    return act(
        request,
        None,
        lambda _data: services.candidates_refresh(actor=request.actor, request=tracing),
        done=lambda found: (
            ngettext(
                "Looked again: %(n)s new candidate to review.",
                "Looked again: %(n)s new candidates to review.",
                len(found),
            )
            % {"n": len(found)}
        ),
        back=tracing,
        refusals=_refusals(),
    )


@requires("tracing.manage")
@require_POST
def request_close(request, uuid):
    tracing = get_visible_or_404(selectors.requests_visible_to(request.actor), uuid)
    return act(
        request,
        ReasonForm(request.POST),
        lambda data: services.tracing_request_close(
            actor=request.actor, request=tracing, reason=data["reason"], version=data["version"]
        ),
        done=_("The request is closed."),
        back=tracing,
        invalid=_("Give the reason for closing the request."),
        refusals=_refusals(),
    )


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
                messages.error(request, refusal_text(error, _refusals()))
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
    return act(
        request,
        ReunificationForm(request.POST),
        lambda data: services.reunification_record(
            actor=request.actor, request=tracing, reunified_on=data["reunified_on"], version=data["version"]
        ),
        done=_("The reunification is recorded."),
        back=reverse("tracing:checklist", args=[tracing.uuid]),
        then=tracing,
        invalid=_("Give the date of the reunification."),
        refusals=_refusals(),
    )


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
        {"form": form, "page": page_of(request, children)},
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
