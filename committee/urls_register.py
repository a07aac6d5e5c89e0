"""Residents' register and Excel import/export pages (views in views_register.py)."""

from django.urls import path

from committee import views_register as views

urlpatterns = [
    path("residents/", views.person_list, name="person_list"),
    path("import/<str:kind>/", views.person_list, name="import_start"),
]
