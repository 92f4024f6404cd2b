"""Writes to the services directory: providers and referral pathways.

A supervisor or administrator keeps their own organisation's entries; the hosting organisation keeps the whole
directory, since many providers (a hospital, the police unit) have no users of their own here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from hifazat.core.access import require
from hifazat.core.audit import Actor, audit
from hifazat.core.models import AuditEntry
from hifazat.core.versioning import changed_fields as set_changed
from hifazat.core.versioning import check_version
from hifazat.referrals.models import Pathway, PathwayStep, ProvidedService, ServiceProvider, ServiceType

A = AuditEntry.Action

PROVIDER_FIELDS = {
    "name",
    "name_ur",
    "description",
    "contact_person",
    "phone",
    "email",
    "address",
    "hours",
    "accepting_referrals",
    "availability_note",
    "is_active",
}


def _may_manage(actor: Actor, organisation) -> None:
    require(actor, "services.manage")
    if organisation != actor.organisation and not actor.organisation.hosts_system:
        raise PermissionDenied("you keep your own organisation's entries in the directory")


def _clean_services(services: Iterable[str]) -> list[str]:
    chosen = sorted(set(services))
    if not chosen:
        raise ValidationError({"services": "Choose at least one service."})
    unknown = set(chosen) - set(ServiceType.values)
    if unknown:
        raise ValidationError({"services": f"Unknown services: {sorted(unknown)}."})
    return chosen


def _clean_areas(areas) -> list:
    areas = list(areas)
    if not areas:
        raise ValidationError({"areas": "Choose at least one area the provider covers."})
    return areas


@transaction.atomic
def provider_create(
    *, actor: Actor, organisation, services: Iterable[str], areas, **data: Any
) -> ServiceProvider:
    """Add a provider with the services it offers and the areas it covers (covering an area covers the areas
    below it)."""
    _may_manage(actor, organisation)
    unknown = set(data) - PROVIDER_FIELDS
    if unknown:
        raise ValueError(f"unknown provider fields: {sorted(unknown)}")
    chosen, areas = _clean_services(services), _clean_areas(areas)
    provider = ServiceProvider(
        organisation=organisation, created_by=actor.user, modified_by=actor.user, **data
    )
    provider.full_clean()
    provider.save()
    ProvidedService.objects.bulk_create(ProvidedService(provider=provider, service=s) for s in chosen)
    provider.areas.set(areas)
    audit(actor, A.CREATE, provider, services=chosen, areas=len(areas))
    return provider


@transaction.atomic
def provider_update(
    *,
    actor: Actor,
    provider: ServiceProvider,
    services: Iterable[str] | None = None,
    areas=None,
    version: int | None = None,
    **data: Any,
) -> ServiceProvider:
    """Change a provider: its details, services, areas, or whether it accepts referrals now. Only the fields
    that changed are written; an edit that started from an older ``version`` is refused (``EditConflict``), and
    any edit claims the provider's version, so two people changing its services or areas at once cannot both
    win."""
    _may_manage(actor, provider.organisation)
    unknown = set(data) - PROVIDER_FIELDS
    if unknown:
        raise ValueError(f"unknown provider fields: {sorted(unknown)}")
    provider = ServiceProvider.objects.select_for_update().get(pk=provider.pk)
    check_version(provider, version)
    changed = set_changed(provider, data)
    provider.modified_by = actor.user
    provider.full_clean()
    provider.save(update_fields=[*changed, "modified_by"])
    if services is not None:
        chosen = _clean_services(services)
        if chosen != sorted(provider.service_values):
            provider.services.exclude(service__in=chosen).delete()
            have = set(provider.services.values_list("service", flat=True))
            ProvidedService.objects.bulk_create(
                ProvidedService(provider=provider, service=s) for s in chosen if s not in have
            )
            changed.append("services")
    if areas is not None:
        areas = _clean_areas(areas)
        if {a.pk for a in areas} != set(provider.areas.values_list("pk", flat=True)):
            provider.areas.set(areas)
            changed.append("areas")
    audit(actor, A.UPDATE, provider, fields=sorted(changed))
    return provider


def _clean_steps(steps: list[dict]) -> list[dict]:
    """Steps as ``{"service", "provider", "notes"}`` in order; the provider, if named, must offer the service."""
    if not steps:
        raise ValidationError({"steps": "A pathway has at least one step."})
    for number, step in enumerate(steps, 1):
        if step.get("service") not in ServiceType.values:
            raise ValidationError({"steps": f"Step {number}: choose a service."})
        provider = step.get("provider")
        if provider is not None and step["service"] not in provider.service_values:
            raise ValidationError(
                {
                    "steps": f"Step {number}: {provider.name} does not offer {ServiceType(step['service']).label}."
                }
            )
    return steps


def _write_steps(pathway: Pathway, steps: list[dict]) -> None:
    pathway.steps.all().delete()
    rows = [
        PathwayStep(
            pathway=pathway,
            order=number,
            service=step["service"],
            provider=step.get("provider"),
            notes=step.get("notes", ""),
        )
        for number, step in enumerate(steps, 1)
    ]
    for row in rows:
        row.full_clean(exclude=["pathway"])
    PathwayStep.objects.bulk_create(rows)


@transaction.atomic
def pathway_create(
    *,
    actor: Actor,
    area,
    title: str,
    steps: list[dict],
    title_ur: str = "",
    description: str = "",
) -> Pathway:
    """Add a referral pathway for ``area`` (and the areas below it), maintained by the actor's organisation."""
    require(actor, "services.manage")
    steps = _clean_steps(steps)
    pathway = Pathway(
        organisation=actor.organisation,
        area=area,
        title=title,
        title_ur=title_ur,
        description=description,
        created_by=actor.user,
        modified_by=actor.user,
    )
    pathway.full_clean()
    pathway.save()
    _write_steps(pathway, steps)
    audit(actor, A.CREATE, pathway, steps=len(steps))
    return pathway


@transaction.atomic
def pathway_update(
    *,
    actor: Actor,
    pathway: Pathway,
    steps: list[dict] | None = None,
    version: int | None = None,
    **data: Any,
) -> Pathway:
    """Change a pathway's details or replace its steps. Only changed fields are written; an edit that started
    from an older ``version`` is refused (``EditConflict``), and every edit claims the version, so two people
    replacing the steps at once cannot both win."""
    _may_manage(actor, pathway.organisation)
    unknown = set(data) - {"area", "title", "title_ur", "description", "is_active"}
    if unknown:
        raise ValueError(f"unknown pathway fields: {sorted(unknown)}")
    pathway = Pathway.objects.select_for_update().get(pk=pathway.pk)
    check_version(pathway, version)
    changed = set_changed(pathway, data)
    pathway.modified_by = actor.user
    pathway.full_clean()
    pathway.save(update_fields=[*changed, "modified_by"])
    if steps is not None:
        _write_steps(pathway, _clean_steps(steps))
        changed.append("steps")
    audit(actor, A.UPDATE, pathway, fields=sorted(changed))
    return pathway
