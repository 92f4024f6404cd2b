from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "hifazat.matching"
    label = "matching"
    verbose_name = "Matching"
