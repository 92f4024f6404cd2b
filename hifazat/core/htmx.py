"""htmx helpers: one template per fragment, whole page or partial from the same view."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def render_page_or_partial(
    request: HttpRequest, page_template: str, partial_template: str, context: dict[str, Any]
) -> HttpResponse:
    """The whole page for a normal request; for an htmx request that targets the fragment, the fragment alone.

    The page template includes ``partial_template``, so the markup of the fragment exists once.
    """
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.boosted:
        return render(request, partial_template, context)
    return render(request, page_template, context)
