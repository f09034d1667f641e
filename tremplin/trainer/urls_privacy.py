from django.urls import path

from . import views_privacy as v

urlpatterns = [
    path("apprenants/<uuid:pk>/donnees/", v.learner_data, name="learner_data"),
    path("apprenants/<uuid:pk>/donnees/donnees.pdf", v.learner_data_pdf, name="learner_data_pdf"),
    path("apprenants/<uuid:pk>/donnees/donnees.json", v.learner_data_json, name="learner_data_json"),
    path("apprenants/<uuid:pk>/effacer/", v.learner_erase_view, name="learner_erase"),
    path("effacements/", v.erasures, name="erasures"),
    path("structure/journal/", v.journal, name="journal"),
    path("structure/journal/export.csv", v.journal_export, name="journal_export"),
]
