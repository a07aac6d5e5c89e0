"""Issue 9, finance: a refused form keeps what was typed (the error beside its field or line, naming the rule),
voiding anything needs a reason, every action says who acts next, the inbox lists finance work that is not
an approval step, one money format."""

import datetime as dt
import re
from decimal import Decimal as D

import pytest
from django.contrib.messages import get_messages

from committee import approvals, inbox
from committee.inbox import tasks_for
from committee.models import Role
from finance import services, tasks
from finance.models import Cheque, Expense, FundDecision, Invoice, Receipt
from tests import factories as f
from tests.conftest import badge_matches_inbox, login
from tests.finance.conftest import expense, fund_decision

pytestmark = pytest.mark.django_db


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def approved(line, staff, approver, amount="300.00", **kw):
    e = expense(line, staff.user, amount, **kw)
    for step in approvals.steps_for(e).order_by("step"):
        approvals.decide(step.pk, acting_user=approver.user, approve=True)
    e.refresh_from_db()
    assert e.state == Expense.State.APPROVED
    return e


def issue(cheque, cashier, number="00012345", **kw):
    return services.issue_cheque(cheque, number=number, receiver="甲委员", receiver_signed=True,
                                 department_confirmed=True, accountant_checked=True, budget_checked=True,
                                 acting_user=cashier.user, **kw)


def invoice_post(**over):
    data = {"kind": "invoice", "number": "FP-2077", "date": "2026-06-09", "cheque_number": "", "total": "999.00",
            "lines-TOTAL_FORMS": "5", "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "0",
            "lines-MAX_NUM_FORMS": "1000",
            "lines-0-item": "打印纸", "lines-0-quantity": "10", "lines-0-unit_price": "25.50", "lines-0-amount": "255.00",
            "lines-1-item": "硒鼓", "lines-1-quantity": "3", "lines-1-unit_price": "15.00", "lines-1-amount": "45.00"}
    data.update(over)
    return data


def value_of(html, name):
    match = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', html)
    assert match, name
    value = re.search(r'value="([^"]*)"', match.group(0))
    return value.group(1) if value else ""


# --- forms keep what was typed --------------------------------------------------------------------


def test_fin_5_invoice_whose_lines_do_not_add_up_comes_back_with_every_field_and_line(line_a, staff_a,
                                                                                       secretary_a):
    e = approved(line_a, staff_a, secretary_a, "300.00", method="transfer")
    r = login(staff_a).post(f"/finance/expenses/{e.pk}/reimbursement/invoices/", invoice_post())
    assert r.status_code == 200
    html = r.content.decode()
    for name, value in (("number", "FP-2077"), ("total", "999.00"), ("lines-0-item", "打印纸"),
                        ("lines-0-quantity", "10"), ("lines-0-unit_price", "25.50"), ("lines-0-amount", "255.00"),
                        ("lines-1-item", "硒鼓"), ("lines-1-quantity", "3"), ("lines-1-amount", "45.00")):
        assert value_of(html, name) == value, name
    assert 'value="2026-06-09"' in html
    # the refusal is beside the total, with the sum of the lines in the one money format and the rule
    assert "300.00" in html and "999.00" in html and "FIN-5" in html
    assert 'aria-invalid="true"' in re.search(r'<input[^>]*name="total"[^>]*>', html).group(0)
    assert not Invoice.objects.exists()


def test_fin_5_a_line_whose_amount_is_not_quantity_times_price_is_named_beside_that_line(line_a, staff_a,
                                                                                        secretary_a):
    e = approved(line_a, staff_a, secretary_a, "300.00", method="transfer")
    r = login(staff_a).post(f"/finance/expenses/{e.pk}/reimbursement/invoices/",
                            invoice_post(**{"lines-1-amount": "40.00", "total": "295.00"}))
    assert r.status_code == 200
    html = r.content.decode()
    error = re.search(r'<tr class="line-errors[^"]*">(.*?)</tr>', html, re.S).group(1)
    assert "第 2 行" in error and "硒鼓" in error and "45.00" in error and "40.00" in error and "FIN-5" in error
    assert value_of(html, "lines-1-amount") == "40.00" and value_of(html, "lines-0-item") == "打印纸"
    assert not Invoice.objects.exists()


def test_fin_5_service_still_refuses_a_line_that_does_not_add_up(line_a, staff_a, secretary_a):
    e = approved(line_a, staff_a, secretary_a, "300.00", method="transfer")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        services.add_invoice(e, kind="invoice", number="1", date=dt.date(2026, 6, 9), cheque_number="",
                             total=D("40.00"), lines=[("硒鼓", D("3"), D("15.00"), D("40.00"))],
                             acting_user=staff_a.user)
    assert "line:0" in refused.value.error_dict and "FIN-5" in str(refused.value)


