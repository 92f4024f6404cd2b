from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "hifazat.intake"
    label = "intake"
    verbose_name = "Field intake"
