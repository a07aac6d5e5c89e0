"""Reading the records of a month (or year) for a whole community with a fixed number of queries and
handing them to the pure rules (ATT-5, ATT-6, ATT-7). Nothing here writes."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from attendance import deductions, rules
from attendance.models import LeaveRequest, RegisterMonth, SignIn
from committee import calendar, policy
from committee.models import Community, Staff


@dataclass
class CommunityMonth:
    community: Community
    year: int
    month: int
    dates: list[dt.date]
    people: list[rules.PersonMonth]
    policy: rules.MonthPolicy
    calendar_warning: str
    pending_requests: int
    kept_from: dt.date | None = None  # first day the register is kept; None: "no attendance recorded"

    @property
    def recorded(self) -> bool:
        return self.kept_from is not None

    @property
    def partly_kept(self) -> bool:
        """The register starts after the month's first working day (days before count nothing)."""
        working = [d for d in self.dates if calendar.is_working_day(d)]
        return self.kept_from is not None and bool(working) and self.kept_from > working[0]

    @property
    def total_deduction(self) -> Decimal:
        return sum((p.total_deduction for p in self.people), rules.ZERO)

    @property
    def working_days(self) -> int:
        return sum(1 for d in self.dates if calendar.is_working_day(d))


def staff_of_month(community: Community, first: dt.date, last: dt.date):
    """Staff of the community employed at some point of the month."""
    return (
        Staff.objects.filter(community=community)
        .filter(Q(joined_on__isnull=True) | Q(joined_on__lte=last))
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=first))
        .order_by("name", "pk")
    )


def leave_by_day(leaves, first: dt.date, last: dt.date) -> dict[int, dict[dt.date, list[rules.LeaveDay]]]:
    """{staff_id: {date: [LeaveDay]}} for the approved and waiting leave of the period. Emergency leave
    whose written request is still within its time counts as waiting; past its time it counts for
    nothing, so its days are absence (ATT-4)."""
    today = timezone.localdate()
    out: dict[int, dict[dt.date, list[rules.LeaveDay]]] = defaultdict(lambda: defaultdict(list))
    for leave in leaves:
        if leave.state == LeaveRequest.State.APPROVED:
            status = "approved"
        elif leave.state == LeaveRequest.State.PENDING:
            status = "pending"
        elif leave.state == LeaveRequest.State.PAPERWORK and not rules.paperwork_late(leave.paperwork_due, today):
            status = "told"  # ATT-4: told in time, written request not yet due: waiting, not absence
        else:
            continue
        slots = rules.leave_slots(leave.start, leave.start_half, leave.end, leave.end_half)
        for day, halves in slots.items():
            if first <= day <= last:
                out[leave.staff_id][day].append(rules.LeaveDay(leave.kind, halves, status))
    return out


_UNREAD = object()


def kept_from(community: Community, year: int, month: int, first_line=_UNREAD,
              working: set[dt.date] | None = None) -> dt.date | None:
    """ATT-1: the first day of the month the community's register is kept: its first line (signed in,
    recorded by the keeper or imported; ``first_line`` when the caller read it) or the day the keeper
    started the month (RegisterMonth), whichever is earlier; None when neither exists. At most one query
    (none when the first line is on the month's first working day: nothing can start earlier)."""
    dates = rules.month_dates(year, month)
    if first_line is _UNREAD:
        first_line = (SignIn.objects.filter(community=community, date__gte=dates[0], date__lte=dates[-1])
                      .order_by("date").values_list("date", flat=True).first())
    working = working if working is not None else {d for d in dates if calendar.is_working_day(d)}
    if first_line is not None and (not working or first_line <= min(working)):
        return first_line
    started = RegisterMonth.objects.filter(community=community, year=year, month=month).values_list(
        "started_on", flat=True).first()
    days = [d for d in (first_line, started) if d is not None]
    return min(days) if days else None


def month_policy(community: Community) -> rules.MonthPolicy:
    return rules.MonthPolicy.from_values(policy.get_many(community, *rules.MonthPolicy.KEYS))


