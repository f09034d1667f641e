from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "tremplin.catalog"
    label = "catalog"
    verbose_name = "Contenus"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from . import cache
        from .models import ContentRelease, Module, ModuleAsset, Step, Track

        for model in (Track, Module, Step, ModuleAsset, ContentRelease):
            post_save.connect(cache.invalidate, sender=model, dispatch_uid=f"catalog-cache-{model.__name__}")
            post_delete.connect(cache.invalidate, sender=model, dispatch_uid=f"catalog-cache-del-{model.__name__}")
