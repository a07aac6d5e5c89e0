from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin

from committee import models, resources


class ReadOnlyHistoryMixin:
    """History is evidence: its pages may be read, never used to revert a record (a POST is refused even
    though SIMPLE_HISTORY_REVERT_DISABLED already hides the button)."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class HistoryAdmin(ReadOnlyHistoryMixin, SimpleHistoryAdmin):
    """Nothing recorded is deleted here either: records are voided or reversed by the apps' services."""

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.User)
class UserAdmin(ReadOnlyHistoryMixin, BaseUserAdmin, SimpleHistoryAdmin):
    pass


@admin.register(models.StreetOffice)
class StreetOfficeAdmin(HistoryAdmin):
    list_display = ["name", "code"]


@admin.register(models.Community)
class CommunityAdmin(HistoryAdmin):
    list_display = ["name", "street_office", "committee_name"]
    list_filter = ["street_office"]


@admin.register(models.Staff)
class StaffAdmin(ImportExportMixin, HistoryAdmin):
    resource_classes = [resources.StaffResource]
    list_display = ["name", "community", "street_office", "phone"]
    list_filter = ["street_office", "community"]
    search_fields = ["name", "phone"]


@admin.register(models.RoleAssignment)
class RoleAssignmentAdmin(ImportExportMixin, HistoryAdmin):
    resource_classes = [resources.RoleAssignmentResource]
    list_display = ["staff", "role", "community", "start", "end"]
    list_filter = ["role", "community"]


@admin.register(models.PolicyValue)
class PolicyValueAdmin(HistoryAdmin):
    list_display = ["key", "value", "community", "street_office"]


@admin.register(models.CalendarYear)
class CalendarYearAdmin(HistoryAdmin):
    list_display = ["year", "source", "confirmed"]


@admin.register(models.CalendarDay)
class CalendarDayAdmin(HistoryAdmin):
    list_display = ["date", "kind", "name"]
    list_filter = ["kind", "calendar_year"]


@admin.register(models.Approval)
class ApprovalAdmin(HistoryAdmin):
    list_display = ["summary", "step", "role_required", "status", "acted_by", "decided_at"]
    list_filter = ["status", "role_required"]
    readonly_fields = [f.name for f in models.Approval._meta.fields]


@admin.register(models.Grid)
class GridAdmin(HistoryAdmin):
    list_display = ["name", "community"]


@admin.register(models.Building)
class BuildingAdmin(HistoryAdmin):
    list_display = ["name", "community", "grid"]


@admin.register(models.Household)
class HouseholdAdmin(HistoryAdmin):
    list_display = ["__str__", "community"]


@admin.register(models.Person)
class PersonAdmin(ImportExportMixin, HistoryAdmin):
    resource_classes = [resources.PersonResource]
    list_display = ["name", "community", "household"]
    search_fields = ["name", "id_number", "name_initials"]
