from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "tremplin.catalog"
    label = "catalog"
    verbose_name = "Contenus"
