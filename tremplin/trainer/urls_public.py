"""Public pages opened from a link (no sign-in needed): trainer invitations, workshop sign-up."""

from django.urls import path

from . import views_signup

app_name = "join"
urlpatterns = [
    path("invitation/<str:token>/", views_signup.invitation, name="invitation"),
    path("rejoindre/<str:token>/", views_signup.signup, name="signup"),
]
