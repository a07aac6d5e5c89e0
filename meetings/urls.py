from django.urls import path

from meetings import views

urlpatterns = [
    path("", views.home, name="meetings_home"),
    path("bodies/new/", views.body_new, name="meetings_body_new"),
    path("bodies/<int:pk>/", views.body_detail, name="meetings_body"),
    path("bodies/<int:pk>/edit/", views.body_edit, name="meetings_body_edit"),
    path("bodies/<int:pk>/members/add/", views.member_add, name="meetings_member_add"),
    path("bodies/<int:pk>/members/paste/", views.members_bulk, name="meetings_members_bulk"),
    path("members/<int:pk>/end/", views.member_end, name="meetings_member_end"),
    path("bodies/<int:pk>/meetings/new/", views.meeting_new, name="meetings_meeting_new"),
    path("bodies/<int:pk>/quick/", views.quick_record, name="meetings_quick"),
    path("<int:pk>/", views.meeting_detail, name="meetings_meeting"),
    path("<int:pk>/edit/", views.meeting_edit, name="meetings_meeting_edit"),
    path("<int:pk>/cancel/", views.meeting_cancel, name="meetings_meeting_cancel"),
    path("<int:pk>/roll-call/", views.roll_call, name="meetings_roll_call"),
    path("<int:pk>/agenda/add/", views.agenda_add, name="meetings_agenda_add"),
    path("<int:pk>/decisions/add/", views.decision_add, name="meetings_decision_add"),
    path("decisions/<int:pk>/void/", views.decision_void, name="meetings_decision_void"),
    path("<int:pk>/minutes/", views.minutes_edit, name="meetings_minutes"),
    path("<int:pk>/minutes/close/", views.minutes_close, name="meetings_minutes_close"),
    path("<int:pk>/minutes.pdf", views.minutes_pdf, name="meetings_minutes_pdf"),
    path("<int:pk>/attachments/add/", views.attachment_add, name="meetings_attachment_add"),
    path("attachments/<int:pk>/", views.attachment, name="meetings_attachment"),
    path("<int:pk>/leave/", views.leave_new, name="meetings_leave_new"),
    path("leave/<int:pk>/", views.leave_detail, name="meetings_leave"),
    path("calendar/", views.meetings_calendar, name="meetings_calendar"),
    path("regular/", views.regular, name="meetings_regular"),
    path("regular/<int:year>/<int:month>/prepare/", views.regular_prepare, name="meetings_regular_prepare"),
    path("deductions/", views.deductions_page, name="meetings_deductions"),
]
