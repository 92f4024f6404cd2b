from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TracingConfig(AppConfig):
    name = "hifazat.tracing"
    label = "tracing"
    verbose_name = "Tracing"

    def ready(self) -> None:
        from hifazat.cases.panels import CASE_PANELS, CASE_TIMELINE_SOURCES, CLOSURE_CHECKS
        from hifazat.core.navigation import Section, register
        from hifazat.notifications.selectors import WORKLIST_SOURCES
        from hifazat.people.selectors import TIMELINE_SOURCES
        from hifazat.tracing import extensions

        register(
            Section(
                _("Family tracing"),
                "tracing:request_list",
                "tracing.view",
                _("Tracing requests, candidate matches and reunification"),
                weight=100,
            )
        )
        for registry, function in (
            (CASE_PANELS, extensions.case_panel),
            (CASE_TIMELINE_SOURCES, extensions.case_events),
            (CLOSURE_CHECKS, extensions.closure_check),
            (TIMELINE_SOURCES, extensions.person_events),
            (WORKLIST_SOURCES, extensions.worklist),
        ):
            if function not in registry:
                registry.append(function)
