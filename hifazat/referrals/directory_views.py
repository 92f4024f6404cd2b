"""Pages of the services directory: providers and referral pathways, to browse (by area and service) and to keep."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hifazat.accounts.selectors import organisations_visible_to
from hifazat.core.access import get_visible_or_404, requires
from hifazat.core.htmx import render_page_or_partial
from hifazat.core.web import page_of, submitted
from hifazat.referrals import directory_services
from hifazat.referrals.forms import (
    DirectoryFilterForm,
    PathwayForm,
    PathwayStepFormSet,
    ProviderForm,
    steps_from,
)
from hifazat.referrals.selectors import (
    pathways_for_area,
    pathways_managed_by,
    pathways_visible_to,
    providers_covering,
    providers_managed_by,
    providers_offering,
    providers_visible_to,
)


@requires("services.view")
def provider_list(request):
    """The directory: filter by the area a person lives in (providers covering it or an area above it) and by
    service."""
    form = DirectoryFilterForm(request.GET or None)
    providers = providers_visible_to(request.actor).order_by("name")
    area = None
    if form.is_valid():
        data = form.cleaned_data
        area = data["area"]
        if area:
            providers = providers_covering(providers, area)
        if data["service"]:
            providers = providers_offering(providers, data["service"])
        if data["accepting"]:
            providers = providers.filter(accepting_referrals=True)
    return render_page_or_partial(
        request,
        "referrals/provider_list.html",
        "referrals/_provider_rows.html",
        {
            "form": form,
            "page": page_of(request, providers),
            "pathways": pathways_for_area(request.actor, area),
            "area": area,
            "can_manage": request.actor.can("services.manage"),
        },
    )


@requires("services.view")
def provider_detail(request, uuid):
    provider = get_visible_or_404(providers_visible_to(request.actor), uuid)
    return render(
        request,
        "referrals/provider_detail.html",
        {
            "provider": provider,
            "can_edit": providers_managed_by(request.actor).filter(pk=provider.pk).exists(),
        },
    )


def _provider_form(request, provider=None):
    organisations = (
        organisations_visible_to(request.actor)
        if request.actor.organisation.hosts_system
        else organisations_visible_to(request.actor).filter(pk=request.actor.organisation.pk)
    )
    initial = ProviderForm.initial_for(provider) if provider else {"organisation": request.actor.organisation}
    return ProviderForm(request.POST or None, organisations=organisations, initial=initial)


@requires("services.manage")
@require_http_methods(["GET", "POST"])
def provider_create(request):
    form = _provider_form(request)
    if response := submitted(
        request,
        form,
        # a new provider has no version yet
        lambda data: directory_services.provider_create(
            actor=request.actor, **{k: v for k, v in data.items() if k != "version"}
        ),
        done=_("The provider is in the directory."),
        then=lambda provider: provider,
    ):
        return response
    return render(request, "referrals/provider_form.html", {"form": form})


@requires("services.manage")
@require_http_methods(["GET", "POST"])
def provider_edit(request, uuid):
    provider = get_visible_or_404(providers_managed_by(request.actor), uuid)
    form = _provider_form(request, provider)
    if form.is_bound and form.is_valid() and form.cleaned_data["organisation"] != provider.organisation:
        form.add_error("organisation", _("A provider stays with its organisation: add a new one instead."))
    if response := submitted(
        request,
        form,
        lambda data: directory_services.provider_update(
            actor=request.actor,
            provider=provider,
            **{k: v for k, v in data.items() if k != "organisation"},
        ),
        done=_("The provider is updated."),
        then=provider,
    ):
        return response
    return render(request, "referrals/provider_form.html", {"form": form, "provider": provider})


@requires("services.view")
def pathway_list(request):
    """Referral pathways, by area (a pathway applies in its area and every area below it)."""
    form = DirectoryFilterForm(request.GET or None)
    pathways = pathways_visible_to(request.actor).order_by("area__name", "title")
    if form.is_valid() and form.cleaned_data["area"]:
        pathways = pathways_for_area(request.actor, form.cleaned_data["area"])
    return render(
        request,
        "referrals/pathway_list.html",
        {"form": form, "pathways": pathways, "can_manage": request.actor.can("services.manage")},
    )


@requires("services.view")
def pathway_detail(request, uuid):
    pathway = get_visible_or_404(pathways_visible_to(request.actor), uuid)
    return render(
        request,
        "referrals/pathway_detail.html",
        {"pathway": pathway, "can_edit": pathways_managed_by(request.actor).filter(pk=pathway.pk).exists()},
    )


def _save_pathway(request, form, formset, save):
    if not formset.is_valid():
        return None
    return submitted(
        request,
        form,
        lambda data: save(dict(data), steps_from(formset)),
        done=_("The pathway is saved."),
        then=lambda pathway: pathway,
    )


@requires("services.manage")
@require_http_methods(["GET", "POST"])
def pathway_create(request):
    form = PathwayForm(request.POST or None)
    formset = PathwayStepFormSet(request.POST or None, prefix="steps")
    done = _save_pathway(
        request,
        form,
        formset,
        lambda data, steps: directory_services.pathway_create(
            actor=request.actor, steps=steps, **{k: v for k, v in data.items() if k != "version"}
        ),
    )
    return done or render(request, "referrals/pathway_form.html", {"form": form, "formset": formset})


@requires("services.manage")
@require_http_methods(["GET", "POST"])
def pathway_edit(request, uuid):
    pathway = get_visible_or_404(pathways_managed_by(request.actor), uuid)
    form = PathwayForm(
        request.POST or None,
        initial={
            "area": pathway.area,
            "title": pathway.title,
            "title_ur": pathway.title_ur,
            "description": pathway.description,
            "version": pathway.version,
        },
    )
    formset = PathwayStepFormSet(
        request.POST or None,
        prefix="steps",
        initial=[
            {"service": s.service, "provider": s.provider, "notes": s.notes}
            for s in pathway.steps.select_related("provider").order_by("order")
        ],
    )
    done = _save_pathway(
        request,
        form,
        formset,
        lambda data, steps: directory_services.pathway_update(
            actor=request.actor, pathway=pathway, steps=steps, version=data.pop("version"), **data
        ),
    )
    return done or render(
        request, "referrals/pathway_form.html", {"form": form, "formset": formset, "pathway": pathway}
    )
