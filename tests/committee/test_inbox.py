"""The inbox 待我审批 and the done list 已办 (issue 9): each card shows what is asked in full, built at display
time in the reader's language; filters by kind and community; the steps of a record say who can decide a
waiting step (approvals.eligible_deciders, the rules decide() applies); the decide form says what happened
and who acts next."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from attendance import services as attendance
from committee import approvals, inbox
from committee.models import Approval, Person, Role
from finance import services as finance
from finance.models import FundType
from meetings import services as meetings
from meetings.models import BodyKind
from tests import factories as f
from tests.conftest import login

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = dt.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _now(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(MONDAY, tick=False):
        yield


def page(staff, url="/inbox/", lang="zh-hans", **params):
    client = login(staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def text(html: str) -> str:
    """The page's words without tags, spaces folded: what a reader sees."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- records of each kind, made through the apps' own services ---------------------------------------


def leave_of(staff, day, *, half=False, reason="孩子发烧，去医院"):
    return attendance.request_leave(staff=staff, kind="personal", start=day, start_half="am", end=day,
                                    end_half="am" if half else "pm", reason=reason, acting_user=staff.user)


def approve_all(record, *approvers):
    """Each waiting step decided by the first of ``approvers`` who holds its role."""
    for step in approvals.steps_for(record).filter(status="pending").order_by("step"):
        who = next(p for p in approvers if approvals.holds_role(p, step.role_required, step.community,
                                                                 dt.date(2026, 3, 2)))
        approvals.decide(step.pk, acting_user=who.user, approve=True)


@pytest.fixture
def line_a(community_a, supervisor):
    budget = finance.create_budget(community=community_a, year=2026, fund_type=FundType.OFFICE,
                                   acting_user=supervisor.user)
    return finance.add_line(budget=budget, name="办公用品", amount="5000.00", acting_user=supervisor.user)


def expense(line, staff, amount="300.00", payee="文具店", purpose="购买打印纸"):
    return finance.request_expense(community=line.community, acting_user=staff.user, line=line, purpose=purpose,
                                   amount=amount, payee=payee, method="transfer")


def minutes_of(community, director, recorder, text="讨论了楼道清理的安排。", sender=None):
    """Minutes recorded by ``recorder`` and sent for approval by ``sender`` (default: the recorder)."""
    sender = sender or recorder
    body = meetings.create_body(community=community, kind=BodyKind.COMMITTEE, name=f"居委会{recorder.pk}-{text}",
                                acting_user=director.user)
    for i in range(5):
        meetings.add_member(body, name=f"委员{i}", start=dt.date(2025, 1, 1), acting_user=director.user)
    m = meetings.create_meeting(body, title="三月工作会", date=dt.date(2026, 3, 2), place="二楼会议室",
                                recorder=recorder, acting_user=director.user)
    keys = [p["key"] for p in meetings.expected_participants(m)]
    m = meetings.record_roll_call(m, {k: "present" for k in keys}, acting_user=director.user)
    meetings.save_minutes(m, text=text, acting_user=sender.user)
    return meetings.close_minutes(m, acting_user=sender.user)


# --- cards -----------------------------------------------------------------------------------------------


def test_leave_card_shows_person_dates_reason_attachment_and_days_already_taken_in_both_languages(
    staff_a, director_a, supervisor
):
    earlier = leave_of(staff_a, dt.date(2026, 3, 3))
    approve_all(earlier, director_a, supervisor)
    leave = leave_of(staff_a, dt.date(2026, 3, 10), half=True)
    leave.attachment.save("note.pdf", ContentFile(b"%PDF-1.4\n"), save=True)

    zh = text(page(director_a))
    assert f"{staff_a.name}：事假，0.5 个工作日" in zh
    assert f"工作人员 {staff_a.name} 类别 事假 时间 2026-03-10 上午" in zh
    assert "0.5 个工作日" in zh and "孩子发烧，去医院" in zh
    assert "2026-03 已批准的请假 1 个工作日" in zh
    assert "2026 年已批准的请假 1 个工作日" in zh
    assert f"/attendance/leave/{leave.pk}/attachment/" in page(director_a)

    en = text(page(director_a, lang="en"))
    assert "Leave" in en and "Personal leave" in en and "0.5 working days" in en
    assert f"{staff_a.name}: Personal leave, 0.5 working days" in en and "2026-03-10 morning" in en
    assert "Leave already approved in 2026-03 1 working day" in en
    # The summary stored with the request is Chinese; the English page builds its own.
    assert leave.pk and "个工作日" not in en


