from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo network of `make demo`. Like an audience app, it may import every domain app."""

    name = "tremplin.demo"
    label = "demo"
