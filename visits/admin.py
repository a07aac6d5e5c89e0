from django.contrib import admin

from committee.admin import HistoryAdmin  # CTL-5: read-only, nothing deleted
from visits.models import Counter, GroupMember, LedgerEntry, LocalUnit, Problem, Request, Visit


@admin.register(GroupMember)
class GroupMemberAdmin(HistoryAdmin):
    list_display = ["person", "grid", "position", "start", "end"]


@admin.register(LocalUnit)
class LocalUnitAdmin(HistoryAdmin):
    list_display = ["name", "community", "active"]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(HistoryAdmin):
    list_display = ["grid", "kind", "text", "recorded_at"]


@admin.register(Visit)
class VisitAdmin(HistoryAdmin):
    list_display = ["date", "community", "household", "unit", "minutes"]


@admin.register(Problem)
class ProblemAdmin(HistoryAdmin):
    list_display = ["text", "community", "solved_at"]


@admin.register(Request)
class RequestAdmin(HistoryAdmin):
    list_display = ["number", "community", "kind", "status", "due_on"]


@admin.register(Counter)
class CounterAdmin(HistoryAdmin):
    list_display = ["community", "year", "last"]
