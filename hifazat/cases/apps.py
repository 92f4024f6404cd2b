from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "hifazat.cases"
    label = "cases"
    verbose_name = "Cases"
