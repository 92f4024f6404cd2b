from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "hifazat.reporting"
    label = "reporting"
    verbose_name = "Reporting"
