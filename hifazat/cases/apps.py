from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "hifazat.cases"
    label = "cases"
    verbose_name = "Cases"

    def ready(self) -> None:
        from hifazat.cases import hooks
        from hifazat.core.navigation import Section, register
        from hifazat.notifications.selectors import WORKLIST_SOURCES
        from hifazat.people.selectors import TIMELINE_SOURCES

        register(
            Section(
                _("Cases"),
                "cases:case_list",
                "cases.view",
                _("Cases of people at risk and victims: plans, services, follow-ups"),
                weight=80,
            ),
            Section(
                _("Approvals"),
                "cases:approval_list",
                "cases.approve",
                _("Requests waiting for a supervisor's decision"),
                weight=82,
            ),
        )
        from hifazat.cases.selectors import case_uuids_numbered
        from hifazat.core.selectors import AUDIT_RECORD_FINDERS

        for registry, source in (
            (WORKLIST_SOURCES, hooks.worklist),
            (TIMELINE_SOURCES, hooks.person_events),
            (AUDIT_RECORD_FINDERS, case_uuids_numbered),
        ):
            if source not in registry:
                registry.append(source)