def test_invoice_added_says_what_is_still_missing_and_who_acts_next(line_a, staff_a, secretary_a):
    e = approved(line_a, staff_a, secretary_a, "300.00", method="transfer")
    client = login(staff_a)
    r = client.post(f"/finance/expenses/{e.pk}/reimbursement/invoices/", invoice_post(total="300.00"), follow=True)
    said = messages_of(r)
    assert any("发票已添加" in m for m in said)
    assert any(m.startswith("下一步") and "FIN-5" in m for m in said)  # the signatures are still missing
    page = r.content.decode()
    assert 'href="#signatures"' in page and "300.00 元" in page


def test_budget_line_refused_keeps_name_and_amount(office_budget, supervisor):
    client = login(supervisor)
    r = client.post(f"/finance/budgets/{office_budget.pk}/lines/", {"name": "宣传费", "amount": "12.345",
                                                                    "reason": "年初预算"})
    assert r.status_code == 200
    html = r.content.decode()
    assert value_of(html, "name") == "宣传费" and value_of(html, "amount") == "12.345"
    assert value_of(html, "reason") == "年初预算" and "FIN-11" in html
    assert not office_budget.lines.exists()


def test_cash_notice_refused_keeps_the_date_and_says_the_rule(line_a, staff_a):
    e = expense(line_a, staff_a.user, "1200.00", method="cash", cash_leader_approval=True)
    r = login(staff_a).post(f"/finance/expenses/{e.pk}/notice/", {"notified_on": "2026-06-01", "late_reason": ""})
    assert r.status_code == 200
    html = r.content.decode()
    assert value_of(html, "notified_on") == "2026-06-01" and "CTL-6" in html
    e.refresh_from_db()
    assert e.finance_notified_on is None


def test_fin_4_blocked_cheque_message_links_to_the_cheque_that_blocks_it(line_a, staff_a, secretary_a):
    first, second = approved(line_a, staff_a, secretary_a), approved(line_a, staff_a, secretary_a)
    client = login(staff_a)
    client.post(f"/finance/expenses/{first.pk}/cheque/", {"project": "一"})
    blocking = Cheque.objects.get()
    r = client.post(f"/finance/expenses/{second.pk}/cheque/", {"project": "二"}, follow=True)
    link = f'href="/finance/expenses/{first.pk}/#cheque-{blocking.pk}"'
    assert any("FIN-4" in m and link in m for m in messages_of(r))
    assert link in r.content.decode()
    assert f'id="cheque-{blocking.pk}"' in login(staff_a).get(first.get_absolute_url()).content.decode()


def test_expense_submitted_says_who_decides_next(line_a, staff_a):
    r = login(staff_a).post("/finance/expenses/new/", {"line": line_a.pk, "purpose": "买笔", "amount": "100",
                                                       "payee": "文具店", "method": "cash"}, follow=True)
    assert any("书记" in m and "下一步" in m for m in messages_of(r))


def test_only_the_requester_withdraws_an_expense_and_is_asked_first(line_a, staff_a, director_a):
    e = expense(line_a, staff_a.user)
    assert login(director_a).post(f"/finance/expenses/{e.pk}/withdraw/").status_code == 403
    page = login(staff_a).get(e.get_absolute_url()).content.decode()
    assert 'data-dialog="dlg-withdraw"' in page
    assert 'data-dialog="dlg-withdraw"' not in login(director_a).get(e.get_absolute_url()).content.decode()
    login(staff_a).post(f"/finance/expenses/{e.pk}/withdraw/")
    e.refresh_from_db()
    assert e.state == Expense.State.WITHDRAWN


# --- voiding needs a reason -----------------------------------------------------------------------


def test_fin_4_cheque_void_needs_a_reason(line_a, staff_a, secretary_a, director_a):
    e = approved(line_a, staff_a, secretary_a)
    cheque = services.apply_cheque(e, project="x", acting_user=staff_a.user)
    client = login(director_a)
    page = client.get(e.get_absolute_url()).content.decode()
    assert f'data-dialog="dlg-void-{cheque.pk}"' in page and 'name="reason"' in page
    r = client.post(f"/finance/cheques/{cheque.pk}/void/", {"reason": "  "}, follow=True)
    cheque.refresh_from_db()
    said = messages_of(r)
    assert cheque.state == Cheque.State.REQUESTED and any("FIN-11" in m for m in said), said
    client.post(f"/finance/cheques/{cheque.pk}/void/", {"reason": "填写错误"})
    cheque.refresh_from_db()
    assert cheque.state == Cheque.State.VOID and cheque.void_reason == "填写错误"


