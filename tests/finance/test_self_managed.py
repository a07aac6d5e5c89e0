"""Self-managed funds (FIN-7): numbered receipts, the two-part PDF, the cash book, spending limits."""

import datetime as dt
import io
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from pypdf import PdfReader

from finance import services
from finance.models import Receipt
from finance.views import receipt_pdf_bytes
from tests.conftest import login
from tests.finance.conftest import expense, fund_decision, sign_all

pytestmark = pytest.mark.django_db


def receive(community, user, amount="1409.50", payer="王大妈", day=dt.date(2026, 6, 1)):
    return services.record_receipt(community=community, source="cleaning", payer=payer, purpose="五月保洁费",
                                   amount=amount, received_on=day, late_reason="补记测试", acting_user=user)


def test_fin_7_receipt_numbers_are_gapless_per_community(community_a, community_b, staff_a, staff_b):
    numbers = [receive(community_a, staff_a.user).number for _ in range(3)]
    assert numbers == [1, 2, 3]
    assert receive(community_b, staff_b.user).number == 1


def test_fin_7_a_reversed_receipt_keeps_its_number(community_a, staff_a, director_a):
    r = receive(community_a, staff_a.user)
    services.reverse_receipt(r, reason="金额写错", acting_user=director_a.user)
    assert receive(community_a, staff_a.user).number == 2
    r.refresh_from_db()
    assert r.reversed and Receipt.objects.filter(number=1).exists()


def test_fin_7_a_receipt_number_cannot_be_reused(community_a, staff_a):
    r = receive(community_a, staff_a.user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Receipt.objects.create(community=community_a, number=r.number, source="other", payer="x", purpose="x",
                               amount=D("1.00"), received_on=dt.date(2026, 6, 1), handler=staff_a)


def test_fin_11_receipt_amounts_are_checked(community_a, staff_a):
    for bad in ("0", "-1", "1.234"):
        with pytest.raises(ValidationError, match="FIN-11"):
            receive(community_a, staff_a.user, amount=bad)
    assert not Receipt.objects.exists()


def test_fin_7_receipt_pdf_has_both_parts_capitals_and_cjk_font(community_a, staff_a):
    r = receive(community_a, staff_a.user)
    pdf = receipt_pdf_bytes(r)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert text.count("000001") == 2
    assert text.count("人民币壹仟肆佰零玖元伍角") == 2
    assert "付款方" in text or "交款" in text
    assert "存根" in text
    assert "王大妈" in text and "1409.50" in text
    fonts = reader.pages[0]["/Resources"]["/Font"]
    names = [str(fonts[k].get_object()["/BaseFont"]) for k in fonts]
    assert any("CJK" in n for n in names)


def test_fin_7_receipt_pdf_view(community_a, staff_a, staff_b):
    r = receive(community_a, staff_a.user)
    response = login(staff_a).get(f"/finance/receipts/{r.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert login(staff_b).get(f"/finance/receipts/{r.pk}/pdf/").status_code == 404


def test_fin_7_spending_is_limited_to_the_cash_book(self_line, staff_a, community_a):
    receive(community_a, staff_a.user, amount="500.00")
    d = fund_decision(community_a)
    with pytest.raises(ValidationError, match="FIN-7"):
        expense(self_line, staff_a.user, "500.01", method="transfer", fund_decision=d)
    expense(self_line, staff_a.user, "500.00", method="transfer", fund_decision=d)
    with pytest.raises(ValidationError, match="FIN-7"):
        expense(self_line, staff_a.user, "0.01", method="transfer", fund_decision=d)


def test_fin_7_spending_needs_an_adopted_decision_of_the_same_community(self_line, staff_a, community_a,
                                                                        community_b):
    receive(community_a, staff_a.user, amount="500.00")
    with pytest.raises(ValidationError, match="FIN-7"):
        expense(self_line, staff_a.user, "100.00", method="transfer")
    with pytest.raises(ValidationError, match="FIN-7"):
        fund_decision(community_a, adopted=False)
    with pytest.raises(ValidationError, match="FIN-7"):
        expense(self_line, staff_a.user, "100.00", method="transfer", fund_decision=fund_decision(community_b))
    from finance.models import Expense

    assert not Expense.objects.exists()
    e = expense(self_line, staff_a.user, "100.00", method="transfer", fund_decision=fund_decision(community_a))
    assert e.decision.adopted and e.decision == e.fund_decision.decision


def test_fin_7_expense_form_offers_only_this_communitys_adopted_decisions(self_line, staff_a, community_a,
                                                                          community_b):
    mine = fund_decision(community_a, title="本社区决定", purpose="本社区决定")
    fund_decision(community_b, title="别的社区决定", purpose="别的社区决定")
    page = login(staff_a).get("/finance/expenses/new/").content.decode()
    assert "本社区决定" in page and "未通过的决定" not in page and "别的社区决定" not in page
    receive(community_a, staff_a.user, amount="500.00")
    r = login(staff_a).post("/finance/expenses/new/", {"line": self_line.pk, "purpose": "清运垃圾", "amount": "100",
                                                       "payee": "清运队", "method": "transfer"})
    assert r.status_code == 200 and "FIN-7" in r.content.decode()
    r = login(staff_a).post("/finance/expenses/new/", {"line": self_line.pk, "purpose": "清运垃圾", "amount": "100",
                                                       "payee": "清运队", "method": "transfer", "fund_decision": mine.pk})
    assert r.status_code == 302


def test_fin_7_cash_book_running_balance(community_a, staff_a, director_a, self_line, secretary_a, cashier):
    from committee import approvals

    receive(community_a, staff_a.user, amount="1000.00", day=dt.date(2025, 12, 1))
    receive(community_a, staff_a.user, amount="300.00", day=dt.date(2026, 3, 1))
    wrong = receive(community_a, staff_a.user, amount="50.00", day=dt.date(2026, 4, 1))
    services.reverse_receipt(wrong, reason="重复", acting_user=director_a.user)
    e = expense(self_line, staff_a.user, "200.00", method="transfer", fund_decision=fund_decision(community_a))
    approvals.decide(approvals.steps_for(e).get().pk, acting_user=secretary_a.user, approve=True)
    services.add_invoice(e, kind="invoice", number="9", date=dt.date(2026, 6, 1), cheque_number="",
                         total=D("200.00"), lines=[("清运", D("1"), D("200.00"), D("200.00"))],
                         acting_user=staff_a.user)
    sign_all(e)
    services.complete_reimbursement(e, acting_user=cashier.user)
    book = services.cash_book(community_a, 2026)
    assert book["brought_forward"] == D("1000.00")
    assert [r["balance"] for r in book["rows"]] == [D("1300.00"), D("1350.00"), D("1150.00"), D("1100.00")]
    assert book["balance"] == D("1100.00")
    page = login(staff_a).get("/finance/cashbook/?year=2026").content.decode()
    assert "1,100.00" in page or "1100.00" in page
