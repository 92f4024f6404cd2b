"""The response dashboard."""

from __future__ import annotations

from hifazat.core.access import requires
from hifazat.core.htmx import render_page_or_partial
from hifazat.reporting.forms import DashboardFilterForm
from hifazat.reporting.selectors import dashboard_figures, dashboard_policy


@requires("reporting.dashboard")
def dashboard(request):
    """People by vulnerability group and place, by age band and sex, screenings by band, cases, referrals,
    alerts, campaign reach and livelihood enrolments of the user's organisation, for an area and a period."""
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
        {"form": form, "figures": figures},
    )
