"""What geography adds to other parts: its menu entries."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hifazat.core.navigation import NAVIGATION, Section

NAVIGATION.register(
    Section(
        _("Sites"),
        "geography:site_list",
        "geography.view",
        _("Relief camps, settlements and host communities"),
        weight=800,
    )
)
NAVIGATION.register(
    Section(
        _("Areas"),
        "geography:area_list",
        "geography.view",
        _("Provinces, districts and tehsils with P-codes"),
        weight=810,
    )
)
NAVIGATION.register(
    Section(
        _("Import"),
        "geography:import_start",
        "geography.manage",
        _("Areas and sites from CSV files"),
        weight=910,
    )
)
