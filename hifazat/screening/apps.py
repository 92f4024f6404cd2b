from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "hifazat.screening"
    label = "screening"
    verbose_name = "Screening"

    def ready(self) -> None:
        from hifazat.people.selectors import TIMELINE_SOURCES
        from hifazat.screening.selectors import timeline_events

        TIMELINE_SOURCES.append(timeline_events)
