from django.urls import path

from . import views_account

urlpatterns: list = [
    path("", views_account.account, name="account"),
    path("mes-donnees.pdf", views_account.account_pdf, name="account_pdf"),
    path("mes-donnees.json", views_account.account_json, name="account_json"),
    path("effacer/", views_account.account_erase, name="account_erase"),
    path("efface/", views_account.account_erased, name="account_erased"),
]
