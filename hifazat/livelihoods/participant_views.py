"""Participant pages: enrolling a member of a ranked household, a participant's support against the budget and
their follow-up visits, ending a participation, and a caseworker's referral from a case."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hifazat.core.access import get_visible_or_404, requires
from hifazat.core.web import act, submitted
from hifazat.livelihoods import selection, services
from hifazat.livelihoods.forms import (
    EndForm,
    EnrolForm,
    ReferralForm,
    SupportForm,
    VisitForm,
)
from hifazat.livelihoods.models import Programme
from hifazat.livelihoods.selectors import (
    enrolment_budget,
    enrolments_visible_to,
    programmes_visible_to,
    support_plans_visible_to,
    visits_visible_to,
)
from hifazat.people.services import ConsentRequired


@requires("livelihoods.enrol")
@require_http_methods(["GET", "POST"])
def enrolment_create(request, uuid):
    """Enrol a member of the household ``?household=<uuid>`` (from the ranked list). Without a household, back
    to the ranked list. The form asks for a reason when the decision passes over higher-ranked households."""
    programme = get_visible_or_404(programmes_visible_to(request.actor), uuid)
    household_uuid = request.POST.get("household") or request.GET.get("household")
    if not household_uuid:
        return redirect("livelihoods:programme_ranking", programme.uuid)
    household = get_visible_or_404(
        programme.implementing_organisation.households.filter(is_active=True).select_related("site"),
        household_uuid,
    )
    plan = selection.plan_for(programme)
    participants = selection.participants_in(plan, [household.pk]).get(household.pk, [])
    score, met = selection.score_of(programme, household, plan)
    going_active = services.places_taken(programme) < programme.capacity
    passed = selection.passed_over(programme, household, score, going_active=going_active, plan=plan)
    form = EnrolForm(request.POST or None, participants=participants)
    if response := submitted(
        request,
        form,
        lambda data: services.enrol(actor=request.actor, programme=programme, **data),
        done=_enrolled,
        then=reverse("livelihoods:programme_ranking", args=[programme.uuid]),
        refusals=_consent_refusal(),
    ):
        return response
    return render(
        request,
        "livelihoods/enrol_form.html",
        {
            "programme": programme,
            "household": household,
            "participants": participants,
            "form": form,
            "eligible": selection.is_eligible(programme, household, plan),
            "passed_over": passed,
            "going_active": going_active,
            "reasons": [rule for n, (rule, _q) in enumerate(plan.priority) if n in met],
        },
    )


def _consent_refusal() -> dict:
    return {
        ConsentRequired: _(
            "This person's consent to registration is not in force: it was withdrawn or never given."
        )
    }


def _enrolled(enrolment) -> str | tuple[int, str]:
    if enrolment.status == enrolment.Status.WAITING:
        return messages.WARNING, _("Every place is taken: the household is on the waiting list.")
    return _("%(name)s is enrolled.") % {"name": enrolment.person.full_name}


@requires("livelihoods.view")
def enrolment_detail(request, uuid):
    """A participant: support received with the total against the budget (a warning over it), and the follow-up
    visits. The read is audited: it shows a person's record."""
    return _render_detail(request, uuid)


def _render_detail(request, uuid, *, end_form: EndForm | None = None):
    """The participant's page; ``end_form`` is an ending refused because another officer changed the enrolment
    meanwhile, shown again as filled in, below the message saying so."""
    enrolment = get_visible_or_404(
        enrolments_visible_to(request.actor).select_related("referral__case"),
        uuid,
        actor=request.actor,
        audit=True,
    )
    return render(
        request,
        "livelihoods/enrolment_detail.html",
        {
            "enrolment": enrolment,
            "programme": enrolment.programme,
            "support": enrolment.support.select_related("verified_by").order_by("delivered_on", "pk"),
            "visits": enrolment.visits.select_related("visited_by").order_by("due_on"),
            "budget": enrolment_budget(enrolment),
            "end_form": end_form or EndForm(initial={"version": enrolment.version}),
            "can_enrol": request.actor.can("livelihoods.enrol"),
        },
    )


@requires("livelihoods.enrol")
@require_POST
def enrolment_end(request, uuid):
    enrolment = get_visible_or_404(enrolments_visible_to(request.actor), uuid)
    return act(
        request,
        EndForm(request.POST),
        lambda data: services.enrolment_end(actor=request.actor, enrolment=enrolment, **data),
        done=_("The participation is ended."),
        back=enrolment,
        invalid=_("Choose an outcome."),
        conflict=lambda form: _render_detail(request, uuid, end_form=form),
    )


@requires("livelihoods.enrol")
@require_http_methods(["GET", "POST"])
def support_create(request, uuid):
    enrolment = get_visible_or_404(enrolments_visible_to(request.actor), uuid)
    form = SupportForm(
        request.POST or None,
        organisation=request.actor.organisation,
        initial={"currency": enrolment.programme.currency, "verified_by": request.user.uuid},
    )
    if response := submitted(
        request,
        form,
        lambda data: services.support_record(actor=request.actor, enrolment=enrolment, **data),
        done=lambda _support: _support_said(enrolment),
        then=enrolment,
    ):
        return response
    return render(
        request,
        "livelihoods/support_form.html",
        {"form": form, "enrolment": enrolment, "budget": enrolment_budget(enrolment)},
    )


def _support_said(enrolment) -> str | tuple[int, str]:
    budget = enrolment_budget(enrolment)
    if not budget.over:
        return _("The support is recorded.")
    return messages.WARNING, _(
        "Recorded. The support given is now over the budget per participant: %(spent)s of %(budget)s %(currency)s."
    ) % {"spent": budget.spent, "budget": budget.budget, "currency": budget.currency}


@requires("livelihoods.enrol")
@require_http_methods(["GET", "POST"])
def visit_record(request, uuid):
    visit = get_visible_or_404(visits_visible_to(request.actor), uuid)
    initial = {"status": "done"}
    if visit.visited_on:
        initial.update(
            visited_on=visit.visited_on, income=visit.income, employment=visit.employment, note=visit.note
        )
    form = VisitForm(request.POST or None, initial=initial)
    if response := submitted(
        request,
        form,
        lambda data: services.visit_record(actor=request.actor, visit=visit, **data),
        done=_("The follow-up visit is recorded."),
        then=visit.enrolment,
    ):
        return response
    return render(
        request, "livelihoods/visit_form.html", {"form": form, "visit": visit, "enrolment": visit.enrolment}
    )


@requires("cases.edit")
@require_http_methods(["GET", "POST"])
def referral_create(request, uuid):
    """From a case's livelihood support plan: refer its person to one of the organisation's open programmes."""
    plan = get_visible_or_404(support_plans_visible_to(request.actor).select_related("case__person"), uuid)
    programmes = Programme.objects.filter(
        implementing_organisation=request.actor.organisation, status=Programme.Status.OPEN
    ).order_by("name")
    form = ReferralForm(request.POST or None, programmes=programmes)
    if response := submitted(
        request,
        form,
        lambda data: services.referral_create(actor=request.actor, support_plan=plan, **data),
        done=_("The person is referred; the livelihood officers are told."),
        then=plan.case,
        refusals=_consent_refusal(),
    ):
        return response
    return render(request, "livelihoods/referral_form.html", {"form": form, "case": plan.case, "plan": plan})
