"""Expenses: FIN-2 routing through committee.approvals, FIN-3 beyond the line, FIN-6 cash, FIN-8 purchases,
FIN-11 amounts, edits and reversals."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from committee import approvals
from committee.models import Approval, Role
from finance import services
from finance.models import Expense, Reversal
from tests import factories as f
from tests.conftest import login
from tests.finance.conftest import expense

pytestmark = pytest.mark.django_db


def step_roles(e):
    return [s.role_required for s in approvals.steps_for(e).order_by("step")]


@pytest.mark.parametrize("amount, expected", [
    ("499.99", [Role.PARTY_SECRETARY]),
    ("500.00", [Role.PARTY_SECRETARY, Role.INSTRUCTOR]),
    ("999.99", [Role.PARTY_SECRETARY, Role.INSTRUCTOR]),
    ("1000.00", [Role.BUILDING_OFFICE_DIRECTOR]),  # FIN-2 revised 2026-12: 1000以上 includes 1000
    ("1000.01", [Role.BUILDING_OFFICE_DIRECTOR]),
])
def test_fin_2_expense_request_opens_the_tiered_steps(line_a, staff_a, amount, expected):
    e = expense(line_a, staff_a.user, amount)
    assert e.state == Expense.State.PENDING
    assert step_roles(e) == expected
    assert approvals.steps_for(e).first().rule == "FIN-2"


def test_fin_2_tiers_follow_the_policy(line_a, staff_a, supervisor):
    from committee import policy

    policy.set_value(street_office=line_a.community.street_office, community=line_a.community, key="fin.tier_low",
                     raw="300", reason="测试", acting_user=supervisor.user)
    assert step_roles(expense(line_a, staff_a.user, "400.00")) == [Role.PARTY_SECRETARY, Role.INSTRUCTOR]


def test_fin_2_secretary_then_instructor_approve_a_middle_tier_expense(line_a, staff_a, secretary_a, instructor_a):
    e = expense(line_a, staff_a.user, "800.00")
    first, second = approvals.steps_for(e).order_by("step")
    with pytest.raises(ValidationError):  # the instructor cannot act before the secretary
        approvals.decide(second.pk, acting_user=instructor_a.user, approve=True)
    approvals.decide(first.pk, acting_user=secretary_a.user, approve=True)
    e.refresh_from_db()
    assert e.state == Expense.State.PENDING
    approvals.decide(second.pk, acting_user=instructor_a.user, approve=True)
    e.refresh_from_db()
    assert e.state == Expense.State.APPROVED and e.approved_on
    assert services.lines_with_figures(type(line_a).objects.filter(pk=line_a.pk)).get().committed == D("800.00")


def test_fin_2_nobody_approves_their_own_expense(line_a, secretary_a):
    e = expense(line_a, secretary_a.user, "100.00")
    step = approvals.steps_for(e).get()
    with pytest.raises(ValidationError, match="ORG-3"):
        approvals.decide(step.pk, acting_user=secretary_a.user, approve=True)


def test_fin_2_a_refusal_refuses_the_expense(line_a, staff_a, secretary_a):
    e = expense(line_a, staff_a.user, "100.00")
    approvals.decide(approvals.steps_for(e).get().pk, acting_user=secretary_a.user, approve=False, comment="不必要")
    e.refresh_from_db()
    assert e.state == Expense.State.REJECTED


def test_fin_3_beyond_the_remaining_line_adds_street_leadership(line_a, staff_a, secretary_a, cbdirector,
                                                                street_leader):
    big = expense(line_a, staff_a.user, "4500.00")
    approvals.decide(approvals.steps_for(big).get().pk, acting_user=cbdirector.user, approve=True)
    e = expense(line_a, staff_a.user, "600.00")  # 500 remain
    assert e.beyond_budget
    assert step_roles(e) == [Role.PARTY_SECRETARY, Role.INSTRUCTOR, Role.STREET_LEADER]
    assert approvals.steps_for(e).first().rule == "FIN-3"


def test_fin_3_a_line_used_up_meanwhile_sends_the_expense_on_to_street_leadership(
        line_a, staff_a, secretary_a, cbdirector, street_leader):
    a = expense(line_a, staff_a.user, "4500.00")
    b = expense(line_a, staff_a.user, "499.99")
    c = expense(line_a, staff_a.user, "400.00")  # both b and c fit alone; not together
    approvals.decide(approvals.steps_for(a).get().pk, acting_user=cbdirector.user, approve=True)
    approvals.decide(approvals.steps_for(b).get().pk, acting_user=secretary_a.user, approve=True)
    approvals.decide(approvals.steps_for(c).get().pk, acting_user=secretary_a.user, approve=True)
    c.refresh_from_db()
    assert c.state == Expense.State.PENDING and c.beyond_budget
    leader_step = approvals.steps_for(c).get(status=Approval.Status.PENDING)
    assert leader_step.role_required == Role.STREET_LEADER
    approvals.decide(leader_step.pk, acting_user=street_leader.user, approve=True)
    c.refresh_from_db()
    assert c.state == Expense.State.APPROVED


@pytest.mark.parametrize("amount", ["0", "-5.00", "12.345"])
def test_fin_11_bad_amounts_save_nothing(line_a, staff_a, amount):
    with pytest.raises(ValidationError, match="FIN-11"):
        expense(line_a, staff_a.user, amount)
    assert not Expense.objects.exists() and not Approval.objects.exists()


def test_fin_11_the_database_refuses_a_zero_amount(line_a, staff_a):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Expense.objects.create(community=line_a.community, line=line_a, purpose="x", amount=D("0"), payee="x",
                               method="cash", requested_by=staff_a, requested_on="2026-06-10")


def test_fin_6_cash_of_800_without_a_leader_is_refused(line_a, staff_a):
    with pytest.raises(ValidationError, match="FIN-6"):
        expense(line_a, staff_a.user, "800.00", method="cash")
    assert not Expense.objects.exists()
    e = expense(line_a, staff_a.user, "799.99", method="cash")
    assert step_roles(e) == [Role.PARTY_SECRETARY, Role.INSTRUCTOR]


def test_fin_6_cash_of_800_with_a_leader_gets_the_leaders_step(line_a, staff_a):
    e = expense(line_a, staff_a.user, "800.00", method="cash", cash_leader_approval=True)
    assert step_roles(e)[-1] == Role.STREET_LEADER


def test_fin_8_a_purchase_names_three_different_people(line_a, staff_a, station_a, community_a):
    items = [("打印纸", D("10"), D("25.00"))]
    with pytest.raises(ValidationError, match="FIN-8"):
        expense(line_a, staff_a.user, "250.00", is_purchase=True, purchaser_member=staff_a,
                purchaser_station=station_a, purchaser_supervisor="", purchase_items=items)
    with pytest.raises(ValidationError, match="FIN-8"):
        expense(line_a, staff_a.user, "260.00", is_purchase=True, purchaser_member=staff_a,
                purchaser_station=station_a, purchaser_supervisor="居民代表王某", purchase_items=items)
    e = expense(line_a, staff_a.user, "250.00", is_purchase=True, purchaser_member=staff_a,
                purchaser_station=station_a, purchaser_supervisor="居民代表王某", purchase_items=items)
    assert e.purchase_items.count() == 1


def test_fin_11_an_expense_decided_on_cannot_be_edited(line_a, staff_a, secretary_a):
    e = expense(line_a, staff_a.user, "100.00")
    approvals.decide(approvals.steps_for(e).get().pk, acting_user=secretary_a.user, approve=True)
    with pytest.raises(ValidationError, match="FIN-11"):
        services.update_expense(e, acting_user=staff_a.user, amount=D("50.00"))
    e.refresh_from_db()
    assert e.amount == D("100.00")


def test_ctl_5_a_colleague_cannot_edit_a_pending_expense(line_a, staff_a, community_a, director_a):
    """The reproduction: a committee member edited a colleague's pending expense (amount and payee) and it
    was re-routed."""
    colleague = f.staff(community_a, "另一委员", [Role.MEMBER])
    e = expense(line_a, staff_a.user, "100.00")
    steps_before = list(approvals.steps_for(e).values_list("pk", "status"))
    for person in (colleague, director_a):
        client = login(person)
        url = reverse("finance_expense_edit", args=[e.pk])
        assert client.get(url).status_code == 403
        r = client.post(url, {"line": line_a.pk, "purpose": "购买办公用品", "amount": "1200.00", "payee": "我的店",
                              "method": "cheque", "reason": "改一下"})
        assert r.status_code == 403
        with pytest.raises(ValidationError, match="CTL-5"):
            services.update_expense(e, acting_user=person.user, reason="改", amount=D("1200.00"), payee="我的店")
    e.refresh_from_db()
    assert (e.amount, e.payee) == (D("100.00"), "文具店")
    assert list(approvals.steps_for(e).values_list("pk", "status")) == steps_before


def test_ctl_5_the_bookkeeper_edits_for_the_requester_only_with_a_reason(line_a, staff_a, community_a):
    keeper = f.staff(community_a, "记账员", [Role.BOOKKEEPER])
    e = expense(line_a, staff_a.user, "100.00")
    url = reverse("finance_expense_edit", args=[e.pk])
    data = {"line": line_a.pk, "purpose": "购买办公用品", "amount": "120.00", "payee": "文具店", "method": "cheque"}
    r = login(keeper).post(url, data)
    assert r.status_code == 200  # the reason is missing
    e.refresh_from_db()
    assert e.amount == D("100.00")
    r = login(keeper).post(url, {**data, "reason": "发票金额为120元"})
    assert r.status_code == 302
    e.refresh_from_db()
    assert e.amount == D("120.00") and e.history.first().history_change_reason == "发票金额为120元"
    # the keeper prepared the change: he is barred from deciding it (CTL-2)
    assert keeper in approvals.steps_for(e).get(status="pending").preparers.all()


def test_ctl_5_editing_restarts_the_approval_in_a_new_round(line_a, staff_a, secretary_a):
    e = expense(line_a, staff_a.user, "800.00")
    first = approvals.steps_for(e).order_by("step").first()
    approvals.decide(first.pk, acting_user=secretary_a.user, approve=True)
    r = login(staff_a).post(reverse("finance_expense_edit", args=[e.pk]), {
        "line": line_a.pk, "purpose": "购买办公用品", "amount": "700.00", "payee": "文具店", "method": "cheque"})
    assert r.status_code == 302
    pending = approvals.steps_for(e).filter(status="pending").order_by("step")
    assert [s.role_required for s in pending] == [Role.PARTY_SECRETARY, Role.INSTRUCTOR]
    assert {s.round for s in pending} == {first.round + 1}
    first.refresh_from_db()
    assert first.status == "approved"  # the earlier decision stays on record


def test_an_undecided_expense_can_be_edited_and_is_routed_again(line_a, staff_a):
    e = expense(line_a, staff_a.user, "100.00")
    services.update_expense(e, acting_user=staff_a.user, amount=D("1200.00"))
    assert [s.role_required for s in approvals.steps_for(e).filter(status="pending")] == [
        Role.BUILDING_OFFICE_DIRECTOR]
    assert approvals.steps_for(e).filter(status="cancelled").count() == 1


def test_ctl_2_one_man_holding_two_roles_cannot_decide_two_steps(office_budget, supervisor, staff_a, street):
    """The reproduction: one person holding two roles decided both steps of a 2,500-yuan expense beyond the
    budget line (community-building office director and street leader)."""
    both = f.staff(street, "兼任领导", [Role.BUILDING_OFFICE_DIRECTOR, Role.STREET_LEADER])
    line = services.add_line(budget=office_budget, name="会议培训", amount="1000.00", acting_user=supervisor.user)
    e = expense(line, staff_a.user, "2500.00")  # beyond the 1000 line
    first, second = approvals.steps_for(e).filter(status="pending").order_by("step")
    assert (first.role_required, second.role_required) == (Role.BUILDING_OFFICE_DIRECTOR, Role.STREET_LEADER)
    client = login(both)
    client.post(reverse("approval_decide", args=[first.pk]), {"decision": "approve"})
    first.refresh_from_db()
    assert first.status == "approved"
    r = client.post(reverse("approval_decide", args=[second.pk]), {"decision": "approve"}, follow=True)
    assert "CTL-2" in r.content.decode()
    second.refresh_from_db()
    e.refresh_from_db()
    assert second.status == "pending" and e.state == Expense.State.PENDING


def test_ctl_2_the_handler_and_purchasers_never_approve(line_a, community_a, station_a):
    member_secretary = f.staff(community_a, "书记兼委员", [Role.PARTY_SECRETARY, Role.MEMBER])
    e = services.request_expense(
        community=community_a, acting_user=station_a.user, line=line_a, purpose="购买扫帚", amount=D("100.00"),
        payee="五金店", method="transfer", is_purchase=True, purchaser_member=member_secretary,
        purchaser_station=station_a, purchaser_supervisor="监督员", purchase_items=[("扫帚", D("10"), D("10.00"))])
    step = approvals.steps_for(e).get()
    r = login(member_secretary).post(reverse("approval_decide", args=[step.pk]), {"decision": "approve"},
                                     follow=True)
    assert "CTL-2" in r.content.decode()
    step.refresh_from_db()
    assert step.status == "pending"


def test_ctl_2_the_street_leader_step_added_later_keeps_the_round(office_budget, staff_a, supervisor, street,
                                                                  community_a):
    """FIN-3 at final approval: the step added when the line was used up meanwhile belongs to the same round,
    so whoever decided the first step cannot decide it."""
    both = f.staff(street, "兼任领导", [Role.BUILDING_OFFICE_DIRECTOR, Role.STREET_LEADER])
    line = services.add_line(budget=office_budget, name="小科目", amount="1500.00", acting_user=supervisor.user)
    e = expense(line, staff_a.user, "1200.00")
    other = expense(line, staff_a.user, "1100.00")
    other_director = f.staff(street, "另一主任", [Role.BUILDING_OFFICE_DIRECTOR])
    approvals.decide(approvals.steps_for(other).get().pk, acting_user=other_director.user, approve=True)
    approvals.decide(approvals.steps_for(e).get().pk, acting_user=both.user, approve=True)
    added = approvals.steps_for(e).get(status="pending")
    assert added.role_required == Role.STREET_LEADER and added.round == 1
    with pytest.raises(ValidationError, match="CTL-2|ORG-3"):
        approvals.decide(added.pk, acting_user=both.user, approve=True)


def test_fin_11_reversal_keeps_the_expense_and_frees_the_line(line_a, staff_a, secretary_a, director_a):
    e = expense(line_a, staff_a.user, "100.00")
    approvals.decide(approvals.steps_for(e).get().pk, acting_user=secretary_a.user, approve=True)
    with pytest.raises(ValidationError, match="FIN-11"):
        services.reverse_expense(e, reason=" ", acting_user=director_a.user)
    services.reverse_expense(e, reason="重复申请", acting_user=director_a.user)
    e.refresh_from_db()
    assert e.state == Expense.State.REVERSED
    assert Reversal.objects.get(expense=e).reason == "重复申请"
    assert services.line_remaining(line_a) == D("5000.00")


def test_expense_form_shows_the_rule_message_and_saves_nothing(line_a, staff_a):
    client = login(staff_a)
    r = client.post("/finance/expenses/new/", {"line": line_a.pk, "purpose": "x", "amount": "10.001",
                                               "payee": "y", "method": "transfer"})
    assert r.status_code == 200
    assert "FIN-11" in r.content.decode()
    r = client.post("/finance/expenses/new/", {"line": line_a.pk, "purpose": "x", "amount": "800",
                                               "payee": "y", "method": "cash"})
    assert "FIN-6" in r.content.decode()
    assert not Expense.objects.exists()
    r = client.post("/finance/expenses/new/", {"line": line_a.pk, "purpose": "购买打印纸", "amount": "1200",
                                               "payee": "文具店", "method": "cheque"})
    e = Expense.objects.get()
    assert r.status_code == 302 and r.url == e.get_absolute_url()
    page = client.get(e.get_absolute_url()).content.decode()
    assert "购买打印纸" in page and "FIN-2" in page


def test_expense_page_offers_the_decision_to_the_approver_only(line_a, staff_a, cbdirector):
    e = expense(line_a, staff_a.user, "1200.00")
    assert 'name="decision"' in login(cbdirector).get(e.get_absolute_url()).content.decode()
    assert 'name="decision"' not in login(staff_a).get(e.get_absolute_url()).content.decode()


def test_another_communitys_line_cannot_be_used(line_a, staff_b, community_b):
    with pytest.raises(ValidationError):
        services.request_expense(community=community_b, acting_user=staff_b.user, line=line_a, purpose="x",
                                 amount="10.00", payee="y", method="transfer")


def test_street_leader_fixture_is_street_wide(street_leader, community_a):
    assert approvals.holds_role(street_leader, Role.STREET_LEADER, community_a, f.LONG_AGO.replace(year=2026))
