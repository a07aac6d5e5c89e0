from django.urls import path

from disclosure import views

urlpatterns = [
    path("", views.home, name="disclosure_home"),
    path("compose/", views.compose, name="disclosure_compose"),
    path("new/", views.new, name="disclosure_new"),
    path("cadence/", views.cadence, name="disclosure_cadence"),
    path("categories/<slug:key>/", views.category_edit, name="disclosure_category"),
    path("<int:pk>/", views.detail, name="disclosure_notice"),
    path("<int:pk>/edit/", views.edit, name="disclosure_edit"),
    path("<int:pk>/submit/", views.submit, name="disclosure_submit"),
    path("<int:pk>/withdraw/", views.withdraw, name="disclosure_withdraw"),
    path("<int:pk>/issue/", views.issue, name="disclosure_issue"),
    path("<int:pk>/take-down/", views.take_down, name="disclosure_take_down"),
    path("<int:pk>/correct/", views.correct, name="disclosure_correct"),
    path("<int:pk>.pdf", views.pdf, name="disclosure_pdf"),
]
