from django.apps import AppConfig


class GeographyConfig(AppConfig):
    name = "hifazat.geography"
    label = "geography"
    verbose_name = "Geography"
