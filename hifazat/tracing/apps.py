from django.apps import AppConfig


class TracingConfig(AppConfig):
    name = "hifazat.tracing"
    label = "tracing"
    verbose_name = "Tracing"
