"""What intake adds to other parts: its menu entries."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hifazat.core.navigation import NAVIGATION, Section

NAVIGATION.register(
    Section(
        _("Import people"),
        "intake:sheet_start",
        "intake.import",
        _("Register households and people from a CSV or XLSX spreadsheet"),
        weight=149,
    )
)
NAVIGATION.register(
    Section(
        _("Field forms"),
        "intake:form_list",
        "intake.forms",
        _("ODK Collect forms and the submissions received from the field"),
        weight=150,
    )
)
NAVIGATION.register(
    Section(
        _("ODK Collect settings"),
        "intake:collect_setup",
        "intake.submit",
        _("The server URL and password to type into ODK Collect on your phone"),
        weight=151,
    )
)
