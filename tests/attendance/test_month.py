"""Monthly figures of a community (ATT-5, ATT-6), the deductions extension point, the sheet as PDF and
Excel and its sending (ATT-9), with query counts that do not grow with staff."""

import datetime as dt
import io
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from attendance import deductions, figures, services
from attendance.models import LeaveRequest, MonthlySheet
from committee import calendar
from committee.models import Role
from tests import factories as f
from tests.attendance.conftest import sign_days
from tests.conftest import login

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def march():
    return [d for d in (dt.date(2026, 3, n) for n in range(1, 32)) if calendar.is_working_day(d)]


def at(*args):
    return time_machine.travel(dt.datetime(*args, tzinfo=SH), tick=False)


def _people(community, n):
    people = [f.staff(community, "员工", [Role.MEMBER], wage="4350.00") for _ in range(n)]
    days = march()
    for p in people:
        sign_days(p, days[:-1])  # each misses the last working day: one absence
        LeaveRequest.objects.create(community=community, staff=p, kind="sick", start=days[0], end=days[0],
                                    days=1, state="approved", requested_by=p)
    return people


def _count(community):
    calendar.is_working_day(dt.date(2026, 3, 1))  # the calendar cache is per process, not per request
    with CaptureQueriesContext(connection) as ctx:
        figures.community_month(community, 2026, 3, today=dt.date(2026, 4, 20))
    return len(ctx.captured_queries)


def test_att_5_att_6_month_queries_do_not_grow_with_staff(community_a, community_b):
    _people(community_a, 3)
    _people(community_b, 15)
    assert _count(community_a) == _count(community_b) <= 5


def test_att_6_month_figures_with_absence_and_sick_day(community_a):
    [p] = _people(community_a, 1)
    cm = figures.community_month(community_a, 2026, 3, today=dt.date(2026, 4, 20))
    pm = cm.people[0]
    assert pm.staff_id == p.pk
    assert pm.sick_days == 1 and pm.absent_days == 1 and not pm.full_attendance
    assert [line.amount for line in pm.lines] == [D("200.00")]


def test_deductions_extension_point_adds_lines_to_the_month_and_the_sheet(community_a, director_a):
    [p] = _people(community_a, 1)
    calls = []

    def meeting_absences(staff_list, year, month):
        calls.append((len(staff_list), year, month))
        return [{"staff_id": p.pk, "reason": "未经批准缺席例会", "rule": "MTG-5", "amount": D("435.00")}]

    deductions.register(meeting_absences)
    try:
        cm = figures.community_month(community_a, 2026, 3, today=dt.date(2026, 4, 20))
        pm = next(x for x in cm.people if x.staff_id == p.pk)
        assert [line.rule for line in pm.lines] == ["ATT-6", "MTG-5"]
        assert pm.total_deduction == D("635.00")
        with at(2026, 4, 20, 10, 0):
            response = login(director_a).get("/attendance/month/2026/3/")
        assert "未经批准缺席例会" in response.content.decode()
        assert "635.00" in response.content.decode()
    finally:
        deductions.unregister(meeting_absences)
    assert calls and calls[0][1:] == (2026, 3)
    assert meeting_absences not in deductions._providers


def test_att_9_sheet_pdf_has_the_grid_totals_signatures_and_an_embedded_cjk_font(community_a, director_a, keeper_a,
                                                                                  django_assert_max_num_queries):
    from pypdf import PdfReader

    _people(community_a, 3)
    client = login(director_a)
    with at(2026, 4, 5, 10, 0):
        response = client.get("/attendance/month/2026/3/sheet.pdf")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert community_a.committee_name in text
    assert "考勤表" in text
    assert "旷" in text and "病" in text
    assert "扣款" in text or "扣" in text
    assert keeper_a.name in text and director_a.name in text
    assert "盖章" in text or "印" in text
    fonts = [str(v.get_object()["/BaseFont"]) for page in reader.pages
             for v in page["/Resources"]["/Font"].values()]
    assert any("CJK" in name for name in fonts)


def test_att_9_sheet_pdf_queries_do_not_grow_with_staff(community_a, community_b, director_a, director_b):
    _people(community_a, 3)
    _people(community_b, 15)
    counts = []
    for director in (director_a, director_b):
        client = login(director)
        client.get("/attendance/")  # warm the session and calendar
        with at(2026, 4, 5, 10, 0), CaptureQueriesContext(connection) as ctx:
            assert client.get("/attendance/month/2026/3/sheet.pdf").status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_att_9_excel_has_the_same_figures(community_a, director_a):
    from openpyxl import load_workbook

    people = _people(community_a, 2)
    with at(2026, 4, 5, 10, 0):
        response = login(director_a).get("/attendance/month/2026/3/sheet.xlsx")
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert "考勤" in rows[0][0]
    header = rows[1]
    assert header[0] == "姓名"
    deducted = header.index("扣款（元）")
    row = next(r for r in rows if r[0] == people[0].name)
    assert row[deducted] == 200.0  # one absence; one sick day is within full attendance
    assert "ATT-6" in row[-1] and "旷工" in row[-1]
    assert row[1:32].count("旷") == 1
    detail = load_workbook(io.BytesIO(response.content))["签到明细"]
    lines = list(detail.iter_rows(values_only=True))
    assert lines[0][0] == "姓名" and len(lines) == 1 + 2 * 21  # two people, 21 of 22 days signed


