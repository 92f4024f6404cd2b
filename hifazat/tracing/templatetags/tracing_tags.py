"""Template helpers of the tracing pages: badge classes for bands, outcomes and statuses."""

from __future__ import annotations

from django import template

from hifazat.tracing.models import BestInterests, CandidateStatus, ChildView

register = template.Library()

BAND_CLASSES = {"likely": "text-bg-success", "possible": "text-bg-warning", "unlikely": "text-bg-secondary"}
OUTCOME_CLASSES = {
    "agrees": "text-bg-success",
    "partly": "text-bg-warning",
    "differs": "text-bg-danger",
    "missing": "text-bg-light border",
}
STATUS_CLASSES = {
    "open": "text-bg-primary",
    "match_proposed": "text-bg-warning",
    "matched": "text-bg-info",
    "reunified": "text-bg-success",
    "closed": "text-bg-secondary",
    "proposed": "text-bg-warning",
    "confirmed": "text-bg-success",
    "rejected": "text-bg-secondary",
}


@register.filter
def band_class(band: str) -> str:
    """The badge class of a score band; the band's name is always written beside the colour."""
    return BAND_CLASSES.get(band, "text-bg-secondary")


@register.filter
def outcome_class(outcome: str) -> str:
    return OUTCOME_CLASSES.get(outcome, "text-bg-light border")


@register.filter
def tracing_status_class(status: str) -> str:
    return STATUS_CLASSES.get(str(status), "text-bg-secondary")


@register.filter
def percent(probability: float) -> str:
    return f"{round(probability * 100)}%"


@register.filter
def candidate_status_label(status: str) -> str:
    """The label of the team's decision on a candidate, in the user's language."""
    return str(CandidateStatus(status).label) if status in CandidateStatus.values else ""


@register.filter
def checklist_outcome_label(outcome: str) -> str:
    """The label of a checklist outcome (the child's view or the best-interests decision)."""
    for choices in (ChildView, BestInterests):
        if outcome in choices.values:
            return str(choices(outcome).label)
    return outcome
