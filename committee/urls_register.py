"""Residents' register and Excel import/export pages (views in views_register.py).

The register's pages live under /residents/ so the main navigation marks "Residents" on all of them."""

from django.urls import path

from committee import views_register as views

urlpatterns = [
    path("residents/", views.person_list, name="person_list"),
    path("residents/new/", views.person_create, name="person_create"),
    path("residents/<int:pk>/", views.person_detail, name="person_detail"),
    path("residents/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("residents/<int:pk>/move-out/", views.person_move_out, name="person_move_out"),
    path("residents/households/new/", views.household_create, name="household_create"),
    path("residents/households/<int:pk>/", views.household_detail, name="household_detail"),
    path("residents/households/<int:pk>/edit/", views.household_edit, name="household_edit"),
    path("residents/buildings/", views.building_list, name="building_list"),
    path("residents/buildings/new/", views.building_create, name="building_create"),
    path("residents/buildings/<int:pk>/", views.building_detail, name="building_detail"),
    path("residents/buildings/<int:pk>/edit/", views.building_edit, name="building_edit"),
    path("residents/grids/", views.grid_list, name="grid_list"),
    path("residents/grids/new/", views.grid_create, name="grid_create"),
    path("residents/grids/<int:pk>/", views.grid_detail, name="grid_detail"),
    path("residents/grids/<int:pk>/edit/", views.grid_edit, name="grid_edit"),
    path("import/<str:kind>/", views.import_start, name="import_start"),
    path("import/<str:kind>/preview/<str:token>/", views.import_preview, name="import_preview"),
    path("import/<str:kind>/confirm/", views.import_confirm, name="import_confirm"),
    path("import/<str:kind>/template/", views.import_template, name="import_template"),
    path("export/<str:kind>/", views.export, name="export"),
]
