from django.urls import path

from . import views_content

urlpatterns: list = [
    path("contenus/", views_content.content_catalogue, name="content_catalogue"),
    path("contenus/<slug:slug>/guide/", views_content.content_guide, name="content_guide"),
    path("contenus/<slug:slug>/guide.pdf", views_content.content_guide_pdf, name="content_guide_pdf"),
    path("contenus/<slug:slug>/fiche.pdf", views_content.content_handout_pdf, name="content_handout_pdf"),
]
