from django.urls import path

from . import views, views_observatory, views_places

app_name = "public"
urlpatterns = [
    path("", views.home, name="home"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("trouver-de-l-aide/", views_places.find_help, name="find_help"),
    path("trouver-de-l-aide/lieu/<uuid:place_id>/", views_places.place_detail, name="place"),
    path("observatoire/", views_observatory.observatory, name="observatory"),
    path("observatoire/donnees/", views_observatory.observatory_data, name="observatory_data"),
    path("observatoire/donnees.csv", views_observatory.observatory_csv, name="observatory_csv"),
    path("observatoire/<str:code>/", views_observatory.observatory_department, name="observatory_department"),
    path("observatoire/<str:code>/donnees.csv", views_observatory.observatory_department_csv,
         name="observatory_department_csv"),
]
