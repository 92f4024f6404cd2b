"""What people adds to pages: its menu entries, and its own events on the person's timeline (registration,
consent, vulnerability groups, corrections) beside those other parts add."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hifazat.core.navigation import NAVIGATION, Section
from hifazat.people.selectors import TIMELINE_SOURCES, registry_events

TIMELINE_SOURCES.register(registry_events)

NAVIGATION.register(
    Section(_("People"), "people:person_list", "people.view", _("Search the registry of people"), weight=30)
)
NAVIGATION.register(
    Section(
        _("Households"),
        "people:household_list",
        "people.view",
        _("The household register, by site"),
        weight=40,
    )
)
NAVIGATION.register(
    Section(
        _("Duplicates"),
        "people:duplicate_list",
        "people.merge",
        _("Records that may be the same person"),
        weight=50,
    )
)
