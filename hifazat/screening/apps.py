from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "hifazat.screening"
    label = "screening"
    verbose_name = "Screening"
