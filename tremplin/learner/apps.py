from django.apps import AppConfig


class LearnerConfig(AppConfig):
    name = "tremplin.learner"
    label = "learner"
