"""What reporting adds to other parts: its menu entries (the dashboard, the exports, the donor reports)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hifazat.core.navigation import NAVIGATION, Section

NAVIGATION.register(
    Section(
        _("Response dashboard"),
        "reporting:dashboard",
        "reporting.dashboard",
        _("People, screenings, cases, referrals, alerts, campaigns and livelihoods at a glance"),
        weight=20,
    )
)
NAVIGATION.register(
    Section(
        _("Exports"),
        "reporting:exports",
        "reporting.exports",
        _("Cases in HTCDS, anonymised; who does what where as HXL"),
        weight=22,
    )
)
NAVIGATION.register(
    Section(
        _("Donor reports"),
        "reporting:donor_reports",
        "reporting.donor_reports",
        _("Reports in PDF for the funders of campaigns and livelihood programmes"),
        weight=24,
    )
)
