from django.contrib import admin

from .models import User


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ("username", "first_name", "last_name", "kind", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("username", "first_name", "last_name", "email")
    exclude = ("password",)
