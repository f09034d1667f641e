from django.urls import path

from . import views_simulators as views

urlpatterns = [
    path("", views.simulator_list, name="simulators"),
    path("essai/<uuid:attempt_id>/", views.simulator_run, name="simulator_run"),
    path("essai/<uuid:attempt_id>/arreter/", views.simulator_quit, name="simulator_quit"),
    path("essai/<uuid:attempt_id>/resultat/", views.simulator_result, name="simulator_result"),
    path("<slug:slug>/", views.simulator_intro, name="simulator"),
    path("<slug:slug>/commencer/", views.simulator_start, name="simulator_start"),
]
