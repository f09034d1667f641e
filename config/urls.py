from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("tremplin.public.urls")),
    path("", include("tremplin.accounts.urls")),
    path("apprendre/", include("tremplin.learner.urls")),
    path("espace-formateur/", include("tremplin.trainer.urls")),
    path("", include("tremplin.trainer.urls_public")),  # invitation and workshop sign-up links (public)
    path("admin/", admin.site.urls),
]
