from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "hifazat.notifications"
    label = "notifications"
    verbose_name = "Notifications"
