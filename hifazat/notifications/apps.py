from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "hifazat.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from hifazat.core.navigation import Section, register

        register(
            Section(
                _("My work"),
                "notifications:work",
                "notifications.view",
                _("Everything waiting for you"),
                weight=10,
            )
        )
