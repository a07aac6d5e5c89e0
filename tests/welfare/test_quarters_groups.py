"""WEL-9 quarterly money and invoice signatures; WEL-10 the two groups as meetings bodies; WEL-11 the quarterly
notice composed for the disclosure chapter."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from committee import reminders
from committee.models import Role
from finance import services as fin
from tests import factories as f
from welfare import notices, services
from welfare.models import InvoiceSignature, QuarterMoney

pytestmark = pytest.mark.django_db


def _spending(project, user, amount="100.00"):
    return services.spend(project, kind="costs", purpose="活动物料", amount=amount, payee="公司", method="transfer",
                          acting_user=user.user)


def test_wel_9_street_plan_then_application_then_report(plan_a, community_a, staff_a, street_finance):
    with pytest.raises(ValidationError, match="WEL-9"):
        services.apply_quarter(community=community_a, year=2026, quarter=2, amount="3000.00", acting_user=staff_a.user)
    with pytest.raises(ValidationError, match="CTL-4"):
        services.record_quarter_plan(community=community_a, year=2026, quarter=2, amount="3000.00",
                                     acting_user=staff_a.user)
    services.record_quarter_plan(community=community_a, year=2026, quarter=2, amount="3000.00",
                                 acting_user=street_finance.user)
    services.apply_quarter(community=community_a, year=2026, quarter=2, amount="2800.00", acting_user=staff_a.user)
    qm = services.report_quarter(community=community_a, year=2026, quarter=2, report="完成三次活动",
                                 acting_user=staff_a.user)
    assert (qm.planned_on, qm.applied_on, qm.reported_on) == (dt.date(2026, 6, 10),) * 3
    assert qm.applied_amount == Decimal("2800.00")


def test_wel_9_report_only_at_the_quarter_end_and_no_future_quarter(plan_a, community_a, staff_a):
    with pytest.raises(ValidationError):
        services.report_quarter(community=community_a, year=2026, quarter=3, report="x", acting_user=staff_a.user)
    with pytest.raises(ValidationError):
        services.report_quarter(community=community_a, year=2026, quarter=5, report="x", acting_user=staff_a.user)
    assert not QuarterMoney.objects.filter(quarter__in=[3, 5]).exists()


def test_wel_9_quarter_deadlines_reminded_before_and_after(plan_a, community_a):
    def wel9(day):
        return [r for r in reminders.collect([community_a], day) if r.rule == "WEL-9"]

    before = wel9(dt.date(2026, 6, 15))
    assert any(r.due == dt.date(2026, 6, 20) and r.state == reminders.DUE for r in before)
    after = wel9(dt.date(2026, 6, 21))
    assert any(r.due == dt.date(2026, 6, 20) and r.state == reminders.OVERDUE for r in after)
    next_quarter = wel9(dt.date(2026, 7, 3))
    assert any(r.due == dt.date(2026, 6, 30) and r.state == reminders.OVERDUE for r in next_quarter)


def test_wel_9_reimbursement_before_the_completion_report_refused(social_project, staff_a, director_a,
                                                                 instructor_a, street_finance, community_a):
    s = _spending(social_project, staff_a)
    fin.reimbursement_for(s.expense, acting_user=staff_a.user)
    problems = fin.reimbursement_problems(s.expense, s.expense.reimbursement, dt.date(2026, 6, 10))
    assert any("WEL-9" in p and "2026" in p for p in problems)
    s.expense.state = "approved"
    s.expense.save()
    with pytest.raises(ValidationError) as e:
        fin.complete_reimbursement(s.expense, acting_user=street_finance.user)
    assert any("WEL-9" in m for m in e.value.messages)
    s.expense.refresh_from_db()
    assert s.expense.state == "approved" and s.expense.paid_on is None
    services.record_quarter_plan(community=community_a, year=2026, quarter=2, amount="3000.00",
                                 acting_user=street_finance.user)
    services.report_quarter(community=community_a, year=2026, quarter=2, report="完成", acting_user=staff_a.user)
    for who, kind in ((director_a, "director"), (instructor_a, "instructor"), (staff_a, "project_head")):
        services.sign_invoices(s, kind=kind, acting_user=who.user)
    assert services.reimbursement_check(s.expense, dt.date(2026, 6, 10)) == []


def test_wel_9_invoice_signatures_each_in_their_own_login(social_project, staff_a, director_a, instructor_a,
                                                         community_a):
    s = _spending(social_project, staff_a)
    with pytest.raises(ValidationError):
        services.sign_invoices(s, kind="director", acting_user=staff_a.user)
    with pytest.raises(ValidationError):
        services.sign_invoices(s, kind="instructor", acting_user=director_a.user)
    services.sign_invoices(s, kind="director", acting_user=director_a.user)
    with pytest.raises(ValidationError):
        services.sign_invoices(s, kind="director", acting_user=director_a.user)
    assert services.reimbursement_check(s.expense, dt.date(2026, 6, 10))[-1].count("、") == 1


def test_ctl_2_one_person_one_invoice_signature(plan_a, community_a, director_a, staff_a):
    from tests.welfare import helpers

    services_project = plan_a.projects.first()
    services_project.owner = director_a
    services_project.save()
    s = _spending(services_project, staff_a)
    services.sign_invoices(s, kind="director", acting_user=director_a.user)
    with pytest.raises(ValidationError, match="CTL-2"):
        services.sign_invoices(s, kind="project_head", acting_user=director_a.user)
    assert InvoiceSignature.objects.count() == 1 and helpers


# --- WEL-10 ---------------------------------------------------------------------------------------


@pytest.fixture
def supervision(community_a, director_a):
    return services.create_group(community=community_a, kind=services.SUPERVISION_GROUP, acting_user=director_a.user)


def test_wel_10_groups_are_meetings_bodies_with_a_quarterly_cadence(supervision, community_a, director_a):
    from meetings import kinds

    assert supervision.kind == "welfare_supervision" and kinds.get(supervision.kind).cadence_months == 3
    with pytest.raises(ValidationError):
        services.create_group(community=community_a, kind=services.SUPERVISION_GROUP, acting_user=director_a.user)


def test_wel_10_supervision_group_refuses_a_station_member(supervision, community_a, director_a):
    from meetings import services as mtg
    from meetings.models import BodyMember

    station = f.staff(community_a, "站员", [Role.SERVICE_STAFF])
    with pytest.raises(ValidationError) as e:
        mtg.add_member(supervision, staff=station, start=dt.date(2026, 1, 1), acting_user=director_a.user)
    assert "WEL-10" in str(e.value)
    with pytest.raises(ValidationError):  # typed by name: still a station member
        mtg.add_member(supervision, name=station.name, start=dt.date(2026, 1, 1), acting_user=director_a.user)
    assert not BodyMember.objects.filter(body=supervision).exists()
    mtg.add_member(supervision, staff=director_a, position="组长", start=dt.date(2026, 1, 1),
                   acting_user=director_a.user)


def test_wel_10_seven_members_no_eighth_and_led_by_the_director(supervision, director_a):
    from meetings import services as mtg

    day = dt.date(2026, 1, 1)
    for i in range(7):
        mtg.add_member(supervision, name=f"居民代表{i}", start=day, acting_user=director_a.user)
    problems = services.group_problems(supervision, dt.date(2026, 6, 10))
    assert len(problems) == 1 and "WEL-10" in problems[0]  # 7 members, but the director is not one
    with pytest.raises(ValidationError, match="WEL-10"):
        mtg.add_member(supervision, staff=director_a, start=day, acting_user=director_a.user)
    member = supervision.members.first()
    mtg.end_member(member, end=dt.date(2026, 6, 1), acting_user=director_a.user)
    mtg.add_member(supervision, staff=director_a, position="组长", start=dt.date(2026, 6, 2),
                   acting_user=director_a.user)
    assert services.group_problems(supervision, dt.date(2026, 6, 10)) == []


def test_wel_10_management_group_may_have_staff(community_a, director_a, staff_a):
    from meetings import services as mtg

    body = services.create_group(community=community_a, kind=services.MANAGEMENT_GROUP, acting_user=director_a.user)
    mtg.add_member(body, staff=staff_a, start=dt.date(2026, 1, 1), acting_user=director_a.user)


def test_wel_10_missing_groups_and_meetings_overdue(plan_a, community_a, supervision):
    items = [r for r in reminders.collect([community_a], dt.date(2026, 6, 10)) if r.rule == "WEL-10"]
    assert len(items) == 2 and all(r.state == reminders.OVERDUE for r in items)  # no management group; composition


# --- WEL-11 ---------------------------------------------------------------------------------------


def test_wel_11_composer_is_registered():
    from disclosure import composers

    c = composers.get("welfare.quarter")
    assert c.category == composers.WELFARE and c.rule == "WEL-11"


def test_wel_11_quarter_notice_per_project(plan_a, social_project, staff_a, community_a, time_machine):
    from finance.models import Expense

    s = _spending(social_project, staff_a, "1234.50")
    Expense.objects.filter(pk=s.expense_id).update(state="paid", paid_on=dt.date(2026, 5, 2))
    services.record_survey(social_project, surveyed_on=dt.date(2026, 6, 1), sample_size=10, aware=9,
                           acting_user=staff_a.user)
    with pytest.raises(ValidationError) as e:
        notices.compose(community_a, "2026-Q2")  # June 10: the quarter has not ended
    assert "subject" in e.value.error_dict
    time_machine.move_to(dt.datetime(2026, 7, 2, 10, 0), tick=False)
    assert [x.key for x in notices.subjects(community_a, dt.date(2026, 7, 2))] == ["2026-Q2", "2026-Q1"]
    composed = notices.compose(community_a, "2026-Q2")
    assert composed.min_working_days == 10 and composed.period_end == dt.date(2026, 6, 30)
    row = next(r for r in composed.tables[0].rows if r[1] == "睦邻互助")
    assert row[3] == "1,234.50" and row[4] == "1,234.50" and row[7] == "90.0%"
    assert composed.figures["quarter_spent"] == "1234.50"
    assert notices.compose(community_a, "2026-Q1").tables[0].rows[0][3] == "0.00"
    for bad in ("2026-Q5", "x", "2026-Q3", "1800-Q1"):
        with pytest.raises(ValidationError):
            notices.compose(community_a, bad)


def test_wel_11_posting_days_from_policy(plan_a, community_a, supervisor, time_machine):
    from committee import policy

    policy.set_value(street_office=community_a.street_office, community=None, key="wel.posting_days", raw="15",
                     reason="街道决定", acting_user=supervisor.user)
    time_machine.move_to(dt.datetime(2026, 7, 2, 10, 0), tick=False)
    composed = notices.compose(community_a, "2026-Q2")
    assert composed.min_working_days == 15
