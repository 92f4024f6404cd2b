from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "hifazat.intake"
    label = "intake"
    verbose_name = "Field intake"

    def ready(self) -> None:
        from hifazat.core.navigation import Section, register

        register(
            Section(
                _("Field forms"),
                "intake:form_list",
                "intake.forms",
                _("ODK Collect forms and the submissions received from the field"),
                weight=150,
            ),
            Section(
                _("Import people"),
                "intake:sheet_start",
                "intake.import",
                _("Register households and people from a CSV or XLSX spreadsheet"),
                weight=149,
            ),
            Section(
                _("ODK Collect settings"),
                "intake:collect_setup",
                "intake.submit",
                _("The server URL and password to type into ODK Collect on your phone"),
                weight=151,
            ),
        )
