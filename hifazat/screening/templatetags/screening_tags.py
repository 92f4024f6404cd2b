"""Template helpers for screening pages."""

from __future__ import annotations

from django import template

register = template.Library()

BAND_CLASSES = {
    "urgent": "text-bg-danger",
    "high": "text-bg-warning",
    "medium": "text-bg-info",
    "low": "text-bg-secondary",
}


@register.filter
def band_class(band: str) -> str:
    """The Bootstrap badge class for a band: the colour is never the only sign, the band's name is shown too."""
    return BAND_CLASSES.get(str(band), "text-bg-secondary")


@register.filter
def signed(number: int) -> str:
    """A weight with its sign: +3, −1 (a true minus sign, read correctly by screen readers)."""
    return f"+{number}" if number > 0 else f"−{abs(number)}" if number < 0 else "0"


@register.simple_tag
def screening_draft_of(person, actor):
    """The person's draft screening that ``actor`` may resume, or ``None`` (the person page's button)."""
    from hifazat.screening.selectors import drafts_visible_to

    return drafts_visible_to(actor).filter(person=person).first()