def test_expense_card_shows_amount_line_remaining_and_the_same_payees_recent_expenses(
    line_a, staff_a, secretary_a, instructor_a
):
    earlier = expense(line_a, staff_a, "800.00", purpose="购买墨盒")
    approve_all(earlier, secretary_a, instructor_a)
    e = expense(line_a, staff_a, "300.00")
    zh = text(page(secretary_a))
    assert "支出" in zh and "购买打印纸" in zh and "300.00 元" in zh and "文具店" in zh
    assert "预算科目余额（已扣除已支付和已批准） 4,200.00 元" in zh
    assert "本笔支出后的余额 3,900.00 元" in zh
    assert "同一收款方，近 30 天 另有 1 笔支出，共 800.00 元" in zh
    assert "购买墨盒 · 800.00 元" in zh
    en = text(page(secretary_a, lang="en"))
    assert "Expense" in en and "Remaining on the budget line (paid and approved deducted) 4,200.00 元" in en
    assert "Same payee, last 30 days 1 other expense, 800.00 元" in en
    assert e.pk and "购买打印纸: 300.00 元 to 文具店" in en


def test_minutes_card_shows_body_date_attendance_and_the_minutes(community_a, director_a, staff_a):
    m = minutes_of(community_a, director_a, staff_a)
    meetings.add_attachment(m, file=ContentFile(b"%PDF-1.4\n", name="sign.pdf"), title="签到表",
                            acting_user=staff_a.user)
    zh = text(page(director_a))
    assert "会议纪要" in zh and "三月工作会" in zh and "二楼会议室" in zh and "讨论了楼道清理的安排。" in zh
    assert "出席 5 / 5" in zh
    html = page(director_a)
    attachment = m.attachments.get()
    assert f"/meetings/attachments/{attachment.pk}/" in html and "签到表" in html
    en = text(page(director_a, lang="en"))
    assert "Minutes of 三月工作会" in en and "Present 5 / 5" in en


def test_a_record_without_describe_shows_the_stored_summary(community_a, staff_a, director_a):
    approvals.register(Person)
    person = f.person(community_a, "登记事项")
    approvals.request_approval(person, community=community_a, steps=[approvals.Step(Role.DIRECTOR)],
                               summary="旧的摘要", rule="ORG-3", acting_user=staff_a.user)
    assert "旧的摘要" in page(director_a)


# --- filters, tasks, counts ------------------------------------------------------------------------------


def test_filters_by_kind_and_community(street, community_a, community_b, line_a, staff_a, director_a,
                                       supervisor):
    leave = leave_of(staff_a, dt.date(2026, 3, 10))  # a whole day: the department head's second step
    first = approvals.steps_for(leave).order_by("step").first()
    approvals.decide(first.pk, acting_user=director_a.user, approve=True)
    staff_b = f.staff(community_b, "乙委员", [Role.MEMBER])
    f.staff(community_b, "乙主任", [Role.DIRECTOR])
    other = leave_of(staff_b, dt.date(2026, 3, 11))
    first = approvals.steps_for(other).order_by("step").first()
    approvals.decide(first.pk, acting_user=approvals.holders(Role.DIRECTOR, community_b, dt.date(2026, 3, 2)).get().user,
                     approve=True)

    a_title, b_title = f"{staff_a.name}：事假", f"{staff_b.name}：事假"
    everything = page(supervisor)
    assert a_title in everything and b_title in everything
    only_b = page(supervisor, community=community_b.pk)
    assert b_title in only_b and a_title not in only_b
    assert "显示 2 项中的 1 项" in text(only_b)
    none = page(supervisor, kind="finance.expense")
    assert "没有符合筛选条件的待办事项" in none and a_title not in none
    assert a_title in page(supervisor, kind="attendance.leaverequest", community="not-a-number")


def test_tasks_from_the_apps_are_shown_and_counted(community_a, director_a):
    def provider(user):
        return [inbox.Task(kind="报销", title="报销并结清：购买打印纸", url="/finance/", action="报销并结清",
                           community=community_a, details=[("金额", "300.00 元")])]

    inbox.register_tasks(provider)
    try:
        html = page(director_a)
        assert "报销并结清：购买打印纸" in html and 'href="/finance/"' in html and "300.00 元" in html
        assert re.search(r'<span class="tag due">\s*1\s*</span>', html)
        assert "报销并结清：购买打印纸" not in page(director_a, kind="attendance.leaverequest")
        assert "报销并结清：购买打印纸" in page(director_a, kind="task:报销")
    finally:
        inbox._providers.remove(provider)