def test_fin_11_receipt_reverse_needs_a_reason_and_asks_first(community_a, staff_a, director_a):
    receipt = services.record_receipt(community=community_a, source="donation", payer="张", purpose="捐赠",
                                      amount="10.00", received_on=dt.date(2026, 6, 10), acting_user=staff_a.user)
    client = login(director_a)
    assert 'data-dialog="dlg-reverse"' in client.get(receipt.get_absolute_url()).content.decode()
    client.post(f"/finance/receipts/{receipt.pk}/reverse/", {"reason": ""})
    assert not Receipt.objects.get().reversed
    client.post(f"/finance/receipts/{receipt.pk}/reverse/", {"reason": "重复开具"})
    assert Receipt.objects.get().reversed


def test_fin_7_fund_decision_void_needs_a_reason_keeps_history_and_the_row(community_a, director_a, staff_a):
    fd = fund_decision(community_a)
    client = login(director_a)
    page = client.get("/finance/decisions/").content.decode()
    assert f'data-dialog="dlg-fd-{fd.pk}"' in page
    assert f'data-dialog="dlg-fd-{fd.pk}"' not in login(staff_a).get("/finance/decisions/").content.decode()
    r = client.post(f"/finance/decisions/{fd.pk}/void/", {"reason": ""}, follow=True)
    assert not FundDecision.objects.get().voided and any("FIN-11" in m for m in messages_of(r))
    login(staff_a).post(f"/finance/decisions/{fd.pk}/void/", {"reason": "不是主任"})  # not a keeper (FIN-7)
    assert not FundDecision.objects.get().voided
    r = client.post(f"/finance/decisions/{fd.pk}/void/", {"reason": "会议记录有误"}, follow=True)
    fd = FundDecision.objects.get()
    assert fd.voided and fd.void_reason == "会议记录有误"
    assert fd.history.count() == 2
    page = r.content.decode()
    assert "会议记录有误" in page and "3,000.00 元" in page


def test_fin_7_fund_decision_with_spending_waiting_is_not_voided(community_a, self_line, director_a, staff_a):
    fd = fund_decision(community_a)
    services.record_receipt(community=community_a, source="donation", payer="张", purpose="捐赠",
                            amount="500.00", received_on=dt.date(2026, 6, 10), acting_user=staff_a.user)
    expense(self_line, staff_a.user, "100.00", method="cash", fund_decision=fd)
    r = login(director_a).post(f"/finance/decisions/{fd.pk}/void/", {"reason": "作废：会议记录写错了金额"}, follow=True)
    assert not FundDecision.objects.get().voided and any("FIN-7" in m for m in messages_of(r))
    # The refused reason is back in the dialog's field (once), not lost with the refusal.
    page = r.content.decode()
    assert re.search(r'name="reason"[^>]*>作废：会议记录写错了金额</textarea>', page)
    assert "作废：会议记录写错了金额</textarea>" not in r.client.get("/finance/decisions/").content.decode()


def test_another_communitys_fund_decision_is_not_found(community_b, director_a):
    fd = fund_decision(community_b)
    assert login(director_a).post(f"/finance/decisions/{fd.pk}/void/", {"reason": "x"}).status_code == 404
    assert not FundDecision.objects.get().voided


# --- the inbox: finance work that is not an approval step -----------------------------------------


def kinds(user):
    return [t.title for t in inbox.read(tasks.finance_tasks(user))]


def test_street_finance_sees_reimburse_and_settle_and_cheques_to_issue(line_a, staff_a, secretary_a, cashier,
                                                                      bookkeeper_a):
    transfer = approved(line_a, staff_a, secretary_a, "50.00", method="transfer", purpose="转账付款")
    by_cheque = approved(line_a, staff_a, secretary_a, "400.00", purpose="音响")
    services.apply_cheque(by_cheque, project="音响", acting_user=staff_a.user)
    found = {t.title: t for t in tasks_for(cashier.user)}
    settle = found["报销并结清：转账付款，50.00 元"]
    assert settle.action == "报销并结清" and settle.url == f"/finance/expenses/{transfer.pk}/reimbursement/"
    assert settle.community == line_a.community
    cheque = Cheque.objects.get()
    to_issue = found["签发支票：音响，400.00 元"]
    assert to_issue.url == f"/finance/cheques/{cheque.pk}/issue/"
    # the cheque expense waits for its cheque to be issued, not yet for settlement
    assert not any(t.startswith("报销并结清：音响") for t in found)
    assert badge_matches_inbox(cashier.user) == 2
    issue(cheque, cashier)
    assert any(t.startswith("报销并结清：音响") for t in kinds(cashier.user))
    assert badge_matches_inbox(cashier.user) == 2  # the cheque issued, its expense is ready to settle
    # nobody else is asked to settle
    for person in (staff_a, secretary_a, bookkeeper_a):
        assert not any(t.startswith("报销并结清") for t in kinds(person.user))


