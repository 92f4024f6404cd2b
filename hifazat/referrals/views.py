"""Pages of referrals: the form from a case, outgoing and incoming lists, the referral (as its sender or its
receiver sees it), the receiver's answers, and opening a case from an incoming referral."""

from __future__ import annotations

from django.contrib import messages
from django.db import models
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hifazat.cases.selectors import cases_visible_to
from hifazat.core.access import get_visible_or_404, requires
from hifazat.core.audit import audit_read
from hifazat.core.htmx import render_page_or_partial
from hifazat.core.web import page_of, submitted
from hifazat.people.services import ConsentRequired
from hifazat.referrals import services
from hifazat.referrals.forms import (
    AcceptForm,
    CompleteForm,
    DeclineForm,
    OpenCaseForm,
    ReferralFilterForm,
    ReferralForm,
    WithdrawForm,
)
from hifazat.referrals.models import ReferralStatus, SharedPart
from hifazat.referrals.selectors import (
    SENDER,
    for_lists,
    incoming_referrals,
    outgoing_referrals,
    pathways_for_area,
    providers_visible_to,
    referral_events,
    referral_side,
    referrals_visible_to,
)
from hifazat.referrals.snapshot import shown


def _filtered(request, referrals):
    form = ReferralFilterForm(request.GET or None)
    if form.is_valid():
        data = form.cleaned_data
        if data["status"]:
            referrals = referrals.filter(status=data["status"])
        if data["service"]:
            referrals = referrals.filter(service=data["service"])
        if data["overdue"]:
            referrals = referrals.filter(status=ReferralStatus.SENT, due_at__lt=timezone.now())
    return form, referrals


@requires("referrals.view")
def referral_list(request):
    """Referrals the user's organisation sent (a caseworker: theirs and their cases'), newest first."""
    form, referrals = _filtered(request, for_lists(outgoing_referrals(request.actor)))
    return render_page_or_partial(
        request,
        "referrals/referral_list.html",
        "referrals/_referral_rows.html",
        {"form": form, "page": page_of(request, referrals), "incoming": False, "now": timezone.now()},
    )


@requires("referrals.view")
def referral_incoming(request):
    """Referrals sent to the user's organisation: those awaiting an answer first, soonest due first."""
    form, referrals = _filtered(request, for_lists(incoming_referrals(request.actor)))
    awaiting_first = models.Case(
        models.When(status=ReferralStatus.SENT, then=models.Value(0)), default=models.Value(1)
    )
    referrals = referrals.order_by(awaiting_first, "due_at", "-sent_at")
    return render_page_or_partial(
        request,
        "referrals/referral_list.html",
        "referrals/_referral_rows.html",
        {"form": form, "page": page_of(request, referrals), "incoming": True, "now": timezone.now()},
    )


def _person_area(case):
    household = case.person.household
    return household.site.area if household is not None else None


