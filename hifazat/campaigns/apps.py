from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "hifazat.campaigns"
    label = "campaigns"
    verbose_name = "Campaigns"
