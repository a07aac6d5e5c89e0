"""The Django admin: read-only (CTL-5).

Records change only through the product's services, which check the rules, ask for approvals and keep
history; the admin must not be a side door around them. So every model registered here — and in every
app's admin.py, which use ``HistoryAdmin`` — can be viewed by a superuser and not added, changed or
deleted. History pages are readable and never revert anything. Logins and staff are never deleted, only
deactivated (committee.accounts.close_account, Staff.left_on).

Reference data (``REFERENCE_DATA``) stays editable by a superuser, without delete: the street offices and
communities themselves (names, codes, addresses, phone numbers), which no page of the product edits and
which no rule takes as an input. Everything else — staff and roles, logins, policy values, the working-day
calendar, approvals, the residents' register, the audit trail, and every record of attendance, meetings
and finance — is read-only. tests/test_admin_readonly.py checks every registered model against this list.
"""

import django.contrib.auth.admin  # noqa: F401  registers Group first, so it can be replaced below
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from committee import models

REFERENCE_DATA = frozenset({"committee.streetoffice", "committee.community"})


class ReadOnlyHistoryMixin:
    """History is evidence: its pages may be read, never used to revert a record (a POST is refused even
    though SIMPLE_HISTORY_REVERT_DISABLED already hides the button)."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReadOnlyPermissions:
    """View for superusers; no add, change or delete for anybody (CTL-5)."""

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request, *args, **kwargs):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class HistoryAdmin(ReadOnlyPermissions, ReadOnlyHistoryMixin, SimpleHistoryAdmin):
    """Every rule-governed model: read-only, with its history readable (CTL-5)."""


class ReadOnlyInline(ReadOnlyPermissions, admin.TabularInline):
    extra = 0


class ReferenceDataAdmin(ReadOnlyHistoryMixin, SimpleHistoryAdmin):
    """REFERENCE_DATA: editable by a superuser, never deleted."""

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.User)
class UserAdmin(ReadOnlyPermissions, ReadOnlyHistoryMixin, BaseUserAdmin, SimpleHistoryAdmin):
    """Logins are opened, reset and closed on the staff pages by the account holder (CTL-3)."""

    list_display = ["username", "is_active", "must_change_password", "is_superuser", "last_login"]


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(ReadOnlyPermissions, BaseGroupAdmin):
    pass


@admin.register(AccessAttempt)
class AccessAttemptAdmin(ReadOnlyPermissions, admin.ModelAdmin):
    """django-axes' failed-login counters (CTL-9); `manage.py axes_reset_username` lifts a lockout."""

    list_display = ["attempt_time", "username", "ip_address", "failures_since_start"]
    search_fields = ["username", "ip_address"]


@admin.register(AccessFailureLog)
class AccessFailureLogAdmin(ReadOnlyPermissions, admin.ModelAdmin):
    list_display = ["attempt_time", "username", "ip_address", "locked_out"]


@admin.register(models.StreetOffice)
class StreetOfficeAdmin(ReferenceDataAdmin):
    list_display = ["name", "code"]


@admin.register(models.Community)
class CommunityAdmin(ReferenceDataAdmin):
    list_display = ["name", "street_office", "committee_name"]
    list_filter = ["street_office"]


@admin.register(models.Staff)
class StaffAdmin(HistoryAdmin):
    list_display = ["name", "community", "street_office", "phone"]
    list_filter = ["street_office", "community"]
    search_fields = ["name", "phone"]


@admin.register(models.RoleAssignment)
class RoleAssignmentAdmin(HistoryAdmin):
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
class PersonAdmin(HistoryAdmin):
    list_display = ["name", "community", "household"]
    search_fields = ["name", "name_initials"]


@admin.register(models.AuditEvent)
class AuditEventAdmin(HistoryAdmin):
    list_display = ["at", "kind", "actor_name", "target_label", "street_office", "ip"]
    list_filter = ["kind", "street_office"]


@admin.register(models.Notification)
class NotificationAdmin(HistoryAdmin):
    list_display = ["day", "recipient", "kind", "title", "emailed_at", "read_at"]
    list_filter = ["kind", "day"]
