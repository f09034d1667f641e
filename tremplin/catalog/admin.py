from django.contrib import admin

from .models import ContentRelease, Module, Track


@admin.register(Track)
class TrackAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "journey", "order", "is_active")


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "track", "position", "content_version", "is_active")
    list_filter = ("track", "is_active")


@admin.register(ContentRelease)
class ContentReleaseAdmin(admin.ModelAdmin):
    list_display = ("version", "loaded_at")
