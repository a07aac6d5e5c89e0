from django.contrib import admin

from committee.admin import HistoryAdmin, ReadOnlyInline  # CTL-5: read-only, nothing deleted
from meetings.models import (
    AgendaItem,
    Attachment,
    Attendance,
    Body,
    BodyMember,
    Decision,
    Dissent,
    LeaveRequest,
    Meeting,
    MinutesCorrection,
)


class MemberInline(ReadOnlyInline):
    model = BodyMember


@admin.register(Body)
class BodyAdmin(HistoryAdmin):
    list_display = ("name", "kind", "community", "cadence_months", "active")
    list_filter = ("kind", "active", "community")
    search_fields = ("name",)
    inlines = [MemberInline]


@admin.register(Meeting)
class MeetingAdmin(HistoryAdmin):
    list_display = ("date", "title", "body", "category", "status", "present_count", "members_total")
    list_filter = ("category", "status", "community")
    search_fields = ("title",)
    date_hierarchy = "date"


@admin.register(Decision)
class DecisionAdmin(HistoryAdmin):
    list_display = ("title", "meeting", "votes_for", "votes_against", "votes_abstain", "adopted", "major", "voided")
    list_filter = ("adopted", "major", "voided")


for model in (BodyMember, Attendance, AgendaItem, Dissent, Attachment, MinutesCorrection, LeaveRequest):
    admin.site.register(model, HistoryAdmin)
