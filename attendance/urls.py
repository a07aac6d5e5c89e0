from django.urls import path

from attendance import views

urlpatterns = [
    path("", views.home, name="attendance_home"),
    path("sign/", views.sign, name="attendance_sign"),
    path("month/start/", views.month_start, name="attendance_month_start"),
    path("month/<int:year>/<int:month>/", views.month_page, name="attendance_month"),
    path("month/<int:year>/<int:month>/sheet.pdf", views.sheet_pdf, name="attendance_sheet_pdf"),
    path("month/<int:year>/<int:month>/sheet.xlsx", views.sheet_xlsx, name="attendance_sheet_xlsx"),
    path("month/<int:year>/<int:month>/sent/", views.sheet_sent, name="attendance_sheet_sent"),
    path("staff/<int:pk>/<int:year>/<int:month>/", views.person_month, name="attendance_person_month"),
    path("register/", views.register, name="attendance_register"),
    path("register/add/", views.record_add, name="attendance_record_add"),
    path("register/<int:pk>/correct/", views.record_correct, name="attendance_record_correct"),
    path("import/", views.import_page, name="attendance_import"),
    path("leave/", views.leave_list, name="attendance_leave_list"),
    path("leave/new/", views.leave_new, name="attendance_leave_new"),
    path("leave/emergency/", views.emergency_new, name="attendance_emergency_new"),
    path("leave/<int:pk>/", views.leave_detail, name="attendance_leave_detail"),
    path("leave/<int:pk>/attachment/", views.leave_attachment, name="attendance_leave_attachment"),
    path("leave/<int:pk>/withdraw/", views.leave_withdraw, name="attendance_leave_withdraw"),
    path("leave/<int:pk>/edit/", views.leave_edit, name="attendance_leave_edit"),
    path("leave/<int:pk>/file/", views.leave_file, name="attendance_leave_file"),
    path("inspections/", views.inspections, name="attendance_inspections"),
    path("inspections/new/", views.inspection_new, name="attendance_inspection_new"),
    path("flags/", views.flags, name="attendance_flags"),
    path("flags/<int:pk>/<int:year>/", views.flag_review, name="attendance_flag_review"),
]