@requires("referrals.send")
@require_http_methods(["GET", "POST"])
def referral_create(request, uuid):
    """Refer a case. Choosing a service redraws the provider part of the form (htmx) with the providers that offer it, those covering
    the person's area first; the pathways of the area are shown beside it. Without the person's consent the form
    says so and asks for the reason to send anyway (a supervisor) or to ask a supervisor (a caseworker)."""
    case = get_visible_or_404(
        cases_visible_to(request.actor).select_related("person__household__site__area__parent__parent"), uuid
    )
    if not case.is_open:
        messages.error(request, _("The case is closed: reopen it before referring."))
        return redirect(case)
    area = _person_area(case)
    providers = (
        providers_visible_to(request.actor)
        .filter(accepting_referrals=True)
        .exclude(organisation=request.actor.organisation)
        .order_by("name")
    )
    is_supervisor = request.actor.can("cases.approve")
    sending = request.method == "POST" and not request.POST.get("reload")
    if sending:
        data = request.POST
        initial = {}
    elif request.method == "POST":
        # A reload (the service, provider or transfer box changed) redraws the form with what was entered, by
        # POST so that nothing typed reaches a URL, and without checking it yet.
        data = None
        initial = {
            name: request.POST.getlist(name) if name == "shared_parts" else request.POST.get(name)
            for name in ReferralForm.base_fields
            if name in request.POST
        }
        initial["is_transfer"] = request.POST.get("is_transfer") == "on"
    else:
        data = None
        initial = {k: v for k, v in request.GET.items() if k in {"service", "provider"}}
    source = data if data is not None else initial
    consent_missing = _consent_missing(
        case, source.get("is_transfer") in {"on", True}, providers, source.get("provider")
    )
    form = ReferralForm(
        data,
        initial=initial,
        providers=providers,
        area=area,
        consent_missing=consent_missing,
        is_supervisor=is_supervisor,
    )
    if sending and (
        response := submitted(
            request,
            form,
            lambda data: services.referral_send(
                actor=request.actor,
                case=case,
                provider=data["provider"],
                service=data["service"],
                reason=data["reason"],
                urgency=data["urgency"],
                shared_parts=data["shared_parts"],
                support_needed=data["support_needed"],
                notes=data["notes"],
                is_transfer=data["is_transfer"],
                override_reason=data.get("override_reason", ""),
            ),
            done=_sent,
            then=lambda referral: referral,
            refusals={
                ConsentRequired: _(
                    "The person's consent for referral is not in force. Record their consent first, or give "
                    "the reason to send it anyway."
                )
            },
        )
    ):
        return response
    context = {
        "case": case,
        "form": form,
        "consent_missing": consent_missing,
        "can_record_consent": request.actor.can("people.register"),
    }
    if request.htmx and request.method == "POST" and not sending:
        # A change of service, provider or transfer box redraws only the part that depends on them: what is
        # being typed in the rest of the form stays as it is in the browser.
        return render(request, "referrals/_referral_dependent.html", context)
    context |= {"area": area, "pathways": pathways_for_area(request.actor, area)}
    return render_page_or_partial(
        request, "referrals/referral_form.html", "referrals/_referral_form.html", context
    )


def _sent(referral) -> str:
    if referral.status == ReferralStatus.AWAITING_APPROVAL:
        return _("Referral %(number)s waits for a supervisor's approval.") % {"number": referral.number}
    return _("Referral %(number)s is sent.") % {"number": referral.number}


def _consent_missing(case, is_transfer: bool, providers, provider_uuid) -> bool:
    provider = providers.filter(uuid=provider_uuid).first() if provider_uuid else None
    receiver = provider.organisation if provider else None
    return services.consent_for(case.person, is_transfer=is_transfer, receiver=receiver) is None


@requires("referrals.view")
def referral_detail(request, uuid):
    """The referral as its sender sees it (with the case and every step) or as its receiver does (the shared
    parts, the answer forms, and nothing of the sender's records). The read is audited."""
    referral = get_visible_or_404(
        referrals_visible_to(request.actor).select_related("approved_by", "override_by", "responded_by"),
        uuid,
        actor=request.actor,
        audit=True,
    )
    return render(request, "referrals/referral_detail.html", _detail_context(request, referral))


def _detail_context(request, referral, *, bound: tuple[str, object] | None = None) -> dict:
    """What the referral's page shows. ``bound``: the form the user just sent and that was refused, shown with
    its error and what they typed in place of the empty one (even where the referral's status now hides it)."""
    side = referral_side(request.actor, referral)
    receiver = side != SENDER
    can_respond = receiver and request.actor.can("referrals.respond")
    version = {"version": referral.version}
    status = referral.status
    withdrawn = status == ReferralStatus.WITHDRAWN
    # The receiver no longer reads anything of a withdrawn referral's shared parts (the snapshot is erased too).
    snapshot = {} if withdrawn and receiver else referral.snapshot
    context = {
        "referral": referral,
        "side": side,
        "is_sender": not receiver,
        "withdrawn": withdrawn,
        "parts": shown(snapshot),
        "consent": snapshot.get("consent"),
        "events": referral_events(referral, side),
        "can_respond": can_respond,
        "accept_form": AcceptForm(initial=version) if can_respond and status == ReferralStatus.SENT else None,
        "decline_form": DeclineForm(initial=version)
        if can_respond and status == ReferralStatus.SENT
        else None,
        "complete_form": CompleteForm(initial={**version, "reference": referral.receiver_reference})
        if can_respond and status == ReferralStatus.ACCEPTED
        else None,
        "withdraw_form": WithdrawForm(initial=version)
        if not receiver
        and request.actor.can("referrals.send")
        and status in services.WITHDRAWABLE
        and not (referral.is_transfer and status == ReferralStatus.ACCEPTED)
        else None,
        "can_open_case": receiver
        and request.actor.can("cases.open")
        and request.actor.can("people.register")
        and status in (ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED)
        and referral.receiver_case_id is None
        and SharedPart.NAME_AGE in referral.shared_parts,
    }
    if bound is not None:
        context[bound[0]] = bound[1]
    return context


