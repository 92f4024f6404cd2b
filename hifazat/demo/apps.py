from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "hifazat.demo"
    label = "demo"
    verbose_name = "Demo scenario"