def test_att_9_recording_the_sheet_sent_once_after_the_month(community_a, keeper_a, staff_a):
    with at(2026, 3, 20, 10, 0):
        with pytest.raises(ValidationError, match="ATT-9"):
            services.mark_sheet_sent(community=community_a, year=2026, month=3, sent_on=dt.date(2026, 3, 20),
                                     acting_user=keeper_a.user)
    with at(2026, 4, 8, 10, 0):
        with pytest.raises(ValidationError, match="ATT-1"):
            services.mark_sheet_sent(community=community_a, year=2026, month=3, sent_on=dt.date(2026, 4, 8),
                                     acting_user=staff_a.user)
        sheet = services.mark_sheet_sent(community=community_a, year=2026, month=3, sent_on=dt.date(2026, 4, 8),
                                         seal_reference="用印2026-031", acting_user=keeper_a.user)
        assert sheet.seal_reference == "用印2026-031"
        with pytest.raises(ValidationError, match="ATT-9"):
            services.mark_sheet_sent(community=community_a, year=2026, month=3, sent_on=dt.date(2026, 4, 8),
                                     acting_user=keeper_a.user)
    assert MonthlySheet.objects.count() == 1


def test_att_5_month_page_query_count_does_not_grow(community_a, director_a, django_assert_max_num_queries):
    _people(community_a, 3)
    client = login(director_a)
    with at(2026, 4, 20, 10, 0):
        client.get("/attendance/month/2026/3/")
        with CaptureQueriesContext(connection) as small:
            client.get("/attendance/month/2026/3/")
        _people(community_a, 12)
        with CaptureQueriesContext(connection) as large:
            client.get("/attendance/month/2026/3/")
    assert len(small.captured_queries) == len(large.captured_queries)


def test_att_1_own_month_page_shows_days_and_the_reason_for_each_deduction(community_a):
    [p] = _people(community_a, 1)
    with at(2026, 4, 20, 10, 0):
        response = login(p).get(f"/attendance/staff/{p.pk}/2026/3/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "ATT-6" in body and "200.00" in body


def test_att_6_a_request_crossing_months_counts_in_each_month_with_the_make_up_saturday(community_a, staff_a,
                                                                                       supervisor, director_a):
    with at(2026, 2, 25, 9, 0):
        leave = services.request_leave(staff=staff_a, kind="personal", start=dt.date(2026, 2, 26), start_half="am",
                                       end=dt.date(2026, 3, 3), end_half="pm", reason="回老家", acting_user=staff_a.user)
        from committee import approvals

        first, step = approvals.steps_for(leave)  # ATT-3: director, then department head
        approvals.decide(first.pk, acting_user=director_a.user, approve=True)
        approvals.decide(step.pk, acting_user=supervisor.user, approve=True)
    sign_days(director_a, [dt.date(2026, 2, 2), dt.date(2026, 3, 2)])  # both months' registers are kept
    feb = figures.community_month(community_a, 2026, 2, staff_list=[staff_a], today=dt.date(2026, 4, 1)).people[0]
    mar = figures.community_month(community_a, 2026, 3, staff_list=[staff_a], today=dt.date(2026, 4, 1)).people[0]
    assert feb.personal_days == 3  # 26th, 27th and the make-up Saturday 28th
    assert mar.personal_days == 2  # 2nd and 3rd
    assert [line.rule for line in feb.lines if "事假" in line.reason] == ["ATT-6"]


def test_att_3_an_approver_whose_role_ended_cannot_decide(community_a, staff_a):
    from committee import approvals

    former = f.staff(community_a, "前主任", [Role.DIRECTOR], end=dt.date(2026, 3, 1))
    current = f.staff(community_a, "新主任", [Role.DIRECTOR], start=dt.date(2026, 3, 2))
    with at(2026, 3, 2, 9, 0):
        leave = services.request_leave(staff=staff_a, kind="sick", start=dt.date(2026, 3, 3), start_half="am",
                                       end=dt.date(2026, 3, 3), end_half="am", reason="复诊", acting_user=staff_a.user)
        [step] = approvals.steps_for(leave)
        with pytest.raises(ValidationError, match="ORG-3"):
            approvals.decide(step.pk, acting_user=former.user, approve=True)
        approvals.decide(step.pk, acting_user=current.user, approve=True)
    leave.refresh_from_db()
    assert leave.state == "approved"
