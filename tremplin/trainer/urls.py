from django.urls import path

from . import views

app_name = "trainer"
urlpatterns = [
    path("", views.home, name="home"),
]
