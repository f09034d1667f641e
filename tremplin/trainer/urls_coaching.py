from django.urls import path

from . import views_coaching as coaching
from . import views_followup as followup
from . import views_records as records
from . import views_referrals as referrals

urlpatterns = [
    path("groupes/", coaching.group_list, name="group_list"),
    path("groupes/nouveau/", coaching.group_create, name="group_create"),
    path("groupes/<uuid:group_id>/", coaching.group_detail, name="group_detail"),
    path("ateliers/", coaching.workshop_list, name="workshop_list"),
    path("ateliers/nouveau/", coaching.workshop_create, name="workshop_create"),
    path("ateliers/<uuid:workshop_id>/", coaching.workshop_detail, name="workshop_detail"),
    path("ateliers/<uuid:workshop_id>/presences/", coaching.workshop_attendance, name="workshop_attendance"),
    path("travail-demande/", coaching.assignment_list, name="assignment_list"),
    path("travail-demande/nouveau/", coaching.assignment_create, name="assignment_create"),
    path("travail-demande/<uuid:assignment_id>/retirer/", coaching.assignment_delete, name="assignment_delete"),
    path("suivi/", followup.followup_grid, name="followup_grid"),
    path("suivi/export.csv", followup.followup_export, name="followup_export"),
    path("suivi/apprenants/<uuid:learner_id>/", followup.followup_learner, name="followup_learner"),
    path("suivi/apprenants/<uuid:learner_id>/notes/", followup.note_add, name="note_add"),
    path("comptes-rendus/", records.record_list, name="record_list"),
    path("comptes-rendus/nouveau/", records.record_create, name="record_create"),
    path("comptes-rendus/export.csv", records.record_export, name="record_export"),
    path("comptes-rendus/<uuid:accompaniment_id>/", records.record_detail, name="record_detail"),
    path("orienter/", referrals.referral_sent_list, name="referral_sent_list"),
    path("orienter/nouvelle/", referrals.referral_create, name="referral_create"),
    path("orienter/<uuid:referral_id>/fiche/", referrals.referral_slip, name="referral_slip"),
    path("orientations/", referrals.referral_list, name="referral_list"),
    path("orientations/<uuid:referral_id>/", referrals.referral_detail, name="referral_detail"),
    path("orientations/<uuid:referral_id>/action/", referrals.referral_act, name="referral_act"),
]
