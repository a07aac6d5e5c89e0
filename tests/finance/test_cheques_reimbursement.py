"""Cheques (FIN-4) and reimbursement (FIN-5, FIN-6 cash, FIN-8 purchase match)."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from committee import approvals, calendar
from finance import services
from finance.models import Cheque, Expense, Invoice
from tests.conftest import login
from tests.finance.conftest import attach_scan, expense
from tests.finance.conftest import sign_all as _sign_all

pytestmark = pytest.mark.django_db


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


def sign_all(e, user=None):
    _sign_all(e)


def test_fin_4_cheque_is_issued_with_checks_and_a_deadline(line_a, staff_a, secretary_a, cashier):
    e = approved(line_a, staff_a, secretary_a)
    cheque = services.apply_cheque(e, project="办公用品", acting_user=staff_a.user)
    assert cheque.state == Cheque.State.REQUESTED and cheque.fund_type == "office"
    with pytest.raises(ValidationError, match="FIN-4"):
        services.issue_cheque(cheque, number="1", receiver="x", receiver_signed=False, department_confirmed=True,
                              accountant_checked=True, budget_checked=True, acting_user=cashier.user)
    with pytest.raises(ValidationError, match="FIN-4"):  # only the cashier issues
        issue(cheque, secretary_a)
    cheque = issue(cheque, cashier)
    assert cheque.state == Cheque.State.ISSUED
    assert cheque.due_on == calendar.add_working_days(cheque.issued_on, 10)


def test_fin_4_tenth_working_day_across_national_day(line_a, staff_a, secretary_a, cashier):
    calendar.ensure_year(2026)
    e = approved(line_a, staff_a, secretary_a)
    cheque = services.apply_cheque(e, project="x", acting_user=staff_a.user)
    cheque = issue(cheque, cashier, issued_on=dt.date(2026, 9, 28))
    # Sep 29, 30, (Oct 1–7 off), Oct 8, 9, 10 (make-up Saturday), 12, 13, 14, 15, 16 → the 10th is Oct 16.
    assert cheque.due_on == dt.date(2026, 10, 16)


def test_fin_4_no_new_cheque_while_one_is_unsettled(line_a, staff_a, secretary_a, cashier):
    e1 = approved(line_a, staff_a, secretary_a)
    e2 = approved(line_a, staff_a, secretary_a)
    issue(services.apply_cheque(e1, project="a", acting_user=staff_a.user), cashier)
    with pytest.raises(ValidationError, match="FIN-4"):
        services.apply_cheque(e2, project="b", acting_user=staff_a.user)
    assert Cheque.objects.count() == 1


def test_fin_4_the_database_holds_one_unsettled_cheque_per_community(line_a, staff_a, secretary_a):
    e1 = approved(line_a, staff_a, secretary_a)
    services.apply_cheque(e1, project="a", acting_user=staff_a.user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Cheque.objects.create(community=line_a.community, expense=e1, fund_type="office", project="b",
                              amount=D("1.00"), applied_by=staff_a, applied_on=dt.date(2026, 6, 10))


def test_fin_4_overdue_cheque_shows_on_the_dashboard(line_a, staff_a, secretary_a, cashier, time_machine):
    e = approved(line_a, staff_a, secretary_a)
    issue(services.apply_cheque(e, project="办公用品", acting_user=staff_a.user), cashier)
    time_machine.move_to(dt.datetime(2026, 7, 10, 10, 0), tick=False)
    page = login(staff_a).get("/dashboard/").content.decode()
    assert "FIN-4" in page and "00012345" in page
    home = login(staff_a).get("/finance/").content.decode()
    assert "overdue" in home or "逾期" in home


def full_invoice(e, user, total=None, cheque_number="00012345", kind="invoice"):
    total = total or e.amount
    return services.add_invoice(e, kind=kind, number="INV-1", date=dt.date(2026, 6, 10), cheque_number=cheque_number,
                                total=total, lines=[("打印纸", D("1"), total, total)], acting_user=user)


def test_fin_5_reimbursement_settles_the_cheque(line_a, staff_a, secretary_a, cashier, director_a):
    e = approved(line_a, staff_a, secretary_a)
    issue(services.apply_cheque(e, project="x", acting_user=staff_a.user), cashier)
    with pytest.raises(ValidationError, match="FIN-5"):  # the cheque number must be on the invoice
        full_invoice(e, staff_a.user, cheque_number="")
    full_invoice(e, staff_a.user)
    with pytest.raises(ValidationError, match="FIN-5"):  # signatures missing
        services.complete_reimbursement(e, acting_user=cashier.user)
    sign_all(e, staff_a.user)
    with pytest.raises(ValidationError, match="FIN-5"):  # only finance completes
        services.complete_reimbursement(e, acting_user=director_a.user)
    services.complete_reimbursement(e, acting_user=cashier.user)
    e.refresh_from_db()
    assert e.state == Expense.State.PAID and e.paid_on == dt.date(2026, 6, 10)
    assert e.cheques.get().state == Cheque.State.SETTLED
    # the community may now have a new cheque
    e2 = approved(line_a, staff_a, secretary_a)
    services.apply_cheque(e2, project="y", acting_user=staff_a.user)


@pytest.mark.parametrize("kind", [Invoice.Kind.PAYMENT_NOTICE, Invoice.Kind.POSTAL_RECEIPT])
def test_fin_5_payment_notices_and_postal_receipts_are_refused(line_a, staff_a, secretary_a, kind):
    e = approved(line_a, staff_a, secretary_a, method="transfer")
    with pytest.raises(ValidationError, match="FIN-5"):
        full_invoice(e, staff_a.user, kind=kind, cheque_number="")
    assert not Invoice.objects.exists()


def test_fin_5_invoice_lines_must_add_up(line_a, staff_a, secretary_a):
    e = approved(line_a, staff_a, secretary_a, method="transfer")
    with pytest.raises(ValidationError, match="FIN-5"):
        services.add_invoice(e, kind="invoice", number="1", date=dt.date(2026, 6, 1), cheque_number="",
                             total=D("300.00"), lines=[("纸", D("2"), D("100.00"), D("200.00"))],
                             acting_user=staff_a.user)
    with pytest.raises(ValidationError, match="FIN-5"):
        services.add_invoice(e, kind="invoice", number="1", date=dt.date(2026, 6, 1), cheque_number="",
                             total=D("300.00"), lines=[("纸", D("2"), D("100.00"), D("300.00"))],
                             acting_user=staff_a.user)
    assert not Invoice.objects.exists()


def test_fin_5_payments_to_a_person_need_the_persons_signature(line_a, staff_a, secretary_a, cashier):
    e = approved(line_a, staff_a, secretary_a, method="transfer", payee_is_person=True)
    full_invoice(e, staff_a.user, cheque_number="")
    sign_all(e, staff_a.user)
    with pytest.raises(ValidationError, match="领款人"):
        services.complete_reimbursement(e, acting_user=cashier.user)
    with pytest.raises(ValidationError, match="FIN-5"):  # the scanned paper first
        services.record_payee_signature(e, acting_user=staff_a.user)
    attach_scan(e)
    services.record_payee_signature(e, acting_user=staff_a.user)
    services.complete_reimbursement(e, acting_user=cashier.user)


def test_fin_5_cash_only_on_the_cash_days(line_a, staff_a, secretary_a, cashier, time_machine):
    e = approved(line_a, staff_a, secretary_a, method="cash")
    full_invoice(e, staff_a.user, cheque_number="")
    sign_all(e, staff_a.user)
    time_machine.move_to(dt.datetime(2026, 6, 11, 10, 0), tick=False)
    with pytest.raises(ValidationError, match="FIN-5"):
        services.complete_reimbursement(e, acting_user=cashier.user)
    # paid yesterday, a cash day, and entered today: a late entry with its reason (CTL-6)
    services.complete_reimbursement(e, paid_on=dt.date(2026, 6, 10), late_reason="昨日已付，今日补记",
                                    acting_user=cashier.user)
    e.refresh_from_db()
    assert e.paid_on == dt.date(2026, 6, 10) and e.paid_late


@pytest.mark.parametrize("amount", ["1000.00", "1200.00"])  # FIN-6 revised 2026-12: 1000 included
def test_fin_6_cash_from_1000_needs_the_notice_a_day_ahead(line_a, staff_a, secretary_a, cashier, cbdirector,
                                                           street_leader, time_machine, amount):
    e = expense(line_a, staff_a.user, amount, method="cash", cash_leader_approval=True)
    for step in approvals.steps_for(e).order_by("step"):
        approvals.decide(step.pk, acting_user=(cbdirector if step.role_required == "building_office_director"
                                                else street_leader).user, approve=True)
    full_invoice(e, staff_a.user, cheque_number="")
    sign_all(e, staff_a.user)
    time_machine.move_to(dt.datetime(2026, 6, 22, 10, 0), tick=False)
    with pytest.raises(ValidationError, match="FIN-6"):
        services.complete_reimbursement(e, acting_user=cashier.user)
    services.record_finance_notice(e, acting_user=staff_a.user)  # today, the server's date (CTL-6)
    time_machine.move_to(dt.datetime(2026, 6, 23, 10, 0), tick=False)
    services.complete_reimbursement(e, acting_user=cashier.user)
    e.refresh_from_db()
    assert e.finance_notified_on == dt.date(2026, 6, 22) and not e.finance_notified_late


def test_fin_6_a_notice_on_the_payment_day_is_too_late(line_a, staff_a, secretary_a, cashier, cbdirector,
                                                       street_leader):
    e = expense(line_a, staff_a.user, "1200.00", method="cash", cash_leader_approval=True)
    for step in approvals.steps_for(e).order_by("step"):
        approvals.decide(step.pk, acting_user=(cbdirector if step.role_required == "building_office_director"
                                                else street_leader).user, approve=True)
    full_invoice(e, staff_a.user, cheque_number="")
    sign_all(e, staff_a.user)
    services.record_finance_notice(e, acting_user=staff_a.user)
    with pytest.raises(ValidationError, match="FIN-6"):
        services.complete_reimbursement(e, acting_user=cashier.user)


def test_fin_8_invoice_must_match_what_was_bought(line_a, staff_a, secretary_a, station_a, cashier):
    e = approved(line_a, staff_a, secretary_a, amount="255.00", method="transfer", is_purchase=True,
                 purchaser_member=staff_a, purchaser_station=station_a, purchaser_supervisor="居民代表",
                 purchase_items=[("打印纸", D("10"), D("25.50"))])
    services.add_invoice(e, kind="invoice", number="1", date=dt.date(2026, 6, 1), cheque_number="",
                         total=D("255.00"), lines=[("打印纸", D("5"), D("51.00"), D("255.00"))],
                         acting_user=staff_a.user)
    sign_all(e, staff_a.user)
    with pytest.raises(ValidationError, match="FIN-8"):
        services.complete_reimbursement(e, acting_user=cashier.user)
    inv = Invoice.objects.get()
    services.withdraw_invoice(inv, reason="单价不符", acting_user=staff_a.user)
    services.add_invoice(e, kind="invoice", number="2", date=dt.date(2026, 6, 1), cheque_number="",
                         total=D("255.00"), lines=[("打印纸", D("10"), D("25.50"), D("255.00"))],
                         acting_user=staff_a.user)
    services.complete_reimbursement(e, acting_user=cashier.user)


def test_reimbursement_page_lists_what_is_missing(line_a, staff_a, secretary_a):
    e = approved(line_a, staff_a, secretary_a, method="transfer")
    page = login(staff_a).get(f"/finance/expenses/{e.pk}/reimbursement/").content.decode()
    assert "FIN-5" in page


def test_invoice_form_posts_lines(line_a, staff_a, secretary_a):
    e = approved(line_a, staff_a, secretary_a, method="transfer")
    data = {"kind": "invoice", "number": "A1", "date": "2026-06-09", "cheque_number": "", "total": "300.00",
            "lines-TOTAL_FORMS": "5", "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "0",
            "lines-MAX_NUM_FORMS": "1000", "lines-0-item": "纸", "lines-0-quantity": "3",
            "lines-0-unit_price": "100", "lines-0-amount": "300"}
    r = login(staff_a).post(f"/finance/expenses/{e.pk}/reimbursement/invoices/", data)
    assert r.status_code == 302
    assert Invoice.objects.get().lines.count() == 1
