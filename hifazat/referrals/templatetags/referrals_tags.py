"""Template helpers of the referrals pages."""

from __future__ import annotations

from django import template

register = template.Library()

STATUS_CLASSES = {
    "awaiting_approval": "text-bg-secondary",
    "sent": "text-bg-primary",
    "accepted": "text-bg-info",
    "declined": "text-bg-danger",
    "completed": "text-bg-success",
    "cancelled": "text-bg-light",
    "withdrawn": "text-bg-dark",
}


@register.filter
def status_class(status: str) -> str:
    """The Bootstrap badge class of a referral status."""
    return STATUS_CLASSES.get(status, "text-bg-secondary")
