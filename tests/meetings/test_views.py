"""Pages: quick records (MTG-1, MTG-10), roll call and decision forms, scoping, query counts."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from meetings import services
from meetings.models import Attendance, BodyKind, Decision, Meeting
from tests.conftest import login
from tests.meetings.conftest import held_meeting, make_body

DAY = dt.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(dt.datetime(2026, 3, 10, 8, 0), tick=False):
        yield


def test_mtg_1_quick_record_of_a_morning_briefing(committee_a, staff_a):
    c = login(staff_a)
    r = c.post(f"/meetings/bodies/{committee_a.pk}/quick/", {
        "category": "morning_briefing", "date": "2026-03-10", "minutes": "布置今日入户走访。"})
    assert r.status_code == 302
    m = Meeting.objects.get(category=Meeting.Category.MORNING_BRIEFING)
    assert (m.status, m.recorder, m.minutes, m.community) == ("held", staff_a, "布置今日入户走访。", committee_a.community)


def test_mtg_1_quick_record_needs_minutes_and_a_past_date(committee_a, staff_a):
    c = login(staff_a)
    r = c.post(f"/meetings/bodies/{committee_a.pk}/quick/", {
        "category": "weekly_summary", "date": "2026-03-11", "minutes": "x"})
    assert r.status_code == 200 and not Meeting.objects.exists()
    assert r.context["form"].errors["date"]


def test_mtg_10_study_and_democratic_life_records(committee_a, director_a):
    for category in (Meeting.Category.STUDY, Meeting.Category.DEMOCRATIC_LIFE):
        services.quick_record(committee_a, category=category, date=DAY, minutes="学习记录", chair=director_a,
                              acting_user=director_a.user)
    assert set(Meeting.objects.values_list("category", flat=True)) == {"study", "democratic_life"}


def test_roll_call_form_then_decision_form(reps_a, director_a):
    c = login(director_a)
    m = services.create_meeting(reps_a, title="代表会议", date=DAY, chair=director_a, acting_user=director_a.user)
    page = c.get(f"/meetings/{m.pk}/roll-call/")
    assert page.context["quorum"] == 21
    keys = [p["key"] for p in page.context["participants"]]
    data = {k: ("present" if i < 20 else "absent") for i, k in enumerate(keys)}
    assert c.post(f"/meetings/{m.pk}/roll-call/", data).status_code == 302
    m.refresh_from_db()
    assert (m.present_count, m.status) == (20, "held")
    r = c.post(f"/meetings/{m.pk}/decisions/add/", {"title": "决定", "votes_for": 15, "votes_against": 0,
                                                     "votes_abstain": 0})
    assert r.status_code == 200 and "MTG-6" in str(r.context["form"].non_field_errors())
    data[keys[25]] = "late"
    c.post(f"/meetings/{m.pk}/roll-call/", data)
    m.refresh_from_db()
    assert m.present_count == 21
    assert Attendance.objects.filter(meeting=m).count() == 31
    r = c.post(f"/meetings/{m.pk}/decisions/add/", {"title": "决定", "votes_for": 11, "votes_against": 10,
                                                     "votes_abstain": 0, "dissent_name_1": "代表02",
                                                     "dissent_opinion_1": "反对"})
    assert r.status_code == 302
    d = Decision.objects.get()
    assert d.adopted and d.dissents.get().name == "代表02"
    assert c.get(f"/meetings/{m.pk}/").status_code == 200


def test_regular_meeting_roll_call_is_hosted_by_the_street(director_a, supervisor, street):
    m10, *_ = services.ensure_regular_meetings(street, 2026, 3, acting_user=supervisor.user)
    assert login(director_a).post(f"/meetings/{m10.pk}/roll-call/", {}).status_code == 403
    r = login(supervisor).post(f"/meetings/{m10.pk}/roll-call/", {f"s{director_a.pk}": "present"})
    assert r.status_code == 302
    assert Attendance.objects.get(meeting=m10, staff=director_a).status == "present"


def test_body_of_another_community_is_404(reps_a, staff_b):
    assert login(staff_b).get(f"/meetings/bodies/{reps_a.pk}/").status_code == 404


def test_member_can_be_staff_resident_or_a_name(community_a, director_a, staff_a):
    from tests import factories as f

    body = make_body(community_a, BodyKind.CONSULTATION, 0, acting_user=director_a.user)
    person = f.person(community_a, "李四")
    c = login(director_a)
    c.post(f"/meetings/bodies/{body.pk}/members/add/", {"staff": staff_a.pk, "start": "2026-01-01"})
    c.post(f"/meetings/bodies/{body.pk}/members/add/", {"person": person.pk, "start": "2026-01-01"})
    c.post(f"/meetings/bodies/{body.pk}/members/add/", {"name": "驻区单位代表", "start": "2026-01-01"})
    assert sorted(body.members.values_list("name", flat=True)) == sorted([staff_a.name, "李四", "驻区单位代表"])


def test_pages_query_count_does_not_grow_with_meetings(community_a, director_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from committee import calendar

    calendar.ensure_year(2026)  # the first use loads the holiday table once
    body = make_body(community_a, BodyKind.CONSULTATION, 3, acting_user=director_a.user)
    c = login(director_a)
    counts = []
    for n in (4, 12):
        while body.meetings.count() < n:
            held_meeting(body, DAY, 3, acting_user=director_a.user)
        row = []
        for url in ("/meetings/", f"/meetings/bodies/{body.pk}/", f"/meetings/{body.meetings.first().pk}/",
                    "/meetings/regular/", "/meetings/deductions/"):
            c.get(url)  # warm the per-process caches (content types, calendar)
            with CaptureQueriesContext(connection) as ctx:
                assert c.get(url).status_code == 200
            row.append(len(ctx))
        counts.append(row)
    assert counts[0] == counts[1], counts
    assert max(counts[0]) <= 30, counts


def test_mtg_6_page_warns_when_the_director_does_not_chair(reps_a, staff_a, director_a):
    m = services.create_meeting(reps_a, title="代表会议", date=DAY, chair=staff_a, acting_user=director_a.user)
    r = login(director_a).get(f"/meetings/{m.pk}/")
    assert any("MTG-6" in str(w) for w in r.context["warnings"])
    m2 = services.create_meeting(reps_a, title="代表会议", date=DAY, chair=director_a, acting_user=director_a.user)
    assert login(director_a).get(f"/meetings/{m2.pk}/").context["warnings"] == []


def test_paste_31_representatives_and_link_registered_residents(community_a, director_a, staff_a):
    from tests import factories as f

    body = make_body(community_a, BodyKind.REPRESENTATIVES, 0, acting_user=director_a.user)
    resident = f.person(community_a, "王淑珍")
    names = ["王淑珍\t楼长"] + [f"代表{i:02d}" for i in range(2, 32)]
    assert login(staff_a).post(f"/meetings/bodies/{body.pk}/members/paste/", {}).status_code == 403
    r = login(director_a).post(f"/meetings/bodies/{body.pk}/members/paste/",
                               {"text": "\n".join(names) + "\n\n", "start": "2026-01-01"})
    assert r.status_code == 302
    assert body.members.count() == 31
    first = body.members.get(name="王淑珍")
    assert (first.person, first.position) == (resident, "楼长")
    m = services.create_meeting(body, title="会议", date=DAY, acting_user=director_a.user)
    assert len(services.expected_participants(m)) == 31


def test_paste_refuses_a_bad_line_and_saves_nothing(community_a, director_a):
    body = make_body(community_a, BodyKind.CONSULTATION, 0, acting_user=director_a.user)
    r = login(director_a).post(f"/meetings/bodies/{body.pk}/members/paste/",
                               {"text": "张三\n" + "很" * 60 + "\n", "start": "2026-01-01"})
    assert r.status_code == 200 and "2" in str(r.context["form"].errors["text"])
    assert body.members.count() == 0


def test_mtg_1_summary_chaired_by_the_committee_approver(committee_a, staff_a, director_a):
    m = services.quick_record(committee_a, category=Meeting.Category.WEEKLY_SUMMARY, date=DAY, chair=staff_a,
                              minutes="总结", acting_user=director_a.user)
    assert any("MTG-1" in str(w) for w in login(director_a).get(f"/meetings/{m.pk}/").context["warnings"])
    ok = services.quick_record(committee_a, category=Meeting.Category.WEEKLY_SUMMARY, date=DAY, chair=director_a,
                               minutes="总结", acting_user=director_a.user)
    assert login(director_a).get(f"/meetings/{ok.pk}/").context["warnings"] == []


def test_mtg_6_an_inquorate_meeting_is_not_convened_through_the_pages(reps_a, director_a, staff_a):
    """20 of 31 representatives: the page says "not convened", offers no decision form, and the attacker's
    decision POST is refused with the rule named; nothing is saved."""
    m = held_meeting(reps_a, DAY, 20, acting_user=director_a.user)
    c = login(director_a)
    page = c.get(f"/meetings/{m.pk}/").content.decode()
    assert "MTG-6" in page and f"/meetings/{m.pk}/decisions/add/" not in page
    r = c.post(f"/meetings/{m.pk}/decisions/add/", {"title": "同意", "votes_for": 20, "votes_against": 0,
                                                     "votes_abstain": 0})
    assert r.status_code == 200 and "MTG-6" in str(r.context["form"].non_field_errors())
    assert not Decision.objects.exists()
    m.refresh_from_db()
    assert m.not_convened and not m.convened


def test_mtg_6_minutes_approval_through_the_pages(reps_a, director_a, staff_a):
    from committee import approvals

    m = held_meeting(reps_a, DAY, 25, acting_user=director_a.user, recorder=staff_a)
    c = login(staff_a)
    assert c.post(f"/meetings/{m.pk}/minutes/", {"minutes": "纪要"}).status_code == 302
    assert c.post(f"/meetings/{m.pk}/minutes/close/").status_code == 302
    m.refresh_from_db()
    assert m.status == Meeting.Status.SUBMITTED
    [step] = approvals.steps_for(m)
    d = login(director_a)
    assert f"/approvals/{step.pk}/decide/" in d.get(f"/meetings/{m.pk}/").content.decode()
    d.post(f"/approvals/{step.pk}/decide/", {"decision": "approve", "next": m.get_absolute_url()})
    m.refresh_from_db()
    assert m.status == Meeting.Status.CLOSED and m.convened
