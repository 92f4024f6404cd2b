"""The response dashboard, and its figures as an HXL-tagged file."""

from __future__ import annotations

import json

from django.http import HttpResponse, HttpResponseBadRequest
from django.views.decorators.http import require_GET

from hifazat.core import disclosure
from hifazat.core.access import requires
from hifazat.core.htmx import render_page_or_partial
from hifazat.reporting.dashboard_hxl import dashboard_hxl
from hifazat.reporting.forms import DashboardExportForm, DashboardFilterForm
from hifazat.reporting.selectors import dashboard_figures, dashboard_policy


@requires("reporting.dashboard")
@require_GET
def dashboard(request):
    """People by vulnerability group and place, by age band and sex, screenings by band, cases, referrals,
    alerts, campaign reach and livelihood enrolments of the user's organisation, by month and on a map, for an
    area and a period."""
    policy = dashboard_policy(request.actor)
    form = DashboardFilterForm(request.GET or None, policy=policy)
    filters = form.cleaned_data if form.is_valid() else {}
    figures = dashboard_figures(
        request.actor, area=filters.get("area"), start=filters.get("start"), end=filters.get("end")
    )
    return render_page_or_partial(
        request,
        "reporting/dashboard.html",
        "reporting/_dashboard_figures.html",
        {
            "form": form,
            "figures": figures,
            "query": request.GET.urlencode(),
            "chart_json": json.dumps(figures.chart),
            "map_json": json.dumps(figures.map),
        },
    )


@requires("reporting.dashboard")
@require_GET
def dashboard_export(request):
    """The dashboard's figures, with its filters, as HXL-tagged CSV or XLSX, under disclosure control."""
    query = request.GET.copy()
    query.setdefault("file_format", "csv")
    form = DashboardExportForm(query, policy=disclosure.controlled())
    if not form.is_valid():
        problems = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in form.errors.items())
        return HttpResponseBadRequest(f"Bad request: {problems}", content_type="text/plain; charset=utf-8")
    data = form.cleaned_data
    name, content_type, content = dashboard_hxl(
        actor=request.actor,
        file_format=data["file_format"],
        area=data["area"],
        start=data["start"],
        end=data["end"],
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response
