"""What reporting adds to other parts: its menu entry."""

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
