"""Issue 8 in finance, each with the attacker's exact request: CTL-6 typed dates, FIN-4 void, FIN-5
signatures, FIN-7 decisions with a ceiling, splitting, CTL-8 bad amounts and dates."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from committee import approvals
from committee.models import Role
from finance import services
from finance.models import Cheque, Expense, FundDecision, Receipt, Reimbursement
from tests import factories as f
from tests.conftest import login
from tests.finance.conftest import attach_scan, decision, expense, fund_decision, sign_all

pytestmark = pytest.mark.django_db


def approved(line, staff, approver, amount="300.00", **kw):
    e = expense(line, staff.user, amount, **kw)
    for step in approvals.steps_for(e).order_by("step"):
        approvals.decide(step.pk, acting_user=approver.user, approve=True)
    e.refresh_from_db()
    return e


def issued_cheque(e, staff, cashier, number="00099"):
    c = services.apply_cheque(e, project="x", acting_user=staff.user)
    return services.issue_cheque(c, number=number, receiver="甲委员", receiver_signed=True, department_confirmed=True,
                                 accountant_checked=True, budget_checked=True, acting_user=cashier.user)


def invoice(e, user, cheque_number=""):
    services.add_invoice(e, kind="invoice", number=f"N{e.pk}", date=dt.date(2026, 6, 1), cheque_number=cheque_number,
                         total=e.amount, lines=[("纸", D("1"), e.amount, e.amount)], acting_user=user)


# --- CTL-6 --------------------------------------------------------------------------------------


def test_ctl_6_an_overdue_cheque_cannot_look_settled_in_time(line_a, staff_a, secretary_a, cashier, time_machine):
    """The reproduction: the settlement date was typed, so an overdue cheque looked settled in time."""
    e = approved(line_a, staff_a, secretary_a)
    cheque = issued_cheque(e, staff_a, cashier)
    invoice(e, staff_a.user, cheque.number)
    sign_all(e)
    time_machine.move_to(dt.datetime(2026, 7, 20, 10, 0), tick=False)  # well after the 10 working days
    client = login(cashier)
    url = reverse("finance_reimbursement_complete", args=[e.pk])
    r = client.post(url, {"paid_on": "2026-06-12"}, follow=True)  # typed back into the deadline, no reason
    assert "CTL-6" in r.content.decode()
    e.refresh_from_db()
    assert e.state == Expense.State.APPROVED
    r = client.post(url, {"paid_on": "2026-06-12", "late_reason": "6月12日已交票据，今日补录"})
    cheque.refresh_from_db()
    e.refresh_from_db()
    assert cheque.state == Cheque.State.SETTLED and cheque.settled_late and cheque.settled_late_reason
    assert e.paid_late
    for page in (reverse("finance_expense", args=[e.pk]), reverse("finance_cheque_list")):
        assert "补记" in client.get(page).content.decode()
    # without a typed date the settlement is today's, not late
    assert cheque.due_on < dt.date(2026, 7, 20)


def test_ctl_6_settled_today_by_default(line_a, staff_a, secretary_a, cashier):
    e = approved(line_a, staff_a, secretary_a, method="transfer")
    invoice(e, staff_a.user)
    sign_all(e)
    r = login(cashier).post(reverse("finance_reimbursement_complete", args=[e.pk]), {"paid_on": ""})
    assert r.status_code == 302
    e.refresh_from_db()
    assert e.state == Expense.State.PAID and e.paid_on == dt.date(2026, 6, 10) and not e.paid_late


def test_ctl_6_the_cash_notice_date_is_the_servers(line_a, staff_a):
    e = expense(line_a, staff_a.user, "300.00", method="cash")
    client = login(staff_a)
    url = reverse("finance_expense_notice", args=[e.pk])
    client.post(url, {"notified_on": "2026-06-01"})  # an earlier date without a reason
    e.refresh_from_db()
    assert e.finance_notified_on is None
    client.post(url, {"notified_on": "2026-06-30"})  # a later date
    e.refresh_from_db()
    assert e.finance_notified_on is None
    client.post(url, {"notified_on": "2026-06-09", "late_reason": "昨天电话通知"})
    e.refresh_from_db()
    assert e.finance_notified_on == dt.date(2026, 6, 9) and e.finance_notified_late


def test_ctl_6_a_receipt_dated_earlier_is_a_late_entry_marked_on_the_pdf(community_a, staff_a):
    client = login(staff_a)
    data = {"source": "donation", "payer": "张", "purpose": "捐赠", "amount": "10.00", "received_on": "2026-06-01"}
    r = client.post(reverse("finance_receipt_create"), data)
    assert r.status_code == 200 and not Receipt.objects.exists()
    client.post(reverse("finance_receipt_create"), {**data, "late_reason": "当日未录入"})
    receipt = Receipt.objects.get()
    assert receipt.received_late
    from committee import printing

    text = printing.pdf_text(services_pdf(receipt)) if hasattr(printing, "pdf_text") else None
    if text is not None:
        assert "补记" in text
    assert "补记" in client.get(reverse("finance_receipt", args=[receipt.pk])).content.decode()


def services_pdf(receipt):
    from finance.views import receipt_pdf_bytes

    return receipt_pdf_bytes(receipt)


# --- FIN-4 --------------------------------------------------------------------------------------


def test_fin_4_a_director_cannot_void_an_issued_cheque_to_get_a_new_one(line_a, staff_a, secretary_a, cashier,
                                                                       director_a):
    """The reproduction: a community director voided an issued, unsettled cheque and got a new one."""
    e = approved(line_a, staff_a, secretary_a)
    cheque = issued_cheque(e, staff_a, cashier)
    r = login(director_a).post(reverse("finance_cheque_void", args=[cheque.pk]), {"reason": "作废"}, follow=True)
    assert "FIN-4" in r.content.decode()
    cheque.refresh_from_db()
    assert cheque.state == Cheque.State.ISSUED
    e2 = approved(line_a, staff_a, secretary_a)
    with pytest.raises(ValidationError, match="FIN-4"):
        services.apply_cheque(e2, project="y", acting_user=staff_a.user)
    # finance voids it only once the paper cheque is back, with a reason
    client = login(cashier)
    client.post(reverse("finance_cheque_void", args=[cheque.pk]), {"reason": "填写错误"})
    cheque.refresh_from_db()
    assert cheque.state == Cheque.State.ISSUED
    client.post(reverse("finance_cheque_void", args=[cheque.pk]), {"reason": "填写错误", "returned": "on"})
    cheque.refresh_from_db()
    assert cheque.state == Cheque.State.VOID and cheque.returned and cheque.voided_by == cashier
    services.apply_cheque(e2, project="y", acting_user=staff_a.user)


def test_fin_4_a_cheque_applied_for_can_still_be_withdrawn_by_the_keepers(line_a, staff_a, secretary_a, director_a):
    e = approved(line_a, staff_a, secretary_a)
    cheque = services.apply_cheque(e, project="x", acting_user=staff_a.user)
    login(director_a).post(reverse("finance_cheque_void", args=[cheque.pk]), {"reason": "改用转账"})
    cheque.refresh_from_db()
    assert cheque.state == Cheque.State.VOID


# --- FIN-5 --------------------------------------------------------------------------------------


def test_fin_5_a_member_cannot_tick_the_directors_signature(line_a, staff_a, secretary_a, community_a):
    """The reproduction: signatures were ticked boxes any member could tick ("director signed")."""
    e = approved(line_a, staff_a, secretary_a, method="transfer")
    client = login(staff_a)
    client.post(reverse("finance_signatures", args=[e.pk]), {"signed_director": "on", "signed_station_head": "on"})
    r = client.post(reverse("finance_sign", args=[e.pk]), {"kind": "director"}, follow=True)
    assert "FIN-5" in r.content.decode()
    reimb = Reimbursement.objects.filter(expense=e).first()
    assert reimb is None or not (reimb.signed_director or reimb.signed_station_head)
    director = f.staff(community_a, "主任", [Role.DIRECTOR])
    login(director).post(reverse("finance_sign", args=[e.pk]), {"kind": "director"})
    reimb = Reimbursement.objects.get(expense=e)
    assert reimb.signed_director and reimb.signed_director_by == director
    assert reimb.history.first().history_user == director.user


def test_fin_5_one_person_gives_one_signature(line_a, community_a, secretary_a):
    both = f.staff(community_a, "主任兼站长", [Role.DIRECTOR, Role.STATION_HEAD])
    e = approved(line_a, both, secretary_a, method="transfer")
    services.sign_reimbursement(e, kind="handler", acting_user=both.user)
    with pytest.raises(ValidationError, match="CTL-2"):
        services.sign_reimbursement(e, kind="director", acting_user=both.user)


def test_fin_5_the_handler_records_the_payees_paper_signature_with_the_scan(line_a, staff_a, secretary_a,
                                                                           community_a):
    e = approved(line_a, staff_a, secretary_a, method="transfer", payee_is_person=True)
    other = f.staff(community_a, "另一委员", [Role.MEMBER])
    attach_scan(e)
    r = login(other).post(reverse("finance_payee_signed", args=[e.pk]), follow=True)
    assert "FIN-5" in r.content.decode()
    login(staff_a).post(reverse("finance_payee_signed", args=[e.pk]))
    reimb = Reimbursement.objects.get(expense=e)
    assert reimb.signed_payee and reimb.signed_payee_recorded_by == staff_a


# --- FIN-7 --------------------------------------------------------------------------------------


def receive(community, user, amount):
    return services.record_receipt(community=community, source="donation", payer="张", purpose="捐赠",
                                   amount=amount, acting_user=user)


def test_fin_7_a_broom_decision_does_not_back_a_dinner(community_a, staff_a, self_line):
    """The reproduction: one decision "同意购买扫帚" backed a 2,900-yuan "聚餐"."""
    receive(community_a, staff_a.user, "5000.00")
    brooms = fund_decision(community_a, title="同意购买扫帚", purpose="购买扫帚", ceiling="200.00")
    r = login(staff_a).post(reverse("finance_expense_create"), {
        "line": self_line.pk, "fund_decision": brooms.pk, "purpose": "聚餐", "amount": "2900", "payee": "饭店",
        "method": "transfer"})
    assert r.status_code == 200 and "FIN-7" in r.content.decode()
    assert not Expense.objects.exists()
    e = expense(self_line, staff_a.user, "150.00", method="transfer", fund_decision=brooms, purpose="扫帚")
    with pytest.raises(ValidationError, match="50.00"):  # what is left of the ceiling
        expense(self_line, staff_a.user, "60.00", method="transfer", fund_decision=brooms, purpose="扫帚")
    services.withdraw_expense(e, acting_user=staff_a.user)  # withdrawn spending no longer counts
    expense(self_line, staff_a.user, "200.00", method="transfer", fund_decision=brooms, purpose="扫帚")
    page = login(staff_a).get(reverse("finance_fund_decisions")).content.decode()
    assert "购买扫帚" in page


def test_fin_7_only_the_joint_meeting_decides(community_a, director_a):
    committee_decision = decision(community_a, kind="committee", title="居委会决定")
    r = login(director_a).post(reverse("finance_fund_decisions"), {
        "decision": committee_decision.pk, "purpose": "聚餐", "ceiling": "3000"})
    assert r.status_code == 200
    assert not FundDecision.objects.exists()
    with pytest.raises(ValidationError, match="FIN-7"):
        services.record_fund_decision(community=community_a, decision=committee_decision, purpose="聚餐",
                                      ceiling="3000", acting_user=director_a.user)
    joint = decision(community_a, title="同意购买扫帚")
    r = login(director_a).post(reverse("finance_fund_decisions"), {
        "decision": joint.pk, "purpose": "购买扫帚", "ceiling": "200"})
    assert r.status_code == 302
    fd = FundDecision.objects.get()
    assert fd.ceiling == D("200.00") and fd.decision == joint
    with pytest.raises(ValidationError, match="FIN-7"):  # recorded once, never raised afterwards
        services.record_fund_decision(community=community_a, decision=joint, purpose="购买扫帚", ceiling="3000",
                                      acting_user=director_a.user)


def test_fin_7_a_member_cannot_record_a_decision(community_a, staff_a):
    joint = decision(community_a)
    r = login(staff_a).post(reverse("finance_fund_decisions"), {"decision": joint.pk, "purpose": "x",
                                                                 "ceiling": "100"})
    assert r.status_code == 403 and not FundDecision.objects.exists()


# --- splitting ----------------------------------------------------------------------------------


def test_fin_2_the_approver_sees_the_same_payees_and_lines_expenses_of_30_days(line_a, staff_a, secretary_a):
    a = expense(line_a, staff_a.user, "450.00", payee="华联商厦", purpose="第一批")
    Expense.objects.filter(pk=a.pk).update(requested_on=dt.date(2026, 5, 20))
    old = expense(line_a, staff_a.user, "300.00", payee="华联商厦", purpose="很早以前")
    Expense.objects.filter(pk=old.pk).update(requested_on=dt.date(2026, 4, 1))
    b = expense(line_a, staff_a.user, "450.00", payee="华联商厦", purpose="第二批")
    page = login(secretary_a).get(reverse("finance_expense", args=[b.pk])).content.decode()
    assert "第一批" in page and "很早以前" not in page
    assert "900.00" in page  # the payee's total with this one
    related = services.related_expenses(b)
    assert related["payee_total"] == D("450.00")


def test_fin_2_possible_splitting_list_for_the_street_office(line_a, staff_a, supervisor, community_a,
                                                            django_assert_max_num_queries):
    for i, amount in enumerate(["450.00", "300.00"]):
        e = expense(line_a, staff_a.user, amount, payee="华联商厦", purpose=f"拆分{i}")
        Expense.objects.filter(pk=e.pk).update(requested_on=dt.date(2026, 6, 1 + i))
    expense(line_a, staff_a.user, "600.00", payee="别的店", purpose="单笔")
    client = login(supervisor)
    client.get(reverse("finance_splitting"))
    # 14: the page and the navigation badge (approval steps and inbox tasks waiting for this user)
    with django_assert_max_num_queries(18) as captured:
        r = client.get(reverse("finance_splitting"))
    page = r.content.decode()
    assert r.status_code == 200 and "拆分0" in page and "拆分1" in page and "华联商厦" in page
    few = len(captured)
    for i in range(8):  # more expenses, same number of queries
        e = expense(line_a, staff_a.user, "100.00", payee=f"店{i}", purpose=f"更多{i}")
    with django_assert_max_num_queries(few):
        client.get(reverse("finance_splitting"))
    assert login(staff_a).get(reverse("finance_splitting")).status_code == 403
    assert reverse("finance_splitting") in client.get(reverse("finance_home")).content.decode()


# --- CTL-8 / FIN-11: bad amounts and dates answer a form error, never a 500 -----------------------

BAD = ["1e400", "NaN", "Infinity", "-0", "123456789012", "-Infinity", "1E+400"]


@pytest.mark.parametrize("amount", BAD)
def test_ctl_8_bad_amounts_in_every_finance_money_field(amount, line_a, office_budget, supervisor, staff_a,
                                                        secretary_a, community_a, director_a):
    e = approved(line_a, staff_a, secretary_a, method="transfer")
    joint = decision(community_a)
    posts = [
        (supervisor, reverse("finance_line_add", args=[office_budget.pk]), {"name": "新", "amount": amount}),
        (supervisor, reverse("finance_line_change", args=[line_a.pk]), {"amount": amount, "reason": "x"}),
        (staff_a, reverse("finance_expense_create"), {"line": line_a.pk, "purpose": "x", "amount": amount,
                                                      "payee": "x", "method": "transfer"}),
        (staff_a, reverse("finance_receipt_create"), {"source": "donation", "payer": "x", "purpose": "x",
                                                      "amount": amount}),
        (director_a, reverse("finance_fund_decisions"), {"decision": joint.pk, "purpose": "x", "ceiling": amount}),
        (staff_a, reverse("finance_invoice_add", args=[e.pk]), {
            "kind": "invoice", "number": "1", "date": "2026-06-09", "total": amount, "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "0", "lines-MAX_NUM_FORMS": "1000",
            "lines-0-item": "纸", "lines-0-quantity": amount, "lines-0-unit_price": amount,
            "lines-0-amount": amount}),
    ]
    for person, url, data in posts:
        r = login(person).post(url, data, follow=True)
        assert r.status_code in (200, 302), url
    assert not Receipt.objects.exists() and not FundDecision.objects.exists()
    assert Expense.objects.count() == 1


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1899-12-31", "99999-01-01"])
def test_ctl_8_far_dates_in_finance_forms(day, line_a, staff_a, secretary_a, cashier, supervisor, community_a):
    e = approved(line_a, staff_a, secretary_a, method="transfer")
    cash = expense(line_a, staff_a.user, "100.00", method="cash")
    posts = [
        (staff_a, reverse("finance_expense_notice", args=[cash.pk]), {"notified_on": day, "late_reason": "x"}),
        (cashier, reverse("finance_reimbursement_complete", args=[e.pk]), {"paid_on": day, "late_reason": "x"}),
        (staff_a, reverse("finance_receipt_create"), {"source": "donation", "payer": "x", "purpose": "x",
                                                      "amount": "1", "received_on": day, "late_reason": "x"}),
        (staff_a, reverse("finance_invoice_add", args=[e.pk]), {"kind": "invoice", "number": "1", "date": day,
                                                                "total": "1"}),
    ]
    for person, url, data in posts:
        r = login(person).post(url, data, follow=True)
        assert r.status_code == 200, url
    client = login(supervisor)
    session = client.session
    session["current_community"] = community_a.pk
    session.save()
    r = client.post(reverse("finance_audit_create"), {"kind": "periodic", "period_start": day, "period_end": day,
                                                      "done_on": day, "auditors": "x"})
    assert r.status_code == 200
    assert not Receipt.objects.exists()
    for url in ("/finance/?year=99999", "/finance/?year=-1", "/finance/report/?year=99999&quarter=1",
                "/finance/cashbook/?year=0"):
        assert client.get(url).status_code in (200, 302, 404)


def test_ctl_6_an_audit_dated_earlier_is_a_late_entry(community_a, supervisor):
    client = login(supervisor)
    session = client.session
    session["current_community"] = community_a.pk
    session.save()
    data = {"kind": "periodic", "period_start": "2026-01-01", "period_end": "2026-06-30", "done_on": "2026-06-01",
            "auditors": "内审小组"}
    r = client.post(reverse("finance_audit_create"), data)
    assert r.status_code == 200 and "CTL-6" in r.content.decode()
    r = client.post(reverse("finance_audit_create"), {**data, "late_reason": "6月1日审计，今日录入"})
    assert r.status_code == 302
    from finance.models import Audit

    audit = Audit.objects.get()
    assert audit.done_late and audit.done_on == dt.date(2026, 6, 1)
    assert "补记" in client.get(reverse("finance_audit_list")).content.decode()