def community_month(community: Community, year: int, month: int, *, staff_list=None, today=None) -> CommunityMonth:
    """ATT-5, ATT-6 for every staff member of a community: four queries whatever the number of staff or
    days (staff, register, leave, policy), one more when the register of the month may have been started
    by the keeper (``kept_from``), plus the registered deduction providers'."""
    today = today or timezone.localdate()
    dates = rules.month_dates(year, month)
    first, last = dates[0], dates[-1]
    staff = list(staff_list) if staff_list is not None else list(staff_of_month(community, first, last))
    ids = [s.pk for s in staff]
    records: dict[int, dict[dt.date, rules.Record]] = defaultdict(dict)
    # The community's lines of the month (whoever is on the list: the first line tells when its register is
    # kept, ATT-1) and the listed staff's own lines, in one query.
    first_line = None
    wanted = set(ids)
    for staff_id, community_id, date, sign_in, sign_out in SignIn.objects.filter(
        Q(staff_id__in=ids) | Q(community=community), date__gte=first, date__lte=last
    ).values_list("staff_id", "community_id", "date", "sign_in", "sign_out"):
        if community_id == community.pk and (first_line is None or date < first_line):
            first_line = date
        if staff_id in wanted:
            records[staff_id][date] = rules.Record(sign_in, sign_out)
    leaves = list(
        LeaveRequest.objects.filter(staff_id__in=ids, start__lte=last, end__gte=first).exclude(
            state__in=[LeaveRequest.State.WITHDRAWN, LeaveRequest.State.REJECTED]
        )
    )
    by_day = leave_by_day(leaves, first, last)
    pol = month_policy(community)
    working = {d for d in dates if calendar.is_working_day(d)}
    # ATT-1: days before the community's register is kept count nothing; no register at all: nothing counted
    kept = kept_from(community, year, month, first_line, working)
    # ATT-1: today is not absence before the working day ends
    now = timezone.localtime().time() if today == timezone.localdate() else None
    extra: dict[int, list[rules.Line]] = defaultdict(list)
    for line in deductions.extra_lines(staff, year, month):
        extra[line["staff_id"]].append(rules.Line(line["reason"], line["rule"], rules.yuan(line["amount"])))
    people = [
        rules.person_month(
            staff_id=s.pk, name=s.name, wage=s.monthly_wage, dates=dates, working=working, today=today,
            employed_from=s.joined_on, employed_to=s.left_on, records=records.get(s.pk, {}),
            leave=by_day.get(s.pk, {}), policy=pol, extra_lines=extra.get(s.pk, ()), now=now, kept_from=kept,
        )
        for s in staff
    ]
    pending = sum(1 for lv in leaves if lv.state in (LeaveRequest.State.PENDING, LeaveRequest.State.PAPERWORK))
    return CommunityMonth(community, year, month, dates, people, pol, calendar.unconfirmed_warning(first), pending,
                          kept)


def yearly_flags(communities, year: int, *, today=None) -> dict[int, list[rules.Flag]]:
    """ATT-7 for every staff member of these communities, from approved leave of the year up to ``today``:
    two queries (leave, policy) whatever the number of communities."""
    today = today or timezone.localdate()
    communities = list(communities)
    first, last = dt.date(year, 1, 1), min(dt.date(year, 12, 31), today)
    if last < first:
        return {}
    policy.prefetch(communities)
    by_community = {c.pk: c for c in communities}
    leaves = LeaveRequest.objects.filter(
        community__in=communities, state=LeaveRequest.State.APPROVED, start__lte=last, end__gte=first
    ).values_list("staff_id", "community_id", "kind", "start", "start_half", "end", "end_half")
    sick: dict[int, dict[dt.date, Decimal]] = defaultdict(dict)
    personal: dict[int, dict[dt.date, Decimal]] = defaultdict(dict)
    staff_community: dict[int, int] = {}
    for staff_id, community_id, kind, start, start_half, end, end_half in leaves:
        staff_community[staff_id] = community_id
        target = sick if kind == LeaveRequest.Kind.SICK else personal
        for day, halves in rules.leave_slots(start, start_half, end, end_half).items():
            if first <= day <= last:
                target[staff_id][day] = min(rules.ONE, target[staff_id].get(day, rules.ZERO) + rules.HALF * len(halves))
    working = calendar.working_days_between(first, last)
    out: dict[int, list[rules.Flag]] = {}
    for staff_id, community_id in staff_community.items():
        values = policy.get_many(by_community[community_id], "att.continuous_sick_months", "att.total_sick_months",
                                 "att.total_personal_months", "att.wage_days_divisor")
        flags = rules.resignation_flags(
            staff_id, sick.get(staff_id, {}), personal.get(staff_id, {}), working,
            continuous_sick_months=values["att.continuous_sick_months"],
            total_sick_months=values["att.total_sick_months"],
            total_personal_months=values["att.total_personal_months"],
            month_days=values["att.wage_days_divisor"],
        )
        if flags:
            out[staff_id] = flags
    return out


def score_deductions(community: Community, year: int) -> Decimal:
    """ATT-8 → POST-6: percentage points deducted from the community's target-responsibility total score for
    a year, one policy share per inspection that found a problem (voided inspections excepted)."""
    from django.db.models import Sum

    from attendance.models import Inspection

    total = Inspection.objects.filter(
        community=community, date__year=year, problem_found=True, voided=False
    ).aggregate(s=Sum("deduction_pct"))["s"]
    return total or rules.ZERO
