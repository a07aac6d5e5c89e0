"""Pages: the rule's message reaches the user and nothing is saved (FIN-4, FIN-7, FIN-11)."""

import pytest
from django.contrib.messages import get_messages

from committee import approvals
from finance import services
from finance.models import Cheque, Expense, Receipt
from tests.conftest import login
from tests.finance.conftest import expense

pytestmark = pytest.mark.django_db


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def approve(e, who):
    for step in approvals.steps_for(e).order_by("step"):
        approvals.decide(step.pk, acting_user=who.user, approve=True)


def test_fin_4_second_cheque_refused_with_the_rule_on_the_page(line_a, staff_a, secretary_a):
    first, second = expense(line_a, staff_a.user), expense(line_a, staff_a.user)
    approve(first, secretary_a)
    approve(second, secretary_a)
    client = login(staff_a)
    client.post(f"/finance/expenses/{first.pk}/cheque/", {"project": "一"})
    r = client.post(f"/finance/expenses/{second.pk}/cheque/", {"project": "二"}, follow=True)
    assert any("FIN-4" in m for m in messages_of(r))
    assert Cheque.objects.count() == 1
    assert "FIN-4" in client.get(second.get_absolute_url()).content.decode()


def test_fin_11_editing_an_approved_expense_is_refused_on_the_page(line_a, staff_a, secretary_a):
    e = expense(line_a, staff_a.user, "100.00")
    approve(e, secretary_a)
    r = login(staff_a).post(f"/finance/expenses/{e.pk}/edit/", {"line": line_a.pk, "purpose": "改", "amount": "90",
                                                                "payee": "x", "method": "cheque"})
    assert r.status_code == 200 and "FIN-11" in r.content.decode()
    e.refresh_from_db()
    assert e.amount == 100 and e.purpose != "改"


def test_fin_7_receipt_recorded_from_the_form_gets_the_next_number(community_a, staff_a):
    client = login(staff_a)
    data = {"source": "cleaning", "payer": "1号楼", "purpose": "保洁费", "amount": "120.50",
            "received_on": "2026-06-10"}
    r1 = client.post("/finance/receipts/new/", data)
    r2 = client.post("/finance/receipts/new/", {**data, "amount": "0.001"})
    assert r1.status_code == 302 and r2.status_code == 200 and "FIN-11" in r2.content.decode()
    assert list(Receipt.objects.values_list("number", flat=True)) == [1]
    page = client.get(Receipt.objects.get().get_absolute_url()).content.decode()
    assert "人民币壹佰贰拾元伍角" in page


def test_fin_11_reversal_needs_a_reason_on_the_page(line_a, staff_a, secretary_a, director_a):
    e = expense(line_a, staff_a.user, "100.00")
    approve(e, secretary_a)
    client = login(director_a)
    client.post(f"/finance/expenses/{e.pk}/reverse/", {"reason": ""})
    e.refresh_from_db()
    assert e.state == Expense.State.APPROVED
    client.post(f"/finance/expenses/{e.pk}/reverse/", {"reason": "重复报销"})
    e.refresh_from_db()
    assert e.state == Expense.State.REVERSED
    assert "重复报销" in client.get(e.get_absolute_url()).content.decode()


def test_street_office_without_a_chosen_community_is_asked_to_choose(client_street, community_a):
    r = client_street.get("/finance/report/")
    assert r.status_code == 200 and "switch" in r.content.decode()
    assert client_street.get("/finance/report.xlsx").status_code == 302


def test_cheque_issue_page_shows_the_settlement_deadline(line_a, staff_a, secretary_a, street):
    from committee.models import Role
    from tests import factories as f

    cashier = f.staff(street, "出纳", [Role.FINANCE])
    e = expense(line_a, staff_a.user)
    approve(e, secretary_a)
    cheque = services.apply_cheque(e, project="x", acting_user=staff_a.user)
    from committee import calendar

    calendar.ensure_year(2026)
    page = login(cashier).get(f"/finance/cheques/{cheque.pk}/issue/").content.decode()
    assert "2026-06-25" in page  # ten working days after Wednesday 2026-06-10, Dragon Boat Festival 06-19 off


def test_fin_4_unconfirmed_holiday_schedule_warns_beside_the_deadline(line_a, staff_a, secretary_a, street,
                                                                     time_machine):
    import datetime as dt

    from committee import calendar
    from committee.models import Role
    from tests import factories as f

    time_machine.move_to(dt.datetime(2035, 6, 13, 10), tick=False)
    assert not calendar.library_knows(2035)
    cashier = f.staff(street, "出纳", [Role.FINANCE])
    e = expense(line_a, staff_a.user)
    approve(e, secretary_a)
    cheque = services.apply_cheque(e, project="x", acting_user=staff_a.user)
    page = login(cashier).get(f"/finance/cheques/{cheque.pk}/issue/").content.decode()
    assert 'class="warning' in page and "2035" in page


def test_expense_list_shows_50_a_page_newest_first_and_keeps_the_filter(line_a, staff_a, director_a):
    """The list pages (50 rows, the state filter carried to the next page) instead of cutting at 300."""
    import datetime as dt
    from decimal import Decimal as D

    Expense.objects.bulk_create([
        Expense(community=line_a.community, line=line_a, purpose=f"用品{i:02d}", amount=D("10.00"), payee="文具店",
                method="cash", requested_by=staff_a, requested_on=dt.date(2026, 1, 1) + dt.timedelta(days=i))
        for i in range(55)])
    client = login(director_a)
    first = client.get("/finance/expenses/?state=pending")
    names = [e.purpose for e in first.context["expenses"]]
    assert len(names) == 50 and names[0] == "用品54"
    html = first.content.decode()
    assert "?state=pending&amp;page=2" in html and "第 1 页，共 2 页" in html
    second = client.get("/finance/expenses/?state=pending&page=2")
    assert [e.purpose for e in second.context["expenses"]] == [f"用品{i:02d}" for i in range(4, -1, -1)]
    assert client.get("/finance/expenses/?page=abc").status_code == 200  # an odd page number: the first page
