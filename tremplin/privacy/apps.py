from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "tremplin.privacy"
    label = "privacy"
    verbose_name = "Données personnelles"
