"""Demo attendance for 和平里社区 (heping): the register from the start of the month before last up to
yesterday (a few late arrivals, one absence), approved sick and personal leave (one person past the ATT-7
flag, one above the personal-leave limit), a half-day request waiting for heping.director, an emergency
leave whose written request is overdue (ATT-4), last month's sheet not yet sent (ATT-9), inspections
(ATT-8). Idempotent: a second run adds nothing."""

from __future__ import annotations

import contextlib
import datetime as dt
import random
from unittest import mock

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from attendance import rules, services
from attendance.models import Inspection, LeaveRequest, MonthlySheet, SignIn
from committee import approvals, calendar
from committee.models import Community, Staff


def _staff(login: str) -> Staff | None:
    return Staff.objects.select_related("user", "community").filter(user__username=login).first()


def _approve_all(leave, users):
    """Decide every step of a demo request through the shared approvals, as the holder of the role."""
    for step in approvals.steps_for(leave).filter(status="pending").order_by("step"):
        for user in users:
            try:
                approvals.decide(step.pk, acting_user=user, approve=True, comment="同意")
                break
            except Exception:  # noqa: BLE001 - try the next demo approver
                continue


@contextlib.contextmanager
def _as_of(day: dt.date):
    """Demo history: enter a request as it was entered then, beforehand (ATT-3 refuses past days today)."""
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))
    with mock.patch("django.utils.timezone.now", return_value=at), \
            mock.patch("django.utils.timezone.localdate", return_value=day):
        yield


def _working_days(start: dt.date, end: dt.date) -> list[dt.date]:
    return calendar.working_days_between(start, end) if start <= end else []


def _nth_working_day(year: int, month: int, n: int) -> dt.date:
    day = calendar.next_working_day(dt.date(year, month, 1))
    return calendar.add_working_days(day, n - 1) if n > 1 else day


