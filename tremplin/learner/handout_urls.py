from django.urls import path

from . import views_handout

urlpatterns: list = [
    path("module/<slug:slug>/fiche.pdf", views_handout.handout, name="handout"),
]
