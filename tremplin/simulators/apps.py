from django.apps import AppConfig


class SimulatorsConfig(AppConfig):
    name = "tremplin.simulators"
    label = "simulators"