@transaction.atomic
def load(stdout=None) -> None:
    community = Community.objects.filter(code="heping").first()
    if community is None:
        return
    if LeaveRequest.objects.filter(community=community).exists():
        if stdout:
            stdout.write("attendance: demo already loaded")
        return
    rng = random.Random(20261201)
    today = timezone.localdate()
    first_month = rules.add_months(today.replace(day=1), -2)
    yesterday = today - dt.timedelta(days=1)
    m1 = first_month
    m2 = rules.add_months(first_month, 1)

    logins = {k: _staff(f"heping.{k}") for k in ("director", "secretary", "deputy", "civil", "dibao", "labour",
                                                  "service", "station", "archivist", "bookkeeper", "member")}
    dept = _staff("street.dept")
    leader = _staff("street.leader")
    approvers = [u.user for u in (logins["director"], logins["secretary"], dept, leader) if u and u.user]
    if any(v is None for v in logins.values()) or dept is None:
        return

    # --- leave, through the services and the shared approvals ----------------------------------------
    def leave(who, kind, start, end, reason, start_half="am", end_half="pm", approve=True):
        staff = logins[who]
        with _as_of(min(start - dt.timedelta(days=1), today)):
            item = services.request_leave(staff=staff, kind=kind, start=start, start_half=start_half, end=end,
                                          end_half=end_half, reason=reason, acting_user=staff.user)
            if approve:
                _approve_all(item, approvers)
        return item

    civil_1 = _nth_working_day(m2.year, m2.month, 8)
    leave("civil", "sick", civil_1, calendar.add_working_days(civil_1, 1), "感冒发烧，附社区卫生服务中心病假条")
    book_1 = _nth_working_day(m2.year, m2.month, 12)
    leave("bookkeeper", "personal", book_1, calendar.add_working_days(book_1, 1), "老家房屋翻修，回乡处理")
    dibao_1 = _nth_working_day(today.year, today.month, 3)
    if dibao_1 < today:
        leave("dibao", "personal", dibao_1, dibao_1, "上午带老人去医院复查", end_half="am")
    sick_start = _nth_working_day(m1.year, m1.month, 10)
    leave("labour", "sick", sick_start, calendar.add_working_days(sick_start, 28), "腰椎间盘突出住院治疗，附住院证明")
    # waiting for heping.director: half a day on the next working day
    nxt = calendar.add_working_days(today, 1)
    leave("member", "personal", nxt, nxt, "下午参加孩子学校家长会", start_half="pm", approve=False)
    # emergency leave told to the department head; the written request was never filed (ATT-4)
    emergency_day = calendar.add_working_days(today - dt.timedelta(days=14), 0)
    services.record_emergency(staff=logins["station"], kind="sick", start=emergency_day, start_half="am",
                              end=emergency_day, end_half="pm", reason="早上电话告知：急性肠胃炎去医院",
                              told_on=emergency_day, acting_user=dept.user)

    # --- the register -----------------------------------------------------------------------------
    on_leave: set[tuple[int, dt.date]] = set()
    for item in LeaveRequest.objects.filter(community=community):
        for day, halves in rules.leave_slots(item.start, item.start_half, item.end, item.end_half).items():
            if len(halves) == 2 or item.state != "approved":
                on_leave.add((item.staff_id, day))
    absent_day = (logins["archivist"].pk, _nth_working_day(m2.year, m2.month, 15))
    late_person = logins["deputy"].pk
    late_days = set(_working_days(m2, rules.add_months(m2, 1) - dt.timedelta(days=1))[2::4][:5])
    rows = []
    staff_list = list(Staff.objects.filter(community=community))
    for day in _working_days(first_month, yesterday):
        for person in staff_list:
            if (person.pk, day) in on_leave or (person.pk, day) == absent_day:
                continue
            if person.pk == late_person and day in late_days:
                sign_in = dt.time(8, rng.randint(33, 59))
            elif rng.random() < 0.02:
                sign_in = dt.time(8, rng.randint(31, 45))
            elif rng.random() < 0.25:
                sign_in = dt.time(7, rng.randint(40, 59))
            else:
                sign_in = dt.time(8, rng.randint(0, 29))
            sign_out = dt.time(17, rng.randint(30, 59)) if rng.random() > 0.02 else dt.time(17, rng.randint(0, 25))
            rows.append(SignIn(community=community, staff=person, date=day, sign_in=sign_in, sign_out=sign_out,
                               source=SignIn.Source.IMPORT if rng.random() < 0.5 else SignIn.Source.SELF))
    bulk_create_with_history(rows, SignIn, batch_size=500)

    # --- the sheet of the month before last was sent; last month's is not (ATT-9) ---------------------
    keeper = logins["service"]
    MonthlySheet.objects.get_or_create(
        community=community, year=m1.year, month=m1.month,
        defaults={"sent_on": rules.sheet_due(m1.year, m1.month, 10) - dt.timedelta(days=1), "sent_by": keeper,
                  "seal_reference": f"用印-{m1.year}-{m1.month:02d}-07"},
    )
    # --- inspections (ATT-8) --------------------------------------------------------------------------
    inspect_day = _nth_working_day(m2.year, m2.month, 16)
    Inspection.objects.get_or_create(
        community=community, date=inspect_day,
        defaults={"inspector": dept, "problem_found": True, "deduction_pct": 10,
                  "finding": "上午9点抽查，一人未到岗也未请假，考勤簿当天未登记"},
    )
    yinxing = Community.objects.filter(code="yinxing").first()
    if yinxing:
        Inspection.objects.get_or_create(
            community=yinxing, date=inspect_day,
            defaults={"inspector": dept, "problem_found": False, "deduction_pct": 0, "finding": "人员在岗，考勤簿登记完整"},
        )
    if stdout:
        stdout.write(f"attendance: {len(rows)} register lines, leave requests and inspections for {community.name}")
