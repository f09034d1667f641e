from django.urls import path

from . import views, views_admin, views_shared

app_name = "network"

urlpatterns = [
    path("", views.home, name="home"),
    path("export.<str:fmt>", views.home_export, name="home_export"),
    path("territoire/<str:territory_id>/", views.territory, name="territory"),
    path("territoire/<str:territory_id>/export.<str:fmt>", views.territory_export, name="territory_export"),
    path("region/<str:code>/", views.region, name="region"),
    path("region/<str:code>/export.<str:fmt>", views.region_export, name="region_export"),
    path("departement/<str:code>/", views.department, name="department"),
    path("departement/<str:code>/export.<str:fmt>", views.department_export, name="department_export"),
    path("structure/<str:organisation_id>/", views.structure, name="structure"),
    path("structure/<str:organisation_id>/export.<str:fmt>", views.structure_export, name="structure_export"),
    # Whether a PDF report asked of the worker is made (the waiting page asks it every few seconds).
    path("rapport/<str:ticket>/", views.report_status, name="report_status"),
    # What a structure chose to share with its territory's coordination (ADR 14, revised).
    path("structure/<str:organisation_id>/personnes/", views_shared.structure_learners, name="structure_learners"),
    # Running the network.
    path("territoires/", views_admin.territories, name="territories"),
    path("equipe/", views_admin.team, name="team"),
    path("equipe/invitations/<str:invitation_id>/retirer/", views_admin.invitation_revoke,
         name="invitation_revoke"),
    path("structures/", views_admin.structures, name="structures"),
    path("structures/ouvrir/", views_admin.structure_open, name="structure_open"),
    path("changer-de-territoire/", views_admin.territory_switch, name="territory_switch"),
]
