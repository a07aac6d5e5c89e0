from django.urls import path, re_path

from oversight import views

urlpatterns = [
    path("", views.overview, name="oversight_overview"),
    path("overview.xlsx", views.overview_xlsx, name="oversight_overview_xlsx"),
]

from oversight import views_monthly  # noqa: E402  (issue 17: months and the monthly report)

urlpatterns += [
    path("months/", views_monthly.months, name="oversight_months"),
    path("months.xlsx", views_monthly.months_xlsx, name="oversight_months_xlsx"),
    re_path(r"^report/(?P<ym>\d{4}-\d{2})\.pdf$", views_monthly.report_pdf, name="oversight_report_pdf"),
    re_path(r"^report/(?P<ym>\d{4}-\d{2})\.xlsx$", views_monthly.report_xlsx, name="oversight_report_xlsx"),
]
