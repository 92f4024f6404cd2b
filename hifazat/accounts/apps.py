from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "hifazat.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from hifazat.accounts import signals  # noqa: F401  (login and logout audit)
