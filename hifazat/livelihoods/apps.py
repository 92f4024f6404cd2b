from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LivelihoodsConfig(AppConfig):
    name = "hifazat.livelihoods"
    label = "livelihoods"
    verbose_name = "Livelihoods"

    def ready(self) -> None:
        from hifazat.cases.panels import CASE_PANELS, CASE_TIMELINE_SOURCES
        from hifazat.core.navigation import Section, register
        from hifazat.livelihoods import extensions
        from hifazat.notifications.selectors import WORKLIST_SOURCES
        from hifazat.people.selectors import TIMELINE_SOURCES

        register(
            Section(
                _("Livelihoods"),
                "livelihoods:programme_list",
                "livelihoods.view",
                _("Programmes, ranked selection, support and outcomes"),
                weight=140,
            ),
            Section(
                _("Programme figures"),
                "livelihoods:figures_list",
                "livelihoods.aggregates",
                _("Aggregate figures of the livelihood programmes you run or fund"),
                weight=145,
            ),
        )
        for sources, function in (
            (WORKLIST_SOURCES, extensions.worklist),
            (TIMELINE_SOURCES, extensions.timeline_events),
            (CASE_PANELS, extensions.case_panel),
            (CASE_TIMELINE_SOURCES, extensions.case_events),
        ):
            if function not in sources:
                sources.append(function)
