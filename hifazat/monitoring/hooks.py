"""What monitoring adds to other parts: menu entries, sections of the work list and events on the person's
timeline (the functions live in ``selectors``, which the pages use too)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hifazat.core.navigation import NAVIGATION, Section
from hifazat.monitoring.selectors import person_timeline, worklist
from hifazat.notifications.selectors import WORKLIST_SOURCES
from hifazat.people.selectors import TIMELINE_SOURCES

for section in (
    Section(
        _("Reports"),
        "monitoring:report_list",
        "monitoring.report",
        _("Reports from the monitoring network and anonymous tips"),
        weight=110,
    ),
    Section(
        _("Alerts"),
        "monitoring:alert_list",
        "alerts.view",
        _("Patterns found across reports and camps"),
        weight=112,
    ),
    Section(
        _("Network"),
        "monitoring:network",
        "monitoring.view",
        _("Reports linked by phone numbers, vehicles and names"),
        weight=114,
    ),
    Section(
        _("Report map"),
        "monitoring:report_map",
        "monitoring.view",
        _("Reports by site for a period"),
        weight=116,
    ),
    Section(
        _("Camp exits"),
        "monitoring:exit_list",
        "monitoring.record_exit",
        _("Departures of registered people"),
        weight=118,
    ),
    Section(
        _("Reporters"),
        "monitoring:reporter_list",
        "monitoring.manage_reporters",
        _("Members of the monitoring network and their reliability"),
        weight=120,
    ),
):
    NAVIGATION.register(section)
WORKLIST_SOURCES.register(worklist)
TIMELINE_SOURCES.register(person_timeline)
