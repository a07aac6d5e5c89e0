"""Permission-matrix entries of the finance app: every URL; community A's finance pages are 404 to B."""

import datetime as dt
from decimal import Decimal as D

from committee import approvals
from committee.models import Role
from finance import services
from tests import factories as f
from tests.matrix import LOGIN, add, community_roles, everyone, roles, street_roles, world_builder

N = 404
D403 = 403


@world_builder
def finance_world(w):
    a, staff_a = w["a"], w["staff_a"]
    secretary = f.staff(a, "矩阵书记", [Role.PARTY_SECRETARY])
    keeper = f.staff(a.street_office, "矩阵财务", [Role.FINANCE])  # CTL-4: the street office sets budgets
    budget = services.create_budget(community=a, year=dt.date.today().year, fund_type="office",
                                    acting_user=keeper.user)
    line = services.add_line(budget=budget, name="办公用品", amount="5000.00", acting_user=keeper.user)
    pending = services.request_expense(community=a, acting_user=staff_a.user, line=line, purpose="待批",
                                       amount=D("100.00"), payee="x", method="cash")
    approved = services.request_expense(community=a, acting_user=staff_a.user, line=line, purpose="已批",
                                        amount=D("200.00"), payee="x", method="cheque")
    approvals.decide(approvals.steps_for(approved).get().pk, acting_user=secretary.user, approve=True)
    cheque = services.apply_cheque(approved, project="办公用品", acting_user=staff_a.user)
    transfer = services.request_expense(community=a, acting_user=staff_a.user, line=line, purpose="转账",
                                        amount=D("50.00"), payee="x", method="transfer")
    approvals.decide(approvals.steps_for(transfer).get().pk, acting_user=secretary.user, approve=True)
    invoice = services.add_invoice(transfer, kind="invoice", number="1", date=dt.date.today(), cheque_number="",
                                   total=D("50.00"), lines=[("纸", D("1"), D("50.00"), D("50.00"))],
                                   acting_user=staff_a.user)
    receipt = services.record_receipt(community=a, source="donation", payer="张", purpose="捐赠", amount="10.00",
                                      received_on=dt.date.today(), acting_user=staff_a.user)
    w.update(fin_budget=budget, fin_line=line, fin_pending=pending, fin_approved=approved, fin_cheque=cheque,
             fin_transfer=transfer, fin_invoice=invoice, fin_receipt=receipt)


def _pk(key):
    return lambda w: [w[key].pk]


REASON = {"reason": "测试"}
# FIN: budgets and their lines are set by the street office's finance and department head only (CTL-4)
NOT_SETTERS = street_roles(D403, but=("finance",))
# the committee's keepers of the accounts: director, party secretary, bookkeeper
KEEPERS_ACT = roles(302, "secretary_a", "bookkeeper_a")
add("finance_home", everyone())
add("finance_budget_create", everyone(D403, street=200, **NOT_SETTERS))  # CTL-4
add("finance_budget", everyone(200, staff_b=N), args=_pk("fin_budget"))
add("finance_line_add", everyone(D403, street=302, staff_b=N, **NOT_SETTERS), method="post", args=_pk("fin_budget"),
    data=lambda w: {"name": "新科目", "amount": "100.00"})
add("finance_line_change", everyone(D403, street=200, staff_b=N, **NOT_SETTERS), args=_pk("fin_line"))
add("finance_expense_list", everyone())
add("finance_expense_create", everyone())
add("finance_expense", everyone(200, staff_b=N), args=_pk("fin_pending"))
# CTL-5: a pending request is edited by its requester (staff_a) or the bookkeeper acting for them
add("finance_expense_edit", everyone(D403, staff_a=200, staff_b=N, **community_roles(D403, but=("bookkeeper_a",))),
    args=_pk("fin_pending"))
# issue 9: only the person who asked withdraws a request
add("finance_expense_withdraw", everyone(D403, staff_a=302, staff_b=N, **community_roles(D403)), method="post", args=_pk("fin_pending"))
add("finance_expense_reverse", everyone(302, staff_a=D403, staff_b=N, **KEEPERS_ACT), method="post", args=_pk("fin_transfer"),
    data=lambda w: REASON)
# a past day without a late-entry reason is refused (CTL-6): the page comes back with what was typed (issue 9)
add("finance_expense_notice", everyone(200, staff_b=N), method="post", args=_pk("fin_pending"),
    data=lambda w: {"notified_on": "2026-01-05"})
add("finance_cheque_apply", everyone(302, staff_b=N), method="post", args=_pk("fin_approved"),
    data=lambda w: {"project": "x"})
add("finance_reimbursement", everyone(200, staff_b=N), args=_pk("fin_transfer"))
add("finance_signatures", everyone(302, staff_b=N), method="post", args=_pk("fin_transfer"),
    data=lambda w: {"signed_handler": "on"})
# an incomplete invoice is refused: the page comes back with what was typed (issue 9)
add("finance_invoice_add", everyone(200, staff_b=N), method="post", args=_pk("fin_transfer"),
    data=lambda w: {"kind": "invoice"})
# the service centre's finance accepts the papers (a past date without a late-entry reason: the form again)
add("finance_reimbursement_complete", everyone(D403, staff_b=N, finance=200), method="post", args=_pk("fin_transfer"),
    data=lambda w: {"paid_on": "2026-06-10"})
add("finance_invoice_withdraw", everyone(302, staff_b=N), method="post", args=_pk("fin_invoice"),
    data=lambda w: REASON)
add("finance_cheque_list", everyone())
add("finance_cheque_issue", everyone(D403, staff_b=N, finance=200),  # the service centre writes the cheque
    args=_pk("fin_cheque"))
add("finance_cheque_void", everyone(302, staff_a=D403, staff_b=N, **KEEPERS_ACT), method="post", args=_pk("fin_cheque"),
    data=lambda w: REASON)
add("finance_receipt_list", everyone())
add("finance_receipt_create", everyone())
add("finance_receipt", everyone(200, staff_b=N), args=_pk("fin_receipt"))
add("finance_receipt_pdf", everyone(200, staff_b=N), args=_pk("fin_receipt"))
add("finance_receipt_reverse", everyone(302, staff_a=D403, staff_b=N, **KEEPERS_ACT), method="post", args=_pk("fin_receipt"),
    data=lambda w: REASON)
add("finance_cashbook", everyone())
add("finance_audit_list", everyone())
add("finance_audit_create", everyone(D403, street=200))
add("finance_report", everyone())
add("finance_report_xlsx", everyone(200, street=302))

__all__ = ["LOGIN"]


@world_builder
def expense_attachment_world(w):
    from django.core.files.base import ContentFile

    w["fin_pending"].attachment.save("quote.pdf", ContentFile(b"%PDF-1.4\n" + "报价单".encode()), save=True)


add("finance_expense_attachment", everyone(200, staff_b=N), args=_pk("fin_pending"))

add("finance_sign", everyone(302, staff_b=N), method="post", args=_pk("fin_transfer"),
    data=lambda w: {"kind": "handler"})
add("finance_payee_signed", everyone(302, staff_b=N), method="post", args=_pk("fin_transfer"))
add("finance_splitting", everyone(D403, street=200))
add("finance_fund_decisions", everyone())


@world_builder
def fund_decision_world(w):
    from tests.finance.conftest import fund_decision

    w["fin_fund_decision"] = fund_decision(w["a"])


# refused (not a keeper of the community, FIN-7) or done: back to the list either way
add("finance_fund_decision_void", everyone(302, staff_b=N), method="post", args=_pk("fin_fund_decision"),
    data=lambda w: REASON)
