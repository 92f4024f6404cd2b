"""Small template helpers used by the page shell and the shared partials."""

from __future__ import annotations

from django import forms, template

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
