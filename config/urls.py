from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from tremplin.public import views_health

urlpatterns = [
    path("sante/", views_health.health, name="health"),  # operators: app and database up (docs/deployment.md)
    path(".well-known/security.txt", views_health.security_txt, name="security_txt"),
    path("", include("tremplin.public.urls")),
    path("", include("tremplin.accounts.urls")),
    path("apprendre/", include("tremplin.learner.urls")),
    path("api/", include("tremplin.api.urls")),  # the learner device: offline sync, downloads (ADR 19)
    path("espace-formateur/", include("tremplin.trainer.urls")),
    path("", include("tremplin.trainer.urls_public")),  # invitation and workshop sign-up links (public)
    path("pilotage/", include("tremplin.network.urls")),
    path("", include("tremplin.network.urls_public")),  # a network invitation's accept page (public)
]

handler500 = "tremplin.lib.ops.server_error"  # a database outage answers 503 (tremplin.lib.ops)

# Django's admin edits every table with no tenant scope and no audit entry: off unless the server asks for it
# (TREMPLIN_ADMIN_ENABLED, docs/areas/hardening.md).
if settings.TREMPLIN_ADMIN_ENABLED:
    urlpatterns.append(path("admin/", admin.site.urls))