def _act(request, referral, form_name: str, form, action, done: str):
    """Run ``action`` with the form's data; on success go back to the referral's page with ``done`` said. A
    refusal (a missing field, a conflict with someone else's change, a status that no longer allows it) shows
    the page again with the form as the user filled it and the reason; an htmx request gets the actions
    fragment alone."""
    if response := submitted(request, form, action, done=done, then=referral):
        return response
    if not request.htmx:
        audit_read(request.actor, referral)  # the whole page shows the shared parts again
    return render_page_or_partial(
        request,
        "referrals/referral_detail.html",
        "referrals/_referral_actions.html",
        _detail_context(request, referral, bound=(form_name, form)),
    )


def _incoming(request, uuid):
    return get_visible_or_404(
        incoming_referrals(request.actor).select_related("approved_by", "override_by", "responded_by"), uuid
    )


@requires("referrals.respond")
@require_POST
def referral_accept(request, uuid):
    referral = _incoming(request, uuid)

    def accept(data):
        services.referral_accept(
            actor=request.actor,
            referral=referral,
            note=data["note"],
            reference=data["reference"],
            version=data["version"],
        )

    return _act(
        request,
        referral,
        "accept_form",
        AcceptForm(request.POST),
        accept,
        _("You accepted the referral. The sender is told."),
    )


@requires("referrals.respond")
@require_POST
def referral_decline(request, uuid):
    referral = _incoming(request, uuid)

    def decline(data):
        services.referral_decline(
            actor=request.actor, referral=referral, reason=data["reason"], version=data["version"]
        )

    return _act(
        request,
        referral,
        "decline_form",
        DeclineForm(request.POST),
        decline,
        _("You declined the referral. The sender is told why."),
    )


@requires("referrals.respond")
@require_POST
def referral_complete(request, uuid):
    referral = _incoming(request, uuid)

    def complete(data):
        services.referral_complete(
            actor=request.actor,
            referral=referral,
            outcome=data["outcome"],
            reference=data["reference"],
            version=data["version"],
        )

    return _act(
        request,
        referral,
        "complete_form",
        CompleteForm(request.POST),
        complete,
        _("The referral is completed. The sender is told the outcome."),
    )


@requires("referrals.send")
@require_POST
def referral_withdraw(request, uuid):
    """The sender takes the referral back, saying why; the receiver is told and no longer reads what was
    shared."""
    referral = get_visible_or_404(
        outgoing_referrals(request.actor).select_related("approved_by", "override_by", "responded_by"), uuid
    )

    def withdraw(data):
        services.referral_withdraw(
            actor=request.actor, referral=referral, reason=data["reason"], version=data["version"]
        )

    return _act(
        request,
        referral,
        "withdraw_form",
        WithdrawForm(request.POST),
        withdraw,
        _("You withdrew the referral. The receiver is told."),
    )


@requires("cases.open")
@require_http_methods(["GET", "POST"])
def referral_open_case(request, uuid):
    """Open a case for the person referred: they are registered here from the shared parts, with the consent to
    registration recorded now."""
    referral = get_visible_or_404(incoming_referrals(request.actor), uuid)
    if referral.status == ReferralStatus.WITHDRAWN:
        messages.error(
            request, _("The sender withdrew this referral: what they shared is no longer available.")
        )
        return redirect("referrals:referral_detail", referral.uuid)
    carried = referral.snapshot.get("consent") or {}
    form = OpenCaseForm(
        request.POST or None,
        initial={
            "consent_given_by": carried.get("given_by", "self"),
            "consent_given_by_name": carried.get("given_by_name", ""),
            "child_view": carried.get("child_view", ""),
        },
    )
    if response := submitted(
        request,
        form,
        lambda data: services.referral_open_case(actor=request.actor, referral=referral, **data),
        done=lambda case: _("Case %(number)s is open.") % {"number": case.number},
        then=lambda case: case,
    ):
        return response
    return render(
        request,
        "referrals/open_case.html",
        {"referral": referral, "form": form, "parts": shown(referral.snapshot)},
    )
