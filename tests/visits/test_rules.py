"""GRID-1 … GRID-6 through the services: groups, the visit log and its problems, the idempotency key,
the quotas against the working-day calendar, the requests with committed time limits."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from committee import calendar
from committee.models import Role
from tests import factories as f
from tests.visits.conftest import visit, yesterday
from visits import quotas, rules, services
from visits.models import GroupMember, Problem, Request, Visit

pytestmark = pytest.mark.django_db


# --- GRID-1 ---------------------------------------------------------------------------------------

def test_grid_1_a_building_head_is_a_resident_responsible_for_buildings(grid_a, building_a, household_a,
                                                                         director_a):
    head = household_a.members.get()
    m = services.add_group_member(grid_a, person=head, position=GroupMember.Position.BUILDING_HEAD,
                                  buildings=[building_a], households=[household_a], start=dt.date(2026, 1, 1),
                                  acting_user=director_a.user)
    assert list(m.buildings.all()) == [building_a] and list(m.households.all()) == [household_a]
    services.end_group_member(m, end=dt.date(2026, 6, 30), acting_user=director_a.user)
    m.refresh_from_db()
    assert m.end == dt.date(2026, 6, 30)
    assert GroupMember.objects.filter(pk=m.pk).exists()  # kept, never deleted


def test_grid_1_a_member_cannot_change_groups_and_a_resident_of_b_is_refused(grid_a, staff_a, director_a,
                                                                              community_b):
    person_b = f.person(community_b, "乙居民")
    with pytest.raises(ValidationError):
        services.add_group_member(grid_a, person=person_b, position="representative", start=dt.date(2026, 1, 1),
                                  acting_user=staff_a.user)
    with pytest.raises(ValidationError, match="GRID-1"):
        services.add_group_member(grid_a, person=person_b, position="representative", start=dt.date(2026, 1, 1),
                                  acting_user=director_a.user)
    assert not GroupMember.objects.exists()


# --- GRID-3 ---------------------------------------------------------------------------------------

def test_grid_3_a_visit_with_a_problem_is_tracked_to_its_solution(staff_a, director_a, household_a):
    v = visit(staff_a, household_a, problems=["楼道灯坏了", "想申请高龄津贴"], found="独居，身体尚可")
    assert v.minutes == 60 and v.grid == household_a.building.grid
    assert Problem.objects.filter(visit=v, solved_at__isnull=True).count() == 2
    p = v.problems.first()
    services.solve_problem(p, solution="物业已更换灯泡", acting_user=director_a.user)
    p.refresh_from_db()
    assert p.solved and p.solved_by == director_a and p.solved_at is not None
    with pytest.raises(ValidationError):
        services.solve_problem(p, solution="again", acting_user=director_a.user)


def test_grid_3_solving_needs_a_note(staff_a, household_a):
    p = visit(staff_a, household_a, problems=["下水道堵塞"]).problems.get()
    with pytest.raises(ValidationError, match="GRID-3"):
        services.solve_problem(p, solution="  ", acting_user=staff_a.user)


def test_grid_3_solved_on_the_spot(staff_a, household_a):
    v = visit(staff_a, household_a, problems=["门锁坏了"], solved=True, follow_up="当场修好")
    p = v.problems.get()
    assert p.solved_by == staff_a and p.solution == "当场修好"


def test_grid_3_a_retried_submission_saves_one_visit(staff_a, household_a):
    key = uuid.uuid4()
    args = dict(community=staff_a.community, key=key, household=household_a, date=yesterday(),
                start_time=dt.time(9), end_time=dt.time(10), problems=["灯坏了"], acting_user=staff_a.user)
    first, created = services.record_visit(**args)
    again, created_again = services.record_visit(**args)
    assert created and not created_again and first.pk == again.pk
    assert Visit.objects.count() == 1 and Problem.objects.count() == 1


def test_grid_3_another_persons_key_is_refused(staff_a, household_a, community_a):
    other = f.staff(community_a, "另一人", [Role.MEMBER])
    key = uuid.uuid4()
    services.record_visit(community=community_a, key=key, household=household_a, date=yesterday(),
                          start_time=dt.time(9), end_time=dt.time(10), acting_user=staff_a.user)
    with pytest.raises(ValidationError):
        services.record_visit(community=community_a, key=key, household=household_a, date=yesterday(),
                              start_time=dt.time(9), end_time=dt.time(10), acting_user=other.user)


@pytest.mark.parametrize("day,start,end,field", [
    (lambda: yesterday(), dt.time(10), dt.time(9), "end_time"),       # ends before it starts
    (lambda: yesterday(), dt.time(9), dt.time(9), "end_time"),        # no length
    (lambda: timezone.localdate() + dt.timedelta(days=1), dt.time(9), dt.time(10), "date"),  # future
    (lambda: dt.date(2999, 1, 1), dt.time(9), dt.time(10), "date"),   # far future
    (lambda: yesterday(), dt.time(7), dt.time(16), "end_time"),       # 9 hours: longer than a working day
])
def test_grid_3_bad_visits_are_refused_and_save_nothing(staff_a, household_a, day, start, end, field):
    with pytest.raises(ValidationError) as e:
        services.record_visit(community=staff_a.community, key=uuid.uuid4(), household=household_a, date=day(),
                              start_time=start, end_time=end, problems=["x"], acting_user=staff_a.user)
    assert field in e.value.error_dict and "GRID-3" in str(e.value)
    assert not Visit.objects.exists() and not Problem.objects.exists()


def test_grid_3_a_household_of_another_community_is_refused(staff_a, household_b):
    with pytest.raises(ValidationError) as e:
        visit(staff_a, household_b)
    assert "household" in e.value.error_dict and not Visit.objects.exists()


def test_grid_3_control_characters_are_refused(staff_a, household_a):
    with pytest.raises(ValidationError, match="CTL-8"):
        visit(staff_a, household_a, problems=["灯\x07坏了"])
    assert not Visit.objects.exists()


# --- GRID-5 ---------------------------------------------------------------------------------------

def test_grid_5_quota_arithmetic_across_national_day_with_a_make_up_saturday():
    # 2026: National Day holiday 1–7 October (Thu–Wed); Saturday 10 October is a make-up working day (调休).
    calendar.clear_cache()
    week = dt.date(2026, 10, 5)  # Monday
    working = calendar.working_days_between(week, week + dt.timedelta(days=6))
    assert working == [dt.date(2026, 10, 8), dt.date(2026, 10, 9), dt.date(2026, 10, 10)]
    hours = dict(director_hours=Decimal("4"), member_hours=Decimal("1"))
    assert rules.weekly_required_minutes("member", week, **hours) == 3 * 60
    assert rules.weekly_required_minutes("director", week, **hours) == 4 * 60
    # the holiday week itself (28 Sep – 4 Oct): Monday to Wednesday work, Thursday on holiday
    assert rules.weekly_required_minutes("member", dt.date(2026, 9, 28), **hours) == 3 * 60
    # an ordinary week
    assert rules.weekly_required_minutes("member", dt.date(2026, 11, 9), **hours) == 5 * 60


def test_grid_5_a_week_without_working_days_owes_nothing(monkeypatch):
    monkeypatch.setattr(calendar, "working_days_between", lambda a, b: [])
    hours = dict(director_hours=Decimal("4"), member_hours=Decimal("1"))
    assert rules.weekly_required_minutes("director", dt.date(2026, 2, 16), **hours) == 0
    assert rules.weekly_required_minutes("member", dt.date(2026, 2, 16), **hours) == 0


def test_grid_5_weekly_shortfall_from_the_log(community_a, staff_a, director_a, household_a):
    calendar.clear_cache()
    week = dt.date(2026, 10, 5)
    for day in (dt.date(2026, 10, 8), dt.date(2026, 10, 10)):
        Visit.objects.create(community=community_a, household=household_a, date=day, start_time=dt.time(9),
                             end_time=dt.time(10), minutes=60, key=uuid.uuid4(),
                             recorded_by=staff_a).visitors.set([staff_a])
    table = {s.staff_id: s for s in quotas.weekly([community_a], week)[community_a.pk]}
    assert (table[staff_a.pk].required, table[staff_a.pk].done, table[staff_a.pk].missing) == (180, 120, 60)
    assert (table[director_a.pk].required, table[director_a.pk].missing) == (240, 240)


def test_grid_5_own_week_is_the_readers_line_of_the_weekly_table(community_a, staff_a, director_a, household_a):
    """The visits home shows the reader's own hours (quotas.own_week): the same line as the community's table,
    with a visit shared with the director counted for both, and None for someone without a visiting role."""
    calendar.clear_cache()
    week = dt.date(2026, 10, 5)
    shared = Visit.objects.create(community=community_a, household=household_a, date=dt.date(2026, 10, 8),
                                  start_time=dt.time(9), end_time=dt.time(10), minutes=60, key=uuid.uuid4(),
                                  recorded_by=staff_a)
    shared.visitors.set([staff_a, director_a])
    table = {s.staff_id: s for s in quotas.weekly([community_a], week)[community_a.pk]}
    for person in (staff_a, director_a):
        assert quotas.own_week(person, week) == table[person.pk]
    assert quotas.own_week(f.staff(community_a, "无角色"), week) is None


def test_grid_5_the_dashboard_warns_before_the_week_ends_and_after(community_a, staff_a, director_a):
    from visits import reminders

    day = dt.date(2026, 11, 11)  # a Wednesday
    items = list(reminders.weekly_quotas([community_a], day))
    states = {r.state for r in items}
    assert "due" in states and "overdue" in states  # this week still to go; last week missed
    due = next(r for r in items if r.state == "due")
    assert due.due == dt.date(2026, 11, 15) and due.rule == "GRID-5"


def test_grid_5_holiday_visits_before_the_spring_festival(community_a, staff_a, household_a, renter_a):
    calendar.clear_cache()
    calendar.ensure_year(2026)  # Spring Festival 2026: 15–23 February
    windows = quotas.holiday_windows(dt.date(2026, 2, 1), 30)
    names = [w[0] for w in windows]
    assert "Spring Festival" in names
    name, begin, end = next(w for w in windows if w[0] == "Spring Festival")
    missing = quotas.holiday_status([community_a], begin, end)
    assert missing[community_a.pk] == [household_a]  # the renter is not a special household
    Visit.objects.create(community=community_a, household=household_a, date=begin + dt.timedelta(days=2),
                         start_time=dt.time(9), end_time=dt.time(10), minutes=60, key=uuid.uuid4(),
                         recorded_by=staff_a)
    assert not quotas.holiday_status([community_a], begin, end).get(community_a.pk)


def test_grid_5_local_units_need_the_director_or_deputy_each_quarter(community_a, staff_a, director_a, unit_a):
    day = timezone.localdate()
    assert quotas.unit_status([community_a], day)[community_a.pk] == [unit_a]
    visit(staff_a, unit=unit_a)  # a member's visit does not count
    assert quotas.unit_status([community_a], day)[community_a.pk] == [unit_a]
    visit(director_a, unit=unit_a)
    assert not quotas.unit_status([community_a], day).get(community_a.pk)


# --- GRID-6 ---------------------------------------------------------------------------------------

def test_grid_6_a_request_gets_the_time_limit_of_its_kind_and_is_numbered(community_a, staff_a, director_a):
    req = services.receive_request(community=community_a, channel="line", kind="complaint", text="噪音扰民",
                                   acting_user=staff_a.user)
    assert req.days == 5 and req.number.startswith("诉求-") and req.assigned_to == director_a
    assert req.due_on == calendar.deadline(timezone.localdate(), 5).date


def test_grid_6_a_request_without_a_time_limit_is_refused(community_a, staff_a):
    with pytest.raises(ValidationError) as e:
        services.receive_request(community=community_a, channel="desk", kind="other", text="其他事项",
                                 assigned_to=staff_a, acting_user=staff_a.user)
    assert "days" in e.value.error_dict and not Request.objects.exists()
    req = services.receive_request(community=community_a, channel="desk", kind="other", text="其他事项", days=3,
                                   assigned_to=staff_a, acting_user=staff_a.user)
    assert req.days == 3


def test_grid_6_closing_needs_a_resolution_note_and_feedback(community_a, staff_a):
    req = services.receive_request(community=community_a, channel="desk", kind="help", text="求助",
                                   assigned_to=staff_a, acting_user=staff_a.user)
    with pytest.raises(ValidationError) as e:
        services.close_request(req, resolution=" ", feedback="", acting_user=staff_a.user)
    assert {"resolution", "feedback"} <= set(e.value.error_dict)
    req.refresh_from_db()
    assert req.status == Request.Status.OPEN
    services.close_request(req, resolution="已联系养老驿站", feedback="satisfied", acting_user=staff_a.user)
    req.refresh_from_db()
    assert req.status == "closed" and req.in_time and req.closed_by == staff_a


def test_grid_6_a_complaint_about_a_staff_member_from_another_chapter(community_a, staff_a, director_a):
    req = services.record_staff_complaint(staff=staff_a, text="态度不好", source="posts", acting_user=director_a.user)
    assert req.about_staff == staff_a and req.kind == "staff_complaint" and req.assigned_to != staff_a
    assert not services.may_close(staff_a.user, req)  # never the person it is about
    with pytest.raises(ValidationError):
        services.assign_request(req, assigned_to=staff_a, acting_user=director_a.user)
    with pytest.raises(ValidationError):
        services.close_request(req, resolution="自己说没问题", feedback="satisfied", acting_user=staff_a.user)


def test_grid_6_overdue_requests_on_the_dashboard(community_a, staff_a):
    from visits import reminders

    req = services.receive_request(community=community_a, channel="desk", kind="help", text="求助",
                                   assigned_to=staff_a, acting_user=staff_a.user)
    late = list(reminders.open_requests([community_a], req.due_on + dt.timedelta(days=1)))
    assert [r.state for r in late] == ["overdue"]
    before = list(reminders.open_requests([community_a], req.due_on - dt.timedelta(days=1)))
    assert [r.state for r in before] == ["due"]


def test_grid_6_state_of_a_request():
    d = dt.date(2026, 5, 10)
    assert rules.request_state(d, None, d) == "open"
    assert rules.request_state(d, None, d + dt.timedelta(days=1)) == "overdue"
    assert rules.request_state(d, d, d + dt.timedelta(days=9)) == "in_time"
    assert rules.request_state(d, d + dt.timedelta(days=1), d) == "late"


# --- GRID-4 ---------------------------------------------------------------------------------------

def test_grid_4_the_quarter_summary_goes_into_the_minutes(community_a, staff_a, director_a, household_a):
    from meetings import services as mtg
    from meetings.models import Meeting

    v = visit(staff_a, household_a, problems=["灯坏了"])
    services.solve_problem(v.problems.get(), solution="已修好", acting_user=staff_a.user)
    body, created = services.ensure_grid_body(community_a, acting_user=director_a.user)
    assert created and body.kind == "grid_work"
    assert services.ensure_grid_body(community_a, acting_user=director_a.user) == (body, False)
    from meetings import kinds
    assert kinds.get("grid_work").cadence_months == 3 and kinds.get("grid_work").rule == "GRID-4"
    meeting = mtg.create_meeting(body, title="季度工作会", date=timezone.localdate(), acting_user=director_a.user)
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.HELD)
    meeting.refresh_from_db()
    services.fill_minutes(meeting, acting_user=staff_a.user)
    meeting.refresh_from_db()
    assert "灯坏了" in meeting.minutes and "已修好" in meeting.minutes


def test_grid_3_a_leaver_cannot_be_named_as_visitor(staff_a, community_a, household_a):
    leaver = f.staff(community_a, "已离职", [Role.MEMBER])
    leaver.left_on = yesterday() - dt.timedelta(days=10)
    leaver.save()
    with pytest.raises(ValidationError, match="GRID-3"):
        visit(staff_a, household_a, visitors=[leaver])
    assert not Visit.objects.exists()


def test_grid_3_visitors_of_another_community_are_refused(staff_a, staff_b, household_a):
    with pytest.raises(ValidationError, match="GRID-3"):
        visit(staff_a, household_a, visitors=[staff_a, staff_b])
    assert not Visit.objects.exists()


def test_the_dashboard_reminders_take_a_fixed_number_of_queries(street, community_a, community_b, staff_a,
                                                                 staff_b, household_a, unit_a,
                                                                 django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from visits import reminders

    def count(communities):
        from committee.models import Community

        communities = list(Community.objects.filter(pk__in=[c.pk for c in communities]))  # no policy cache
        with CaptureQueriesContext(connection) as ctx:
            for collector in (reminders.weekly_quotas, reminders.holiday_visits, reminders.unit_visits,
                              reminders.open_requests, reminders.grid_meeting_body):
                list(collector(communities, dt.date(2026, 1, 5)))
        return len(ctx.captured_queries)

    calendar.ensure_year(2026)
    count([community_a])  # the calendar's year tables are read once per process
    one = count([community_a])
    more = [f.community(street, f"社区{i}") for i in range(4)]
    for c in more:
        services.save_unit(community=c, name="小学", acting_user=f.staff(c, "员", [Role.MEMBER]).user)
    assert count([community_a, community_b, *more]) == one
