"""Template helpers for the case pages, and the list of a person's cases on the person page."""

from __future__ import annotations

from django import forms, template
from django.template.loader import render_to_string

from hifazat.cases.selectors import cases_visible_to, with_overdue_followups

register = template.Library()

STATUS_CLASSES = {
    "Active": "text-bg-primary",
    "FollowUp": "text-bg-info",
    "Closed": "text-bg-secondary",
    "ClosedReferred": "text-bg-secondary",
}


@register.filter
def case_status_class(status: str) -> str:
    """The badge class for a case status; the status's name is always shown beside the colour."""
    return STATUS_CLASSES.get(str(status), "text-bg-secondary")


@register.filter
def is_multi_checkbox(bound_field) -> bool:
    return isinstance(bound_field.field.widget, forms.CheckboxSelectMultiple)


@register.simple_tag(takes_context=True)
def render_panel(context, panel, case):
    """A panel another part registered (``panels.CASE_PANELS``), rendered from its own template and context."""
    request = context.get("request")
    return render_to_string(
        panel.template,
        {**panel.context, "case": case, "actor": context.get("actor"), "panel": panel},
        request=request,
    )


@register.simple_tag
def cases_of_person(person, actor):
    """The person's cases that ``actor`` may see, newest first (for the person page)."""
    return list(
        with_overdue_followups(cases_visible_to(actor).filter(person=person))
        .select_related("caseworker")
        .order_by("-opened_on", "-id")
    )


@register.filter
def labels_of(case, field: str) -> list[str]:
    """The labels of a multi-valued HTCDS field of a case, in the current language."""
    return case.labels_of(field)


@register.filter
def approval_label(kind: str):
    """How an approval kind reads (its registered label)."""
    from hifazat.cases.services import approval_kind_label

    return approval_kind_label(kind)


@register.filter
def outcome_label(value: str):
    from hifazat.cases.models import ClosureOutcome

    return ClosureOutcome(value).label if value in ClosureOutcome.values else value


@register.simple_tag
def cases_from_screening(screening, actor):
    """The cases opened from ``screening`` that ``actor`` may see (for the screening page)."""
    return list(cases_visible_to(actor).filter(origin="screening", origin_uuid=screening.uuid))


@register.filter
def can(actor, action: str) -> bool:
    """``{% if actor|can:"cases.open" %}``: the permission matrix, in a template (``Actor.can``)."""
    return actor is not None and actor.can(action)
