"""Leave through the pages: request, decide on the record's own page, withdraw; emergency leave."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine

from attendance.models import LeaveRequest
from committee import approvals
from tests.conftest import login

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def at(*args):
    return time_machine.travel(dt.datetime(*args, tzinfo=SH), tick=False)


def test_att_3_request_half_a_day_and_the_director_approves_on_the_leave_page(staff_a, director_a):
    with at(2026, 3, 2, 9, 0):
        response = login(staff_a).post("/attendance/leave/new/", {
            "kind": "personal", "start": "2026-03-04", "start_half": "pm", "end": "2026-03-04", "end_half": "pm",
            "reason": "孩子家长会"})
        leave = LeaveRequest.objects.get()
        assert response.status_code == 302 and response["Location"] == f"/attendance/leave/{leave.pk}/"
        page = login(director_a).get(f"/attendance/leave/{leave.pk}/")
        [mine] = set(re.findall(r'action="/approvals/(\d+)/decide/"', page.content.decode()))  # the decide form
        login(director_a).post(f"/approvals/{mine}/decide/", {"decision": "approve",
                                                                 "next": f"/attendance/leave/{leave.pk}/"})
    leave.refresh_from_db()
    assert leave.state == "approved" and leave.days == 0.5


def test_att_3_bad_request_shows_the_error_and_saves_nothing(staff_a):
    with at(2026, 3, 2, 9, 0):
        response = login(staff_a).post("/attendance/leave/new/", {
            "kind": "sick", "start": "2026-03-07", "start_half": "am", "end": "2026-03-08", "end_half": "pm",
            "reason": "看病"})
    assert response.status_code == 200
    assert "没有工作日" in response.content.decode()
    assert not LeaveRequest.objects.exists()


def test_att_4_emergency_page_then_paperwork_page(staff_a, supervisor):
    with at(2026, 3, 2, 9, 0):
        response = login(supervisor).post("/attendance/leave/emergency/", {
            "staff": staff_a.pk, "kind": "sick", "start": "2026-03-02", "start_half": "am", "end": "2026-03-02",
            "end_half": "pm", "told_on": "2026-03-02", "reason": "电话告知发烧"})
        assert response.status_code == 302
        leave = LeaveRequest.objects.get()
        assert leave.emergency and leave.told_to == supervisor
    with at(2026, 3, 4, 9, 0):
        response = login(staff_a).post(f"/attendance/leave/{leave.pk}/file/", {"reason": "发烧，附病假条"})
    assert response.status_code == 302
    leave.refresh_from_db()
    assert leave.state == "pending"
    # ATT-3 (逐级): a whole day → the committee approver, then the department head
    assert [s.role_required for s in approvals.steps_for(leave)] == ["director", "department_head"]


def test_att_3_withdraw_from_the_page(staff_a):
    with at(2026, 3, 2, 9, 0):
        client = login(staff_a)
        client.post("/attendance/leave/new/", {"kind": "personal", "start": "2026-03-04", "start_half": "am",
                                               "end": "2026-03-05", "end_half": "pm", "reason": "搬家"})
        leave = LeaveRequest.objects.get()
        client.post(f"/attendance/leave/{leave.pk}/withdraw/")
    leave.refresh_from_db()
    assert leave.state == "withdrawn"


def test_home_page_for_staff_and_street(staff_a, supervisor):
    with at(2026, 3, 2, 9, 0):
        assert "签到" in login(staff_a).get("/attendance/").content.decode()
        assert login(supervisor).get("/attendance/").status_code == 200
