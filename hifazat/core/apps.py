from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "hifazat.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from hifazat.core import checks  # noqa: F401  (registers the system checks)
        from hifazat.core.hooks import autodiscover

        autodiscover()  # every part's contributions, from its hooks.py, in INSTALLED_APPS order
