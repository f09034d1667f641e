from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "tremplin.organisations"
    label = "organisations"
    verbose_name = "Structures"
