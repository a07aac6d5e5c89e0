from django.urls import path

from dibao import views

urlpatterns = [
    path("", views.home, name="dibao_home"),
    path("new/", views.case_new, name="dibao_case_new"),
    path("<int:pk>/", views.case_detail, name="dibao_case"),
    path("<int:pk>/reveal/", views.case_reveal, name="dibao_case_reveal"),
    path("<int:pk>/status/", views.case_status, name="dibao_case_status"),
    path("<int:pk>/members/add/", views.member_add, name="dibao_member_add"),
    path("members/<int:pk>/income/", views.member_income, name="dibao_member_income"),
    path("<int:pk>/visit/", views.visit_new, name="dibao_visit_new"),
    path("<int:pk>/review/", views.review_new, name="dibao_review_new"),
    path("<int:pk>/documents/add/", views.document_add, name="dibao_document_add"),
    path("documents/<int:pk>/", views.document, name="dibao_document"),
    path("worklist/", views.worklist, name="dibao_worklist"),
    path("panel/", views.panel, name="dibao_panel"),
    path("panel/members/<int:pk>/category/", views.panel_category, name="dibao_panel_category"),
    path("standards/", views.standards, name="dibao_standards"),
    path("cases.xlsx", views.export, name="dibao_export"),
    path("access/", views.access_log, name="dibao_access"),
]