def test_bookkeeper_sees_overdue_cheques_of_her_community_only(line_a, staff_a, secretary_a, cashier,
                                                              bookkeeper_a, community_b, supervisor,
                                                              time_machine):
    e = approved(line_a, staff_a, secretary_a)
    cheque = issue(services.apply_cheque(e, project="办公用品", acting_user=staff_a.user), cashier)
    budget_b = services.create_budget(community=community_b, year=2026, fund_type="office",
                                      acting_user=supervisor.user)
    line_b = services.add_line(budget=budget_b, name="办公用品", amount="5000.00", acting_user=supervisor.user)
    staff_b = f.staff(community_b, "乙员工")
    secretary_b = f.staff(community_b, "乙书记", [Role.PARTY_SECRETARY])
    e_b = approved(line_b, staff_b, secretary_b)
    issue(services.apply_cheque(e_b, project="乙社区支票", acting_user=staff_b.user), cashier, number="999")
    assert not any("逾期" in t for t in kinds(bookkeeper_a.user))
    time_machine.move_to(dt.datetime.combine(cheque.due_on + dt.timedelta(days=1), dt.time(10)), tick=False)
    mine = [t for t in inbox.read(tasks.finance_tasks(bookkeeper_a.user)) if "逾期" in t.title]
    assert len(mine) == 1 and "办公用品" in mine[0].title
    assert badge_matches_inbox(bookkeeper_a.user) == 1
    assert mine[0].url == f"/finance/expenses/{e.pk}/#cheque-{cheque.pk}"
    assert not any("乙社区支票" in t for t in kinds(bookkeeper_a.user))
    assert not any("逾期" in t for t in kinds(staff_a.user))


def test_another_street_offices_finance_sees_nothing(line_a, staff_a, secretary_a):
    approved(line_a, staff_a, secretary_a, "50.00", method="transfer")
    other = f.staff(f.street_office("别的街道办事处"), "别的出纳", [Role.FINANCE])
    assert inbox.read(tasks.finance_tasks(other.user)) == []


def test_handler_is_asked_to_apply_for_the_cheque_then_hand_in_invoices(line_a, staff_a, secretary_a, cashier):
    e = approved(line_a, staff_a, secretary_a, purpose="买纸")
    assert kinds(staff_a.user) == ["申请领用支票：买纸，300.00 元"]
    assert badge_matches_inbox(staff_a.user) == 1
    cheque = services.apply_cheque(e, project="买纸", acting_user=staff_a.user)
    assert kinds(staff_a.user) == []  # the cheque waits for finance
    assert badge_matches_inbox(staff_a.user) == 0  # not counted in the badge either
    issue(cheque, cashier)
    assert kinds(staff_a.user) == ["交发票报销：买纸，300.00 元"]


def test_director_is_asked_to_sign_once_invoices_are_in(line_a, staff_a, secretary_a, director_a):
    e = approved(line_a, staff_a, secretary_a, "50.00", method="transfer", purpose="买水")
    assert not any("签字" in t for t in kinds(director_a.user))
    services.add_invoice(e, kind="invoice", number="1", date=dt.date(2026, 6, 9), cheque_number="",
                         total=D("50.00"), lines=[("水", D("1"), D("50.00"), D("50.00"))], acting_user=staff_a.user)
    assert "报销签字：买水，50.00 元" in kinds(director_a.user)
    services.sign_reimbursement(e, kind="director", acting_user=director_a.user)
    assert not any("签字" in t for t in kinds(director_a.user))


def test_inbox_tasks_take_a_fixed_number_of_queries(line_a, staff_a, secretary_a, cashier,
                                                    django_assert_max_num_queries):
    for n in range(6):
        approved(line_a, staff_a, secretary_a, "20.00", method="transfer", purpose=f"转账{n}")
    for person in (cashier, staff_a):
        person.user.refresh_from_db()
        user = type(person.user).objects.get(pk=person.user.pk)
        with django_assert_max_num_queries(7):
            found = inbox.read(tasks.finance_tasks(user))
        assert len(found) == 6


# --- the cheque register offers issuing -------------------------------------------------------------


def test_cheque_register_offers_issue_to_finance_only(line_a, staff_a, secretary_a, cashier):
    e = approved(line_a, staff_a, secretary_a)
    cheque = services.apply_cheque(e, project="x", acting_user=staff_a.user)
    issue_url = f"/finance/cheques/{cheque.pk}/issue/"
    assert issue_url in login(cashier).get("/finance/cheques/").content.decode()
    assert issue_url not in login(staff_a).get("/finance/cheques/").content.decode()
    assert "300.00 元" in login(staff_a).get("/finance/cheques/").content.decode()