def test_inbox_queries_stay_bounded_with_many_items_of_each_kind(
    community_a, line_a, staff_a, director_a, secretary_a, django_assert_max_num_queries
):
    """Ten and more waiting leave requests, expenses and minutes: the same number of queries as with one
    of each (no query per card). The director also holds 书记 here so every kind waits for one person."""
    f.staff(community_a, "记录员", [Role.MEMBER])
    from committee.models import RoleAssignment

    RoleAssignment.objects.create(staff=director_a, role=Role.PARTY_SECRETARY, community=community_a,
                                  start=dt.date(2025, 1, 1))
    people = [f.staff(community_a, f"员工{i}", [Role.MEMBER]) for i in range(12)]

    def fill(start, n):
        for i in range(start, start + n):
            leave_of(people[i], dt.date(2026, 3, 10), half=True)
            expense(line_a, people[i], "100.00", payee=f"商店{i}")
            minutes_of(community_a, secretary_a, people[i], text=f"纪要{i}")

    client = login(director_a)
    fill(0, 1)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/inbox/").status_code == 200
    fill(1, 11)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/inbox/")
    html = response.content.decode()
    assert html.count('class="card inbox-card"') == 36


# --- who can decide ---------------------------------------------------------------------------------------


def test_eligible_deciders_leave_out_the_requester_and_the_preparer(community_a, director_a, staff_a):
    other_director = f.staff(community_a, "副主任", [Role.DIRECTOR])
    m = minutes_of(community_a, director_a, staff_a)
    [step] = approvals.steps_for(m)
    # staff_a recorded and sent the minutes (preparer); both directors may decide.
    assert set(approvals.eligible_deciders(step)) == {director_a, other_director}
    leave = leave_of(director_a, dt.date(2026, 3, 10), half=True)
    # The director asks: the director is not among those who can decide the director's own leave.
    [own] = approvals.steps_for(leave)
    assert director_a not in approvals.eligible_deciders(own)
    # The director recorded these minutes and a member sent them: the director prepared them (CTL-2).
    recorder_director = minutes_of(community_a, other_director, director_a, text="另一次", sender=staff_a)
    [s] = approvals.steps_for(recorder_director)
    assert approvals.barred(s)[director_a.pk] == approvals.PREPARED
    assert approvals.eligible_deciders(s) == [other_director]
    with pytest.raises(Exception, match="CTL-2"):
        approvals.decide(s.pk, acting_user=director_a.user, approve=True)


def test_the_record_page_names_who_can_decide_and_who_decided(community_a, director_a, staff_a, supervisor):
    leave = leave_of(staff_a, dt.date(2026, 3, 10))  # whole day: 主任, then the department head
    zh = text(page(staff_a, leave.get_absolute_url()))
    assert f"1. 主任 ATT-3 待审批 现在可审批： {director_a.name}" in zh
    assert f"2. 分管部门负责人 ATT-3 待审批 上一环节之后可审批： {supervisor.name}" in zh
    approve_all_first = approvals.steps_for(leave).order_by("step").first()
    approvals.decide(approve_all_first.pk, acting_user=director_a.user, approve=True)
    zh = text(page(staff_a, leave.get_absolute_url()))
    assert f"已同意 {director_a.name} (主任) 2026-03-02 09:00" in zh
    assert f"待审批 现在可审批： {supervisor.name}" in zh
    # Only the person who can decide gets the form.
    assert 'name="decision" value="approve"' in page(supervisor, leave.get_absolute_url())
    assert 'name="decision" value="approve"' not in page(staff_a, leave.get_absolute_url())


def test_nobody_holding_the_role_is_said_plainly(community_a, staff_a):
    leave = leave_of(staff_a, dt.date(2026, 3, 10), half=True)  # 主任 of 甲社区: nobody holds it
    zh = text(page(staff_a, leave.get_absolute_url()))
    assert f"{community_a.name}现在没有人担任“主任”——须由街道办事处任命后，才能审批这一环节。" in zh
    en = text(page(staff_a, leave.get_absolute_url(), lang="en"))
    assert f"no one holds “Director” for {community_a.name} now — the street office must assign the role" in en


def test_everyone_holding_the_role_barred_is_said_plainly(community_a, director_a):
    """The only 主任 recorded and sent the minutes (ORG-3, CTL-2): the page says why nobody can decide."""
    m = minutes_of(community_a, director_a, director_a)
    [step] = approvals.steps_for(m)
    who = approvals.deciders(step)
    assert who.eligible == [] and [p for p, _ in who.barred] == [director_a]
    zh = text(page(director_a, m.get_absolute_url()))
    assert f"担任“主任”的人都不能审批这一环节（{director_a.name}: 申请人或当事人（ORG-3））" in zh
    assert 'name="decision" value="approve"' not in page(director_a, m.get_absolute_url())


# --- the decide form says what happened and who acts next -----------------------------------------------


