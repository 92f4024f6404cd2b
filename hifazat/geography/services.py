"""Writes to admin areas, sites and population counts."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from hifazat.core.audit import Actor, audit, changed_fields
from hifazat.core.models import AuditEntry
from hifazat.geography.models import AdminArea, Site, SitePopulation

A = AuditEntry.Action


def _require_manage(actor: Actor) -> None:
    if not actor.can("geography.manage"):
        raise PermissionDenied("only administrators change reference geography")


@transaction.atomic
def area_create(
    *, actor: Actor, pcode: str, name: str, level: int, parent: AdminArea | None, name_ur: str = ""
) -> AdminArea:
    _require_manage(actor)
    area = AdminArea(
        pcode=pcode,
        name=name,
        name_ur=name_ur,
        level=level,
        parent=parent,
        created_by=actor.user,
        modified_by=actor.user,
    )
    area.full_clean()
    area.save()
    audit(actor, A.CREATE, area)
    return area


@transaction.atomic
def area_update(*, actor: Actor, area: AdminArea, **data: Any) -> AdminArea:
    _require_manage(actor)
    changed = changed_fields(area, data)
    for field, value in data.items():
        setattr(area, field, value)
    area.modified_by = actor.user
    area.full_clean()
    area.save()
    audit(actor, A.UPDATE, area, fields=changed)
    return area


SITE_FIELDS = {
    "name",
    "name_ur",
    "site_type",
    "area",
    "latitude",
    "longitude",
    "managing_organisation",
    "capacity",
    "is_open",
}


@transaction.atomic
def site_create(*, actor: Actor, code: str, **data: Any) -> Site:
    _require_manage(actor)
    unknown = set(data) - SITE_FIELDS
    if unknown:
        raise ValueError(f"unknown site fields: {sorted(unknown)}")
    site = Site(code=code, created_by=actor.user, modified_by=actor.user, **data)
    site.full_clean()
    site.save()
    audit(actor, A.CREATE, site)
    return site


@transaction.atomic
def site_update(*, actor: Actor, site: Site, **data: Any) -> Site:
    _require_manage(actor)
    unknown = set(data) - SITE_FIELDS
    if unknown:
        raise ValueError(f"unknown site fields: {sorted(unknown)}")
    changed = changed_fields(site, data)
    for field, value in data.items():
        setattr(site, field, value)
    site.modified_by = actor.user
    site.full_clean()
    site.save()
    audit(actor, A.UPDATE, site, fields=changed)
    return site


@transaction.atomic
def site_population_record(
    *,
    actor: Actor,
    site: Site,
    counted_on: datetime.date,
    individuals: int,
    households: int | None = None,
    source: str = "",
) -> SitePopulation:
    """Record a population count; a second count for the same day replaces the first."""
    _require_manage(actor)
    count = SitePopulation.objects.filter(site=site, counted_on=counted_on).first() or SitePopulation(
        site=site, counted_on=counted_on, created_by=actor.user
    )
    is_new = count.pk is None
    count.individuals, count.households, count.source = individuals, households, source
    count.modified_by = actor.user
    count.full_clean()
    count.save()
    audit(actor, A.CREATE if is_new else A.UPDATE, count, site=str(site.uuid))
    return count
