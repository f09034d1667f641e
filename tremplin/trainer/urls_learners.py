from django.urls import path

from . import views_learners as v
from . import views_organisation as o
from . import views_place

urlpatterns = [
    path("structure/", o.organisation_detail, name="organisation"),
    path("structure/changer/", o.organisation_switch, name="organisation_switch"),
    path("structure/modifier/", o.organisation_edit, name="organisation_edit"),
    path("structure/lieu/", views_place.organisation_place, name="organisation_place"),
    path("structure/inviter/", o.organisation_invite, name="organisation_invite"),
    path("structure/invitations/<uuid:pk>/annuler/", o.invitation_cancel, name="invitation_cancel"),
    path("structure/membres/<uuid:user_id>/", o.member_update, name="member_update"),
    path("apprenants/", v.learner_list, name="learners"),
    path("apprenants/export.csv", v.learner_export, name="learners_export"),
    path("apprenants/inscrire/", v.learner_enrol_view, name="learner_enrol"),
    path("apprenants/inscrire-avec-un-code/", v.learner_enrol_existing_view, name="learner_enrol_existing"),
    path("apprenants/importer/", v.import_upload, name="import_upload"),
    path("apprenants/importer/<uuid:pk>/", v.import_preview, name="import_preview"),
    path("apprenants/cartes/", v.cards, name="cards"),
    path("apprenants/cartes/cartes.pdf", v.cards_pdf, name="cards_pdf"),
    path("apprenants/cartes/oublier/", v.cards_forget, name="cards_forget"),
    path("apprenants/cartes/reimprimer/", v.cards_reprint, name="cards_reprint"),
    path("apprenants/doublons/", v.duplicates, name="duplicates"),
    path("apprenants/doublons/fusionner/", v.duplicates_merge, name="duplicates_merge"),
    path("apprenants/<uuid:pk>/compte/", v.learner_account, name="learner_account"),
    path("apprenants/<uuid:pk>/code-secret/", v.learner_pin_reset_view, name="learner_pin_reset"),
    path("apprenants/<uuid:pk>/partager/", v.learner_share_view, name="learner_share"),
    path("inscription-atelier/", v.signup_links, name="signup_links"),
    path("inscription-atelier/<uuid:pk>/", v.signup_link_detail, name="signup_link"),
]
