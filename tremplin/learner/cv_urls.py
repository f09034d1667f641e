from django.urls import path

from . import views_cv

urlpatterns: list = [
    path("", views_cv.cv_home, name="cv_home"),
    path("apercu/", views_cv.cv_preview, name="cv_preview"),
    path("mon-cv.pdf", views_cv.cv_pdf, name="cv_pdf"),
    path("apercu/direct/<slug:section_slug>/", views_cv.cv_live_preview, name="cv_live_preview"),
    path("<slug:section_slug>/", views_cv.cv_section, name="cv_section"),
]
