from django.apps import AppConfig


class TrainerConfig(AppConfig):
    name = "tremplin.trainer"
    label = "trainer"
