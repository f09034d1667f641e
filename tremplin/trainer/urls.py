from django.urls import include, path

from . import views

app_name = "trainer"
urlpatterns = [
    path("", views.home, name="home"),
    path("", include("tremplin.trainer.urls_learners")),
    path("", include("tremplin.trainer.urls_coaching")),
    path("", include("tremplin.trainer.urls_content")),
    path("", include("tremplin.trainer.urls_diagnostic")),
    path("", include("tremplin.trainer.urls_privacy")),
    path("", include("tremplin.trainer.urls_coordination")),
]
