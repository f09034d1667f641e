from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "tremplin.progress"
    label = "progress"
    verbose_name = "Progression"
