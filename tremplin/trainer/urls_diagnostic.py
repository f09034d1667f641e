from django.urls import path

from . import views_diagnostic as v

urlpatterns = [
    path("positionnement/", v.diagnostic_overview, name="diagnostic_overview"),
    path("positionnement/papier.pdf", v.diagnostic_paper_pdf, name="diagnostic_paper_pdf"),
    path("positionnement/apprenants/<uuid:learner_id>/", v.diagnostic_learner, name="diagnostic_learner"),
    path("positionnement/apprenants/<uuid:learner_id>/accompagne/", v.diagnostic_accompanied_start,
         name="diagnostic_accompanied_start"),
    path("positionnement/apprenants/<uuid:learner_id>/papier/", v.diagnostic_paper_entry, name="diagnostic_paper_entry"),
    path("positionnement/sessions/<uuid:session_id>/fiche.pdf", v.diagnostic_session_sheet,
         name="diagnostic_session_sheet"),
]
