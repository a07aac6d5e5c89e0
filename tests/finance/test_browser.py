"""A 1,200-yuan expense through its approval (FIN-2) to a cheque (FIN-4), its reimbursement (FIN-5) and
settlement, in a real browser, each person in their own browser session."""

import pytest

from committee.models import Role
from finance.models import Cheque, Expense
from tests import factories as f

pytestmark = pytest.mark.browser


@pytest.fixture
def contexts():
    opened = []
    yield opened
    for context in opened:
        context.close()


def session_for(browser, live_server, staff, contexts):
    context = browser.new_context(locale="zh-CN", base_url=live_server.url, viewport={"width": 1280, "height": 900})
    contexts.append(context)
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    tab.goto("/login/")
    tab.fill("#id_username", staff.user.username)
    tab.fill("#id_password", f.PASSWORD)
    tab.click("button[type=submit]")
    tab.wait_for_url("**/dashboard/")
    return tab


def test_fin_4_expense_of_1200_through_approval_cheque_and_settlement(transactional_db, browser, live_server,
                                                                      line_a, staff_a, cbdirector, cashier, contexts):
    me = session_for(browser, live_server, staff_a, contexts)
    me.goto("/finance/expenses/new/")
    me.select_option("#id_line", str(line_a.pk))
    me.fill("#id_purpose", "购买社区活动音响")
    me.fill("#id_amount", "1200")
    me.fill("#id_payee", "华声电器商店")
    me.select_option("#id_method", "cheque")
    me.click("text=提交审批")
    me.wait_for_selector("table.steps >> text=FIN-2")  # the step, and who can decide it
    assert cbdirector.name in me.inner_text("table.steps")
    expense = Expense.objects.get()
    assert expense.state == Expense.State.PENDING

    boss = session_for(browser, live_server, cbdirector, contexts)
    boss.goto(expense.get_absolute_url())
    boss.click("button[value=approve]")
    boss.wait_for_selector("text=已批准，未支付")

    me.goto(expense.get_absolute_url())
    me.click("text=申请领用支票")
    me.wait_for_selector("text=已申请")

    cash = session_for(browser, live_server, cashier, contexts)
    cash.goto(expense.get_absolute_url())
    cash.click("text=签发支票")
    cash.fill("#id_number", "10203040")
    cash.fill("#id_receiver", staff_a.name)
    for box in ("department_confirmed", "accountant_checked", "budget_checked", "receiver_signed"):
        cash.check(f"#id_{box}")
    cash.click("button:has-text('签发')")
    cash.wait_for_selector("text=已签发，待报销")
    cheque = Cheque.objects.get()
    assert cheque.number == "10203040" and cheque.due_on

    me.goto(f"/finance/expenses/{expense.pk}/reimbursement/")
    me.fill("#id_number", "FP-0001")
    me.fill("#id_total", "1200.00")
    me.fill("#id_lines-0-item", "音响")
    me.fill("#id_lines-0-quantity", "1")
    me.fill("#id_lines-0-unit_price", "1200")
    me.fill("#id_lines-0-amount", "1200")
    me.click("#invoice-form button[type=submit]")
    me.wait_for_selector("text=发票已添加")
    # FIN-5: each signer signs in their own session
    me.click("#signatures button:has-text('以经手人身份签字')")
    me.wait_for_selector("text=已签字。")
    for role, name in ((Role.STATION_HEAD, "站长"), (Role.DIRECTOR, "主任")):
        signer = f.staff(line_a.community, name, [role])
        tab = session_for(browser, live_server, signer, contexts)
        tab.goto(f"/finance/expenses/{expense.pk}/reimbursement/")
        tab.click("#signatures button[type=submit]")
        tab.wait_for_selector("text=已签字。")

    cash.goto(f"/finance/expenses/{expense.pk}/reimbursement/")
    cash.click("#complete-form button[type=submit]")
    cash.wait_for_selector("text=已报销：该支出已支付")
    cash.wait_for_selector("text=已结清")
    expense.refresh_from_db()
    cheque.refresh_from_db()
    assert expense.state == Expense.State.PAID
    assert cheque.state == Cheque.State.SETTLED
