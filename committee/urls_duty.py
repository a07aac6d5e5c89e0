from django.urls import path

from committee import views_duty as views

urlpatterns = [
    path("office/", views.whereabouts, name="whereabouts"),
    path("office/outings/new/", views.outing_create, name="outing_create"),
    path("office/outings/<int:pk>/back/", views.outing_back, name="outing_back"),
    path("office/notices/", views.all_out_notices, name="all_out_notices"),
    path("office/notices/<int:pk>/pdf/", views.all_out_notice_pdf, name="all_out_notice_pdf"),
    path("office/incidents/", views.incident_list, name="incident_list"),
    path("office/incidents/<int:pk>/reported/", views.incident_reported, name="incident_reported"),
]
