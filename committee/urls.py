from django.contrib.auth import views as auth_views
from django.urls import include, path

from committee import views, views_rules

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("switch-community/", views.switch_community, name="switch_community"),
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/new/", views.staff_create, name="staff_create"),
    path("staff/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("staff/<int:pk>/edit/", views.staff_edit, name="staff_edit"),
    path("staff/<int:pk>/roles/new/", views.role_add, name="role_add"),
    path("staff/<int:pk>/account/", views.account_create, name="account_create"),
    path("staff/<int:pk>/account/reset/", views.account_reset, name="account_reset"),
    path("staff/<int:pk>/account/close/", views.account_close, name="account_close"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("audit/", views.audit_list, name="audit_list"),
    path("roles/", views.role_list, name="role_list"),
    path("roles/<int:pk>/end/", views.role_end, name="role_end"),
    path("policy/", views.policy_page, name="policy"),
    path("policy/<str:key>/", views.policy_edit, name="policy_edit"),
    path("rules/", views_rules.rules_page, name="rules"),
    path("calendar/", views.calendar_index, name="calendar"),
    path("calendar/<int:year>/", views.calendar_year, name="calendar_year"),
    path("calendar/<int:year>/days/", views.calendar_add_day, name="calendar_add_day"),
    path("calendar/<int:year>/confirm/", views.calendar_confirm, name="calendar_confirm"),
    path("calendar/<int:year>/load/", views.calendar_load, name="calendar_load"),
    path("inbox/", views.inbox, name="inbox"),
    path("done/", views.inbox_done, name="inbox_done"),
    path("approvals/<int:pk>/decide/", views.decide, name="approval_decide"),
    path("approvals/<int:pk>/", views.approval_record, name="approval_record"),
    path("history/<str:app_label>/<str:model_name>/<int:pk>/", views.history, name="history"),
    path("", include("committee.urls_register")),
    path("", include("committee.urls_duty")),
]
