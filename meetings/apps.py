from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from committee import approvals, calendar, indicators, navigation
        from meetings import inbox, reminders, services
        from meetings.deductions import monthly_lines
        from meetings.models import LeaveRequest, Meeting
        from meetings.views import calendar_events

        calendar.register_events(calendar_events)  # the street regular meetings on the working-day calendar
        approvals.register(LeaveRequest, on_decided=services.on_leave_decided, describe=inbox.describe_leave,
                           kind=_("Meeting leave"))
        approvals.register(Meeting, on_decided=services.on_minutes_decided, describe=inbox.describe_minutes,
                           kind=_("Minutes"))  # MTG-6: minutes approval
        navigation.register(_("Meetings"), "meetings_home", order=30, prefix="/meetings/")
        indicators.register("mtg_held", _("Meetings held this year"), reminders.meetings_this_year, order=50,
                            url=lambda c: reverse("meetings_home"))
        indicators.register("mtg_overdue", _("Meeting bodies overdue (MTG-11)"), reminders.overdue_bodies, order=51,
                            url=lambda c: reverse("meetings_home"))
        try:
            from attendance import deductions
        except ImportError:
            pass
        else:
            if hasattr(deductions, "register"):
                deductions.register(monthly_lines)  # MTG-5 lines on the ATT monthly sheet
