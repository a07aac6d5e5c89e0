from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AttendanceConfig(AppConfig):
    name = "attendance"
    verbose_name = _("Attendance and leave")

    def ready(self):
        from attendance import inbox, services
        from attendance.duty import on_leave
        from attendance.models import LeaveRequest
        from committee import approvals, duty, navigation, scoping

        approvals.register(LeaveRequest, on_decided=services.on_leave_decided, describe=inbox.describe, kind=_("Leave"))  # ATT-3
        duty.register_absence_source(on_leave)  # ORG-4: people on leave are not in the office
        navigation.register(pgettext_lazy("attendance app", "Attendance"), "attendance_home", order=20, prefix="/attendance/")
        # the checks of the register, flags and emergency-leave pages, for links to them from other pages
        navigation.register_access("attendance_register", services.may_open_register)
        navigation.register_access("attendance_flags", services.may_open_register)
        navigation.register_access("attendance_emergency_new", lambda r: scoping.is_street_staff(r.user))
