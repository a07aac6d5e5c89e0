"""WEL-5 prizes, WEL-6 refused uses, WEL-8 mid-year changes: enforced in the expense service; nothing saved
when refused, and the message says which cap and by how much."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from committee import approvals, policy
from finance import services as fin
from finance.models import Expense
from tests.welfare import helpers
from welfare import services
from welfare.models import Change, Spending

pytestmark = pytest.mark.django_db


def activity(project, user, title="重阳节联欢"):
    return services.record_activity(project, title=title, date=dt.date(2026, 6, 1), form="performance", sessions=1,
                                    participants=80, effect="好", acting_user=user.user)


def spend(project, user, amount, kind="costs", act=None, top=None, purpose="活动场地布置"):
    return services.spend(project, kind=kind, purpose=purpose, amount=amount, payee="服务公司", method="transfer",
                          activity=act, top_prize=top, acting_user=user.user)


def test_wel_5_event_prizes_exactly_30_00_percent_pass(social_project, staff_a):
    act = activity(social_project, staff_a)
    spend(social_project, staff_a, "700.00", act=act)
    s = spend(social_project, staff_a, "300.00", kind="prizes", act=act, top="50.00", purpose="联欢奖品")
    assert s.expense.state == Expense.State.PENDING and s.kind == Spending.Kind.PRIZES


def test_wel_5_event_prizes_30_01_percent_refused_saying_which_cap_and_how_much(social_project, staff_a):
    act = activity(social_project, staff_a)
    spend(social_project, staff_a, "699.90", act=act)
    before = Expense.objects.count()
    with pytest.raises(ValidationError) as e:
        spend(social_project, staff_a, "300.10", kind="prizes", act=act, top="50.00", purpose="联欢奖品")
    message = " ".join(e.value.message_dict["amount"])
    assert "30.01" in message and "0.15" in message and "WEL-5" in message and act.title in message
    assert Expense.objects.count() == before and Spending.objects.count() == 1


def test_wel_5_year_prizes_30_00_percent_pass_30_01_refused(social_project, staff_a):
    assert services.year_fund(social_project.community, 2026) == Decimal("10000.00")
    act = activity(social_project, staff_a)
    spend(social_project, staff_a, "7100.00", act=act)
    spend(social_project, staff_a, "3000.00", kind="prizes", act=act, top="200.00", purpose="奖品")  # 30.00%
    with pytest.raises(ValidationError) as e:
        spend(social_project, staff_a, "1.00", kind="prizes", act=act, top="1.00", purpose="奖品")  # 30.01%
    message = " ".join(e.value.message_dict["amount"])
    assert "30.01" in message and "1.00" in message and "10,000.00" in message and "WEL-5" in message
    assert Spending.objects.filter(kind="prizes").count() == 1


def test_wel_5_single_prize_above_the_street_standard_refused(social_project, staff_a, community_a):
    assert policy.get(community_a, "wel.prize_max") == Decimal("200.00")
    act = activity(social_project, staff_a)
    spend(social_project, staff_a, "1000.00", act=act)
    spend(social_project, staff_a, "200.00", kind="prizes", act=act, top="200.00", purpose="奖品")
    with pytest.raises(ValidationError) as e:
        spend(social_project, staff_a, "200.01", kind="prizes", act=act, top="200.01", purpose="奖品")
    assert "0.01" in " ".join(e.value.message_dict["top_prize"])


def test_wel_5_prizes_need_the_event_and_the_largest_prize(social_project, staff_a):
    with pytest.raises(ValidationError) as e:
        spend(social_project, staff_a, "10.00", kind="prizes", top="10.00")
    assert "activity" in e.value.error_dict
    act = activity(social_project, staff_a)
    with pytest.raises(ValidationError) as e:
        spend(social_project, staff_a, "10.00", kind="prizes", act=act)
    assert "top_prize" in e.value.error_dict


def test_wel_5_withdrawn_prizes_do_not_count(social_project, staff_a):
    act = activity(social_project, staff_a)
    spend(social_project, staff_a, "700.00", act=act)
    first = spend(social_project, staff_a, "300.00", kind="prizes", act=act, top="50.00", purpose="奖品")
    fin.withdraw_expense(first.expense, acting_user=staff_a.user)
    spend(social_project, staff_a, "300.00", kind="prizes", act=act, top="50.00", purpose="奖品")


def test_wel_5_editing_a_prize_expense_in_finance_is_checked_again(social_project, staff_a):
    act = activity(social_project, staff_a)
    spend(social_project, staff_a, "700.00", act=act)
    s = spend(social_project, staff_a, "300.00", kind="prizes", act=act, top="50.00", purpose="奖品")
    with pytest.raises(ValidationError, match="WEL-5"):
        fin.update_expense(s.expense, amount=Decimal("300.10"), acting_user=staff_a.user)
    s.expense.refresh_from_db()
    assert s.expense.amount == Decimal("300.00")


@pytest.mark.parametrize("purpose,use", [("购买办公用品", "办公经费"), ("工作人员出差车费", "工作人员出差"),
                                         ("宴请共建单位", "招待费"), ("会议费", "会议费"), ("购买电脑一台", "政府采购目录内物品"),
                                         ("志愿者劳务费", "人员经费")])
def test_wel_6_refused_uses(social_project, staff_a, purpose, use):
    with pytest.raises(ValidationError) as e:
        spend(social_project, staff_a, "100.00", purpose=purpose)
    assert use in " ".join(e.value.message_dict["purpose"]) and "WEL-6" in str(e.value)
    assert not Spending.objects.exists() and not Expense.objects.filter(purpose=purpose).exists()


def test_wel_6_the_street_office_keeps_the_list(social_project, staff_a, supervisor, community_a):
    from welfare.models import RefusedUse

    with pytest.raises(ValidationError):
        services.add_refused_use(street_office=community_a.street_office, name="礼品", keywords="礼品",
                                 acting_user=staff_a.user)
    services.add_refused_use(street_office=community_a.street_office, name="礼品", keywords="礼品,纪念品",
                             acting_user=supervisor.user)
    with pytest.raises(ValidationError, match="WEL-6"):
        spend(social_project, staff_a, "100.00", purpose="购买纪念品")
    office = RefusedUse.objects.get(street_office=community_a.street_office, name="办公经费")
    services.toggle_entry(office, acting_user=supervisor.user)
    spend(social_project, staff_a, "100.00", purpose="购买办公用品")  # out of use: no longer refused
    assert office.history.count() == 2


def test_wel_6_refused_on_any_welfare_line_even_outside_a_project(plan_a, staff_a, supervisor):
    line = fin.add_line(budget=plan_a.budget, name="其他公益", amount="500.00", acting_user=supervisor.user)
    with pytest.raises(ValidationError, match="WEL-6"):
        fin.request_expense(community=plan_a.community, acting_user=staff_a.user, line=line, purpose="招待费",
                            amount="10.00", payee="饭店", method="cash")
    fin.request_expense(community=plan_a.community, acting_user=staff_a.user, line=line, purpose="环境整治",
                        amount="10.00", payee="公司", method="cash")


def test_wel_5_a_project_line_is_spent_only_through_the_project(social_project, staff_a):
    with pytest.raises(ValidationError) as e:
        fin.request_expense(community=social_project.community, acting_user=staff_a.user, line=social_project.line,
                            purpose="奖品", amount="500.00", payee="商店", method="cash")
    assert "line" in e.value.error_dict


def test_wel_8_change_up_to_10_percent_with_the_street_approval(plan_a, social_project, sports_project, staff_a,
                                                                supervisor):
    change = services.request_change(plan_a, source=social_project, target=sports_project, amount="1000.00",
                                     reason="广场舞报名人数多", acting_user=staff_a.user)
    assert change.state == Change.State.PENDING
    step = approvals.steps_for(change).get()
    with pytest.raises(ValidationError):
        approvals.decide(step.pk, acting_user=staff_a.user, approve=True)
    approvals.decide(step.pk, acting_user=supervisor.user, approve=True)
    change.refresh_from_db()
    social_project.refresh_from_db()
    sports_project.refresh_from_db()
    assert change.state == Change.State.APPROVED
    assert social_project.line.amount == Decimal("7000.00") == social_project.budget
    assert sports_project.line.amount == Decimal("3000.00") == sports_project.budget


def test_wel_8_change_above_10_percent_refused(plan_a, social_project, sports_project, staff_a):
    services.request_change(plan_a, source=social_project, target=sports_project, amount="600.00", reason="调整",
                            acting_user=staff_a.user)
    with pytest.raises(ValidationError) as e:
        services.request_change(plan_a, source=social_project, target=sports_project, amount="400.01",
                                reason="再调整", acting_user=staff_a.user)
    message = " ".join(e.value.message_dict["amount"])
    assert "0.01" in message and "10" in message and "WEL-8" in message
    assert Change.objects.count() == 1


def test_wel_8_refused_change_moves_nothing(plan_a, social_project, sports_project, staff_a, supervisor):
    change = services.request_change(plan_a, source=social_project, target=sports_project, amount="500.00",
                                     reason="调整", acting_user=staff_a.user)
    step = approvals.steps_for(change).get()
    approvals.decide(step.pk, acting_user=supervisor.user, approve=False, comment="不同意")
    social_project.refresh_from_db()
    assert social_project.line.amount == Decimal("8000.00")
    # a refused change no longer counts against the 10%
    services.request_change(plan_a, source=social_project, target=sports_project, amount="1000.00", reason="再议",
                            acting_user=staff_a.user)


def test_wel_8_change_needs_a_reason_and_two_projects(plan_a, social_project, staff_a):
    with pytest.raises(ValidationError):
        services.request_change(plan_a, source=social_project, target=social_project, amount="1.00", reason="x",
                                acting_user=staff_a.user)
    with pytest.raises(ValidationError):
        services.request_change(plan_a, source=social_project, target=plan_a.projects.exclude(
            pk=social_project.pk).get(), amount="1.00", reason=" ", acting_user=staff_a.user)


def test_wel_1_project_of_another_community_not_spent_by_b(social_project, staff_b):
    with pytest.raises(ValidationError):
        spend(social_project, staff_b, "10.00")
    assert helpers  # the module's builders are shared with the matrix


def test_wel_8_the_inbox_card_of_a_change_says_what_moves_and_its_share(plan_a, social_project, sports_project,
                                                                       staff_a, supervisor):
    from tests.conftest import login

    services.request_change(plan_a, source=social_project, target=sports_project, amount="500.00",
                            reason="广场舞报名人数多", acting_user=staff_a.user)
    page = login(supervisor).get("/inbox/").content.decode()
    assert "广场舞报名人数多" in page and "500.00 元" in page and social_project.name in page
    assert "占公益金预算" in page or "Share of the welfare budget" in page
