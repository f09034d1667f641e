from django.urls import include, path

from . import views, views_guest, views_listen, views_offline

app_name = "learner"
urlpatterns = [
    path("", views.home, name="home"),
    path("parcours/<slug:slug>/", views.track_detail, name="track"),
    path("module/<slug:slug>/", views.module_detail, name="module"),
    path("module/<slug:slug>/etape/<int:number>/", views.step, name="step"),
    path("module/<slug:slug>/termine/", views.module_complete, name="module_complete"),
    path("module/<slug:slug>/attestation.pdf", views.attestation, name="attestation"),
    path("images/<slug:slug>/<str:sha>/<str:name>", views.asset, name="asset"),
    path("ecouter/<slug:slug>/<int:number>/<str:sha>.ogg", views_listen.listen_step, name="listen_step"),
    path("sw.js", views_offline.service_worker, name="service_worker"),
    path("tremplin.webmanifest", views_offline.web_manifest, name="web_manifest"),
    path("hors-ligne/textes.json", views_offline.offline_texts, name="offline_texts"),
    path("garder-ma-progression/", views_guest.keep, name="keep"),
    path("ajouter-ma-progression/", views_guest.attach, name="attach"),
    path("positionnement/", include("tremplin.learner.diagnostic_urls")),
    path("simulateurs/", include("tremplin.learner.simulator_urls")),
    path("mon-cv/", include("tremplin.learner.cv_urls")),
    path("mon-compte/", include("tremplin.learner.account_urls")),
    path("", include("tremplin.learner.handout_urls")),
]
