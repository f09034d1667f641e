from django.apps import AppConfig


class CvConfig(AppConfig):
    name = "tremplin.cv"
    label = "cv"
