from django.urls import path

from . import views_coordination as v

urlpatterns = [
    path("structure/coordination/", v.coordination, name="coordination"),
]
