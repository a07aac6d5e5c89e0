"""What is due or overdue in attendance, for the dashboards: ATT-4 missing written requests of emergency
leave, ATT-7 "to be treated as resigned" flags, ATT-9 the monthly sheet not yet sent. A fixed number of
queries whatever the number of communities."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from attendance import figures, rules, services
from attendance.models import LeaveRequest, MonthlySheet, RegisterMonth, ResignationReview, SignIn
from committee import counts, policy, reminders
from committee.models import Staff


@reminders.register
def emergency_paperwork(communities, day):
    """ATT-4: an emergency leave's written request is due within N working days; overdue → absence."""
    leaves = LeaveRequest.objects.filter(
        community__in=communities, state=LeaveRequest.State.PAPERWORK
    ).select_related("staff", "community")
    for leave in leaves:
        state = reminders.state_for(leave.paperwork_due, day, warn_days=7)
        if state is None:
            continue
        yield reminders.Reminder(
            community=leave.community,
            title=_("Written leave request of %(name)s (emergency leave %(start)s)")
            % {"name": leave.staff.name, "start": leave.start.isoformat()},
            rule="ATT-4",
            due=leave.paperwork_due,
            state=state,
            url=leave.get_absolute_url(),
            detail=_("Not filed in time, the days count as absence without leave.") if state == reminders.OVERDUE
            else "",
        )


@counts.register
def sheet_counts(communities, day):
    """Per community (``committee.counts``): last month's sheet sent (ATT-9), and whether the month has any
    attendance recorded at all (a register line, or the month started by the keeper, ATT-1)."""
    year, month = rules.previous_month(day)
    dates = rules.month_dates(year, month)
    return {"attendance.sheet_sent": MonthlySheet.objects.filter(year=year, month=month),
            "attendance.sign_ins": SignIn.objects.filter(date__gte=dates[0], date__lte=dates[-1]),
            "attendance.month_started": RegisterMonth.objects.filter(year=year, month=month)}


@reminders.register
def monthly_sheet(communities, day):
    """ATT-9: last month's stamped sheet is due at the street office by the 10th; not for a month with no
    attendance recorded (no register line and not started by the keeper, ATT-1): there is no sheet to send."""
    year, month = rules.previous_month(day)
    policy.prefetch(communities)
    figures = counts.of(communities, day)
    for community in communities:
        mine = figures.get(community.pk, {})
        if mine.get("attendance.sheet_sent") or not (mine.get("attendance.sign_ins")
                                                     or mine.get("attendance.month_started")):
            continue
        due = rules.sheet_due(year, month, policy.get(community, "att.sheet_due_day"))
        state = reminders.state_for(due, day, warn_days=10)
        if state is None:
            continue
        yield reminders.Reminder(
            community=community,
            title=_("Attendance sheet of %(year)s-%(month)02d to the street office") % {"year": year, "month": month},
            rule="ATT-9",
            due=due,
            state=state,
            url=reverse("attendance_month", args=[year, month]),
            open_to=services.oversees,
        )


@reminders.register
def resignation_flags(communities, day):
    """ATT-7: flags "to be treated as resigned" for the street office to decide (until decided)."""
    flags = figures.yearly_flags(communities, day.year, today=day)
    if not flags:
        return
    decided = set(ResignationReview.objects.filter(staff_id__in=flags, year=day.year).values_list("staff_id",
                                                                                                   flat=True))
    staff = {s.pk: s for s in Staff.objects.filter(pk__in=flags).select_related("community")}
    for staff_id, items in flags.items():
        if staff_id in decided:
            continue
        person = staff[staff_id]
        yield reminders.Reminder(
            community=person.community,
            title=_("%(name)s: to be treated as resigned? The street office decides") % {"name": person.name},
            rule="ATT-7",
            due=day,
            state=reminders.NOTICE,
            url=reverse("attendance_flags") + f"?year={day.year}",
            detail="; ".join(f.text for f in items),
        )
