from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "tremplin.coaching"
    label = "coaching"
