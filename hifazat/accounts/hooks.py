"""What accounts adds to other parts: its menu entries."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hifazat.core.navigation import NAVIGATION, Section

NAVIGATION.register(
    Section(
        _("Organisations"),
        "accounts:organisation_list",
        "organisations.view",
        _("Partners, funders and authorities in the response"),
        weight=820,
    )
)
NAVIGATION.register(
    Section(
        _("Users"),
        "accounts:user_list",
        "users.manage",
        _("Your organisation's users and their roles"),
        weight=900,
    )
)
