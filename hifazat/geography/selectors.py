"""Reads of areas and sites. They are reference data: every member with ``geography.view`` sees all of them."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery

from hifazat.core.audit import Actor
from hifazat.geography.models import AdminArea, Site, SitePopulation


def areas_visible_to(actor: Actor | None) -> QuerySet[AdminArea]:
    if actor is None or not actor.can("geography.view"):
        return AdminArea.objects.none()
    return AdminArea.objects.select_related("parent")


def sites_visible_to(actor: Actor | None) -> QuerySet[Site]:
    """Sites with their area, district and province, and their newest population count, in one query."""
    if actor is None or not actor.can("geography.view"):
        return Site.objects.none()
    newest = SitePopulation.objects.filter(site=OuterRef("pk")).order_by("-counted_on")
    return Site.objects.select_related("area__parent__parent", "managing_organisation").annotate(
        population=Subquery(newest.values("individuals")[:1]),
        population_on=Subquery(newest.values("counted_on")[:1]),
    )


def sites_in_area(queryset: QuerySet[Site], area: AdminArea) -> QuerySet[Site]:
    """Sites in ``area`` or any area below it (the hierarchy is at most four levels deep)."""
    if area.level == 0:
        return queryset.filter(area__parent__parent__parent=area) | queryset.filter(area__parent__parent=area)
    if area.level == 1:
        return queryset.filter(area__parent__parent=area) | queryset.filter(area__parent=area)
    if area.level == 2:
        return queryset.filter(area__parent=area) | queryset.filter(area=area)
    return queryset.filter(area=area)
