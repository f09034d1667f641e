from django.urls import path

from . import views, views_places

app_name = "public"
urlpatterns = [
    path("", views.home, name="home"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("trouver-de-l-aide/", views_places.find_help, name="find_help"),
    path("trouver-de-l-aide/lieu/<uuid:place_id>/", views_places.place_detail, name="place"),
]
