from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "hifazat.campaigns"
    label = "campaigns"
    verbose_name = "Campaigns"

    def ready(self) -> None:
        from hifazat.core.navigation import Section, register
        from hifazat.notifications.selectors import WORKLIST_SOURCES
        from hifazat.people.selectors import TIMELINE_SOURCES

        from .selectors import reach_events
        from .worklist import worklist

        register(
            Section(
                _("Campaigns"),
                "campaigns:campaign_list",
                "campaigns.aggregates",
                _("Awareness campaigns: messages, activities, reach and coverage"),
                weight=130,
            ),
            Section(
                _("Public awareness page"),
                "campaigns:public",
                "campaigns.manage",
                _("What anyone can read without signing in"),
                weight=135,
            ),
        )
        WORKLIST_SOURCES.append(worklist)
        TIMELINE_SOURCES.append(reach_events)
