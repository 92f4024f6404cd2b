"""The home page, the audit log, and the health check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render

from hifazat.core.access import requires
from hifazat.core.forms import AuditFilterForm
from hifazat.core.htmx import render_page_or_partial
from hifazat.core.navigation import navigation_for
from hifazat.core.selectors import audit_visible_to
from hifazat.core.web import page_of


@login_required
def home(request):
    """The signed-in user's start page: the parts their role opens, as cards."""
    return render(request, "core/home.html", {"sections": navigation_for(request.actor)})


@requires("audit.view")
def audit_log(request):
    """The organisation's audit log, newest first, filtered by who, when, action and person or case. Invalid
    filters show their errors next to the fields and no entries (never the unfiltered log in their place)."""
    form = AuditFilterForm(request.GET or None, actor=request.actor)
    entries = audit_visible_to(request.actor)
    if form.is_bound:
        entries = form.filter(entries) if form.is_valid() else entries.none()
    page = page_of(request, entries)
    return render_page_or_partial(
        request, "core/audit_log.html", "core/_audit_log.html", {"form": form, "page": page}
    )


def healthz(request):
    """For a load balancer or a monitoring check: the database answers. No data, no login."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def robots(request):
    return HttpResponse("User-agent: *\nDisallow: /\n", content_type="text/plain")
