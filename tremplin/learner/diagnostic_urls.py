from django.urls import path

from . import views_diagnostic as v

urlpatterns = [
    path("", v.diagnostic_home, name="diagnostic"),
    path("<uuid:session_id>/", v.diagnostic_question, name="diagnostic_question"),
    path("<uuid:session_id>/vous/", v.diagnostic_profile, name="diagnostic_profile"),
    path("<uuid:session_id>/resultats/", v.diagnostic_results, name="diagnostic_results"),
    path("<uuid:session_id>/fiche.pdf", v.diagnostic_sheet, name="diagnostic_sheet"),
    path("images/<str:sha>/<str:name>", v.diagnostic_image, name="diagnostic_image"),
]
