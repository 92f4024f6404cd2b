from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "hifazat.people"
    label = "people"
    verbose_name = "People"
