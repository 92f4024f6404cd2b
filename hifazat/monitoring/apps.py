from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "hifazat.monitoring"
    label = "monitoring"
    verbose_name = "Monitoring"
