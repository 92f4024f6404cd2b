"""Small template helpers used by the page shell and the shared partials."""

from __future__ import annotations

import re

from django import forms, template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from hifazat.core.text import in_reader_language

register = template.Library()


@register.filter
def startswith(value: str, prefix: str) -> bool:
    return str(value).startswith(str(prefix)) and prefix != "/"


@register.simple_tag
def query_with(request, **changes) -> str:
    """The current query string with some parameters replaced: pagination that keeps the filters."""
    query = request.GET.copy()
    for key, value in changes.items():
        query[key] = value
    return query.urlencode()


@register.filter
def is_checkbox(bound_field) -> bool:
    return isinstance(bound_field.field.widget, forms.CheckboxInput)


@register.filter
def bootstrap_widget(bound_field):
    """Render a field's widget with Bootstrap's class and the accessibility attributes for its help and errors."""
    widget = bound_field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.Select | forms.SelectMultiple):
        css = "form-select"
    else:
        css = "form-control"
    attrs = {"class": f"{css} is-invalid" if bound_field.errors else css}
    described = []
    if bound_field.help_text:
        described.append(f"{bound_field.auto_id}_help")
    if bound_field.errors:
        attrs["aria-invalid"] = "true"
        described.append(f"{bound_field.auto_id}_error")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return bound_field.as_widget(attrs=attrs)


@register.filter
def whole_minutes(duration) -> int | None:
    """A ``timedelta`` as whole minutes, rounded (at least 1), for "try again in N minutes"; None if unknown."""
    if duration is None or duration == "":
        return None
    return max(1, round(duration.total_seconds() / 60))


@register.filter
def ltr(value) -> str:
    """A number, code, phone number or date isolated left to right, so that Urdu text around it cannot reorder
    its parts (``0800-44333`` would read ``44333-0800``, ``92%`` would read ``%92``). ``<bdi dir="ltr">`` needs
    no stylesheet, so the light public pages can use it too."""
    if value is None or value == "":
        return ""
    return format_html('<bdi dir="ltr">{}</bdi>', value)


@register.filter
def local_name(place) -> str:
    """The name of an area, site, programme or provider in the reader's language: its Urdu name on Urdu pages
    where one is recorded, its name otherwise."""
    if place is None or place == "":
        return ""
    if not hasattr(place, "name"):
        return str(place)
    return in_reader_language(place.name, getattr(place, "name_ur", ""))


# A phone number written in free text: an optional +, then digits in groups joined by spaces or hyphens, with at
# least five digits in all (so that "15", the police, is left as it is and years are not taken for numbers).
PHONE_IN_TEXT = re.compile(r"(?<![\w+])\+?\d[\d -]{3,}\d(?!\w)")


@register.filter(needs_autoescape=True)
def phone_links(text, autoescape=True) -> str:
    """Free text (a hotline message) with each phone number in it as a ``tel:`` link, isolated left to right so
    that the Urdu around it cannot reverse it."""
    text = conditional_escape(text) if autoescape else str(text)

    def link(found: re.Match) -> str:
        written = found.group(0)
        digits = re.sub(r"[^\d+]", "", written)
        if len(digits.lstrip("+")) < 5:
            return written
        return f'<a href="tel:{digits}" dir="ltr">{written}</a>'

    return mark_safe(PHONE_IN_TEXT.sub(link, str(text)))  # noqa: S308 - the text was escaped above
