from django.urls import path

from visits import views

urlpatterns = [
    path("", views.home, name="visits_home"),
    path("sw.js", views.sw, name="visits_sw"),
    path("grids/<int:pk>/", views.grid_detail, name="visits_grid"),
    path("grids/<int:pk>/members/add/", views.member_add, name="visits_member_add"),
    path("members/<int:pk>/end/", views.member_end, name="visits_member_end"),
    path("grids/<int:pk>/ledger/add/", views.ledger_add, name="visits_ledger_add"),
    path("ledger/<int:pk>/close/", views.ledger_close, name="visits_ledger_close"),
    path("responsibility/", views.responsibility, name="visits_responsibility"),
    path("responsibility.pdf", views.responsibility_pdf, name="visits_responsibility_pdf"),
    path("new/", views.visit_new, name="visits_visit_new"),
    path("log/", views.log, name="visits_log"),
    path("<int:pk>/", views.visit_detail, name="visits_visit"),
    path("problems/", views.problems, name="visits_problems"),
    path("problems/<int:pk>/solve/", views.problem_solve, name="visits_problem_solve"),
    path("quotas/", views.quota, name="visits_quotas"),
    path("units/", views.units, name="visits_units"),
    path("units/new/", views.unit_new, name="visits_unit_new"),
    path("meeting/", views.meeting, name="visits_meeting"),
    path("meeting/setup/", views.meeting_setup, name="visits_meeting_setup"),
    path("meeting/<int:pk>/fill/", views.meeting_fill, name="visits_meeting_fill"),
    path("requests/", views.requests, name="visits_requests"),
    path("requests/new/", views.request_new, name="visits_request_new"),
    path("requests/<int:pk>/", views.request_detail, name="visits_request"),
    path("requests/<int:pk>/close/", views.request_close, name="visits_request_close"),
    path("requests/<int:pk>/assign/", views.request_assign, name="visits_request_assign"),
    path("figures/", views.figures, name="visits_figures"),
]
