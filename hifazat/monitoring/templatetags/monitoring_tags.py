"""Template helpers for the monitoring pages."""

from __future__ import annotations

from django import template

from hifazat.monitoring.models import EntityKind, ReportKind

register = template.Library()

PRIORITY_CLASSES = {
    "urgent": "text-bg-danger",
    "high": "text-bg-warning",
    "medium": "text-bg-info",
    "low": "text-bg-secondary",
}
STATUS_CLASSES = {
    "new": "text-bg-primary",
    "open": "text-bg-danger",
    "triaged": "text-bg-info",
    "acknowledged": "text-bg-warning",
    "actioned": "text-bg-success",
    "closed": "text-bg-secondary",
    "resolved": "text-bg-secondary",
}


@register.filter
def priority_class(value: str) -> str:
    """The Bootstrap badge class of a priority or severity; the word is always shown beside the colour."""
    return PRIORITY_CLASSES.get(str(value), "text-bg-light")


@register.filter
def status_class(value: str) -> str:
    return STATUS_CLASSES.get(str(value), "text-bg-light")


@register.filter
def entity_label(kind: str) -> str:
    """The human label of an entity kind (``phone`` → "Phone number")."""
    try:
        return EntityKind(kind).label
    except ValueError:
        return kind


@register.filter
def kind_label(kind: str) -> str:
    """The human label of a report kind stored in an alert's evidence."""
    try:
        return ReportKind(kind).label
    except ValueError:
        return kind
