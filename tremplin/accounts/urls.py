from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("connexion/", views.learner_login, name="learner_login"),
    path("connexion/equipe/", views.staff_login, name="staff_login"),
    path("carte/<str:token>/", views.card_login, name="card_login"),
    path("deconnexion/", views.sign_out, name="sign_out"),
]
