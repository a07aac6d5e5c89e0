from django.urls import path

from welfare import views

urlpatterns = [
    path("", views.home, name="welfare_home"),
    path("plans/new/", views.plan_new, name="welfare_plan_new"),
    path("plans/<int:pk>/", views.plan_detail, name="welfare_plan"),
    path("plans/<int:pk>/act/<str:step>/", views.plan_act, name="welfare_plan_act"),
    path("plans/<int:pk>/projects/new/", views.project_new, name="welfare_project_new"),
    path("plans/<int:pk>/changes/new/", views.change_new, name="welfare_change_new"),
    path("projects/<int:pk>/", views.project_detail, name="welfare_project"),
    path("projects/<int:pk>/spend/", views.spend, name="welfare_spend"),
    path("projects/<int:pk>/activities/new/", views.activity_new, name="welfare_activity_new"),
    path("projects/<int:pk>/surveys/new/", views.survey_new, name="welfare_survey_new"),
    path("projects/<int:pk>/complete/", views.project_complete, name="welfare_project_complete"),
    path("projects/<int:pk>/approve/", views.project_approve, name="welfare_project_approve"),
    path("spending/<int:pk>/sign/", views.sign, name="welfare_sign"),
    path("changes/<int:pk>/", views.change_detail, name="welfare_change"),
    path("quarters/", views.quarters, name="welfare_quarters"),
    path("quarters/<int:year>/<int:quarter>/<str:step>/", views.quarter_act, name="welfare_quarter_act"),
    path("summary/", views.summary, name="welfare_summary"),
    path("groups/", views.groups, name="welfare_groups"),
    path("groups/new/", views.group_new, name="welfare_group_new"),
    path("tables/", views.tables, name="welfare_tables"),
    path("tables/add/", views.table_add, name="welfare_table_add"),
    path("tables/<str:kind>/<int:pk>/toggle/", views.table_toggle, name="welfare_table_toggle"),
]
