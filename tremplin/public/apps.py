from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "tremplin.public"
    label = "public"
