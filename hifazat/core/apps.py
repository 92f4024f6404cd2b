from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "hifazat.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from hifazat.core import checks  # noqa: F401  (registers the system checks)
