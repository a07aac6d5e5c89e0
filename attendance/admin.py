from django.contrib import admin

from attendance import models
from committee.admin import HistoryAdmin  # CTL-5: read-only, history never reverted, nothing deleted


@admin.register(models.SignIn)
class SignInAdmin(HistoryAdmin):
    list_display = ["date", "staff", "sign_in", "sign_out", "source", "community"]
    list_filter = ["community", "source"]
    search_fields = ["staff__name"]
    date_hierarchy = "date"


@admin.register(models.LeaveRequest)
class LeaveRequestAdmin(HistoryAdmin):
    list_display = ["staff", "kind", "start", "end", "days", "state", "emergency", "community"]
    list_filter = ["community", "kind", "state", "emergency"]
    search_fields = ["staff__name"]


@admin.register(models.Inspection)
class InspectionAdmin(HistoryAdmin):
    list_display = ["community", "date", "problem_found", "deduction_pct", "voided"]
    list_filter = ["community", "problem_found"]


@admin.register(models.MonthlySheet)
class MonthlySheetAdmin(HistoryAdmin):
    list_display = ["community", "year", "month", "sent_on", "seal_reference"]
    list_filter = ["community", "year"]


@admin.register(models.ResignationReview)
class ResignationReviewAdmin(HistoryAdmin):
    list_display = ["staff", "year", "decision", "decided_by"]


@admin.register(models.RegisterMonth)
class RegisterMonthAdmin(HistoryAdmin):
    list_display = ["community", "year", "month", "started_by", "started_at"]
    list_filter = ["community", "year"]
