from django.urls import path

from . import views_public

app_name = "network_join"

urlpatterns = [
    path("invitation-reseau/<str:token>/", views_public.invitation, name="invitation"),
]
