from django.apps import AppConfig


class LivelihoodsConfig(AppConfig):
    name = "hifazat.livelihoods"
    label = "livelihoods"
    verbose_name = "Livelihoods"
