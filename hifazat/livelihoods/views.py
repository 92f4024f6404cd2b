"""Programme pages: the list, creating and changing a programme and its rules, the programme page with its rules in
words and outcome charts, the ranked list, and the funders' figures."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hifazat.accounts.selectors import organisations_visible_to
from hifazat.core.access import get_visible_or_404, requires
from hifazat.core.htmx import render_page_or_partial
from hifazat.core.web import act, page_of, submitted
from hifazat.livelihoods import selection, services
from hifazat.livelihoods.forms import ProgrammeForm, RankingFilterForm, RuleForm, SkipForm
from hifazat.livelihoods.models import Enrolment, ProgrammeReferral
from hifazat.livelihoods.rules import programme_rules_in_words
from hifazat.livelihoods.selectors import (
    chart_data,
    enrolments_of,
    figures_policy,
    programme_figures,
    programme_figures_visible_to,
    programmes_visible_to,
    ranked_rows,
    rules_of,
    rules_visible_to,
)


@requires("livelihoods.view")
def programme_list(request):
    programmes = (
        programmes_visible_to(request.actor)
        .order_by("-starts_on", "name")
        .annotate(
            taking_part=Count(
                "enrolments",
                filter=Q(enrolments__status__in=[Enrolment.Status.ACTIVE, Enrolment.Status.COMPLETED]),
            ),
            waiting=Count("enrolments", filter=Q(enrolments__status=Enrolment.Status.WAITING)),
        )
    )
    page = page_of(request, programmes)
    return render(
        request,
        "livelihoods/programme_list.html",
        {"page": page, "can_manage": request.actor.can("livelihoods.manage")},
    )


@requires("livelihoods.manage")
@require_http_methods(["GET", "POST"])
def programme_create(request):
    form = ProgrammeForm(request.POST or None, organisations=organisations_visible_to(request.actor))
    if response := submitted(
        request,
        form,
        lambda data: services.programme_create(actor=request.actor, **data),
        done=_("The programme is created. Now add its eligibility and priority rules."),
        then=lambda programme: programme,
    ):
        return response
    return render(request, "livelihoods/programme_form.html", {"form": form})


@requires("livelihoods.manage")
@require_http_methods(["GET", "POST"])
def programme_edit(request, uuid):
    programme = get_visible_or_404(programmes_visible_to(request.actor), uuid)
    form = ProgrammeForm(
        request.POST or None,
        organisations=organisations_visible_to(request.actor),
        editing=True,
        initial=ProgrammeForm.initial_for(programme),
    )
    if response := submitted(
        request,
        form,
        lambda data: services.programme_update(actor=request.actor, programme=programme, **data),
        done=_("The programme is saved."),
        then=programme,
    ):
        return response
    return render(request, "livelihoods/programme_form.html", {"form": form, "programme": programme})


@requires("livelihoods.view")
def programme_detail(request, uuid):
    """The programme: what it offers, its rules in words (English and Urdu), places, participants with their
    totals against the budget, and the outcome charts."""
    programme = get_visible_or_404(programmes_visible_to(request.actor), uuid)
    figures = programme_figures(programme, policy=figures_policy(request.actor, programme))
    enrolments = list(enrolments_of(programme))
    return render(
        request,
        "livelihoods/programme_detail.html",
        {
            "programme": programme,
            "rules": programme_rules_in_words(programme, rules_of(programme)),
            "figures": figures,
            "chart": chart_data(figures.points, currency=programme.currency),
            "suppressed": figures.policy.controlled,
            "enrolments": enrolments,
            "sites": programme.sites.all(),
            "areas": programme.areas.all(),
            "can_manage": request.actor.can("livelihoods.manage"),
            "can_enrol": request.actor.can("livelihoods.enrol"),
        },
    )


@requires("livelihoods.manage")
@require_http_methods(["GET", "POST"])
def rule_create(request, uuid):
    programme = get_visible_or_404(programmes_visible_to(request.actor), uuid)
    form = RuleForm(request.POST or None, initial={"purpose": request.GET.get("purpose", "priority")})
    if response := submitted(
        request,
        form,
        lambda _data: services.rule_add(actor=request.actor, programme=programme, **form.service_arguments()),
        done=_("The rule is added."),
        then=programme,
    ):
        return response
    return render(request, "livelihoods/rule_form.html", {"form": form, "programme": programme})


@requires("livelihoods.manage")
@require_POST
def rule_delete(request, uuid):
    rule = get_visible_or_404(rules_visible_to(request.actor), uuid)
    programme = rule.programme
    services.rule_remove(actor=request.actor, rule=rule)
    messages.success(request, _("The rule is removed."))
    return redirect(programme)


@requires("livelihoods.enrol")
def programme_ranking(request, uuid):
    """The ranked list of eligible households with the rules each met, who may take part, and the decision taken
    about each. Paged in the database; the htmx request gets the rows alone."""
    programme = get_visible_or_404(programmes_visible_to(request.actor), uuid)
    plan = selection.plan_for(programme)
    form = RankingFilterForm(request.GET or None)
    households = selection.ranked_households(programme, plan=plan)
    if form.is_valid() and form.cleaned_data["show"] == "undecided":
        households = households.exclude(selection.decided_households(programme)).exclude(
            selection.unavailable_households(programme)
        )
    elif form.is_valid() and form.cleaned_data["show"] == "referred":
        households = households.filter(
            pk__in=ProgrammeReferral.objects.filter(programme=programme).values("household_id")
        )
    page = page_of(request, households)
    offset = (page.number - 1) * settings.HIFAZAT_PAGE_SIZE
    rows = ranked_rows(programme, page.object_list, offset, plan)
    return render_page_or_partial(
        request,
        "livelihoods/ranking.html",
        "livelihoods/_ranking_rows.html",
        {
            "programme": programme,
            "form": form,
            "page": page,
            "rows": rows,
            "rules": programme_rules_in_words(programme, rules_of(programme)),
            "places_taken": services.places_taken(programme),
            "skip_form": SkipForm(),
        },
    )


@requires("livelihoods.enrol")
@require_POST
def household_skip(request, uuid):
    programme = get_visible_or_404(programmes_visible_to(request.actor), uuid)
    form = SkipForm(request.POST)
    ranking = reverse("livelihoods:programme_ranking", args=[programme.uuid])
    if not form.is_valid():
        messages.error(request, _("Passing over a household needs a written reason."))
        return redirect(ranking)
    household = get_visible_or_404(
        programme.implementing_organisation.households.filter(is_active=True), form.cleaned_data["household"]
    )
    return act(
        request,
        form,
        lambda data: services.household_skip(
            actor=request.actor, programme=programme, household=household, reason=data["reason"]
        ),
        done=_("The household is passed over; the reason is recorded."),
        back=ranking,
    )


@requires("livelihoods.aggregates")
def figures_list(request):
    """Aggregate figures of the programmes the actor's organisation funds (donors) or runs, each through the same
    disclosure policy as its own figures page and the API (``selectors.figures_policy``)."""
    programmes = programme_figures_visible_to(request.actor).order_by("-starts_on", "name")
    rows = [(p, programme_figures(p, policy=figures_policy(request.actor, p))) for p in programmes[:50]]
    suppressed = any(figures.policy.controlled for _p, figures in rows)
    return render(request, "livelihoods/figures_list.html", {"rows": rows, "suppressed": suppressed})


@requires("livelihoods.aggregates")
def programme_figures_detail(request, uuid):
    """One programme's figures and outcome chart, with no individual record; through disclosure control for a
    funder, another organisation and analysts."""
    programme = get_visible_or_404(programme_figures_visible_to(request.actor), uuid)
    figures = programme_figures(programme, policy=figures_policy(request.actor, programme))
    return render(
        request,
        "livelihoods/figures_detail.html",
        {
            "programme": programme,
            "figures": figures,
            "chart": chart_data(figures.points, currency=programme.currency),
            "suppressed": figures.policy.controlled,
        },
    )