def test_approving_says_who_acts_next_and_final(community_a, director_a, staff_a, supervisor):
    leave = leave_of(staff_a, dt.date(2026, 3, 10))
    first, second = approvals.steps_for(leave).order_by("step")
    client = login(director_a)
    r = client.post(f"/approvals/{first.pk}/decide/", {"decision": "approve"}, follow=True)
    body = text(r.content.decode())
    assert f"已同意：{staff_a.name}：事假，1 个工作日。下一环节：分管部门负责人，可由{supervisor.name}审批。" in body
    r = login(supervisor).post(f"/approvals/{second.pk}/decide/", {"decision": "approve"}, follow=True)
    assert f"已同意，审批完成：{staff_a.name}：事假，1 个工作日。" in text(r.content.decode())


def test_refusing_needs_a_reason_and_says_the_rest_is_cancelled(community_a, director_a, staff_a):
    leave = leave_of(staff_a, dt.date(2026, 3, 10))
    first, second = approvals.steps_for(leave).order_by("step")
    client = login(director_a)
    r = client.post(f"/approvals/{first.pk}/decide/", {"decision": "reject"}, follow=True)
    assert "理由" in r.content.decode()
    first.refresh_from_db()
    assert first.status == Approval.Status.PENDING
    # The refusal dialog posts its reason as "reason".
    r = client.post(f"/approvals/{first.pk}/decide/", {"decision": "reject", "reason": "当天有检查"}, follow=True)
    assert f"已不同意：{staff_a.name}：事假，1 个工作日。后续环节已取消，{staff_a.name}可在记录上看到您的理由" in \
        text(r.content.decode())
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.comment == "当天有检查" and second.status == Approval.Status.CANCELLED


def test_the_inbox_refusal_dialog_requires_a_reason(staff_a, director_a):
    leave_of(staff_a, dt.date(2026, 3, 10), half=True)
    html = page(director_a)
    dialog = html[html.index("<dialog"):html.index("</dialog>")]
    assert 'name="reason"' in dialog and "required" in dialog and 'value="reject"' in dialog


# --- done list ---------------------------------------------------------------------------------------------


def test_done_list_shows_what_i_decided_with_filters_and_pages(community_a, line_a, staff_a, director_a,
                                                                secretary_a):
    leave = leave_of(staff_a, dt.date(2026, 3, 10), half=True)
    approvals.decide(approvals.steps_for(leave).get().pk, acting_user=director_a.user, approve=False,
                     comment="人手不够")
    zh = text(page(director_a, "/done/"))
    assert f"2026-03-02 09:00 请假 {staff_a.name}：事假，0.5 个工作日" in zh
    assert "1. 主任 ATT-3 不同意 人手不够" in zh
    assert f"/approvals/{approvals.steps_for(leave).get().pk}/" in page(director_a, "/done/")
    en = text(page(director_a, "/done/", lang="en"))
    assert f"{staff_a.name}: Personal leave, 0.5 working days" in en and "Refused" in en
    assert staff_a.name not in text(page(director_a, "/done/", kind="finance.expense"))
    assert staff_a.name in text(page(director_a, "/done/", kind="attendance.leaverequest"))
    # The secretary decided nothing: an empty list.
    assert "您还没有审批过任何事项" in page(secretary_a, "/done/")


def test_done_list_is_paginated_with_bounded_queries(community_a, staff_a, director_a,
                                                     django_assert_max_num_queries):
    approvals.register(Person)

    def decide_n(n):
        for i in range(n):
            p = f.person(community_a, f"事项{i}")
            [s] = approvals.request_approval(p, community=community_a, steps=[approvals.Step(Role.DIRECTOR)],
                                             summary=f"事项{i}", rule="ORG-3", acting_user=staff_a.user)
            approvals.decide(s.pk, acting_user=director_a.user, approve=True)

    client = login(director_a)
    decide_n(2)
    with CaptureQueriesContext(connection) as few:
        client.get("/done/")
    decide_n(60)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get("/done/").content.decode()
    assert "1 / 2" in html and "page=2" in html
    assert client.get("/done/", {"page": 2}).status_code == 200


# --- another community ------------------------------------------------------------------------------------


def test_another_communitys_approval_is_not_shown_and_answers_404(community_a, community_b, staff_a, director_a):
    director_b = f.staff(community_b, "乙主任", [Role.DIRECTOR])
    leave = leave_of(staff_a, dt.date(2026, 3, 10), half=True)
    [step] = approvals.steps_for(leave)
    assert staff_a.name not in page(director_b)
    assert staff_a.name not in page(director_b, community=community_a.pk)
    client = login(director_b)
    assert client.get(f"/approvals/{step.pk}/").status_code == 404
    assert client.post(f"/approvals/{step.pk}/decide/", {"decision": "approve"}).status_code == 404
    step.refresh_from_db()
    assert step.status == Approval.Status.PENDING
    approvals.decide(step.pk, acting_user=director_a.user, approve=True)
    assert staff_a.name not in page(director_b, "/done/")
