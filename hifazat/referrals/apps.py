from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "hifazat.referrals"
    label = "referrals"
    verbose_name = "Referrals"
