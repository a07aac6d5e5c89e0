"""Budgets with live figures (FIN-3) in a fixed number of queries; the quarterly figures (FIN-10);
audits (FIN-9) and finance reminders."""

import datetime as dt
import io
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from committee import approvals, reminders
from committee.models import Role, RoleAssignment
from finance import services
from finance.models import Audit, Budget, Expense, Reversal
from tests import factories as f
from tests.conftest import login
from tests.finance.conftest import expense

pytestmark = pytest.mark.django_db


def bulk_expenses(line, staff, n, *, state=Expense.State.PAID, amount="1.00", paid_on=dt.date(2026, 5, 5)):
    Expense.objects.bulk_create([
        Expense(community=line.community, line=line, purpose=f"支出{i}", amount=D(amount), payee="x",
                method="transfer", state=state, requested_by=staff, requested_on=paid_on,
                paid_on=paid_on if state == Expense.State.PAID else None) for i in range(n)])


def test_fin_3_budget_page_queries_do_not_grow_with_expenses(line_a, staff_a, office_budget, supervisor,
                                                              django_assert_num_queries):
    client = login(staff_a)
    services.add_line(budget=office_budget, name="水电", amount="2000.00", acting_user=supervisor.user)
    bulk_expenses(line_a, staff_a, 5)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(office_budget.get_absolute_url())  # warm the caches (content types, session)
    with CaptureQueriesContext(connection) as few:
        r = client.get(office_budget.get_absolute_url())
    assert r.status_code == 200
    bulk_expenses(line_a, staff_a, 15)
    bulk_expenses(line_a, staff_a, 7, state=Expense.State.APPROVED)
    with django_assert_num_queries(len(few)):
        r = client.get(office_budget.get_absolute_url())
    line = next(line for line in r.context["lines"] if line.pk == line_a.pk)
    assert (line.spent, line.committed, line.remaining) == (D("20.00"), D("7.00"), D("4973.00"))


def test_budget_home_queries_do_not_grow(line_a, staff_a, django_assert_max_num_queries):
    client = login(staff_a)
    bulk_expenses(line_a, staff_a, 3)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/finance/")
    with CaptureQueriesContext(connection) as few:
        client.get("/finance/")
    bulk_expenses(line_a, staff_a, 30)
    with django_assert_max_num_queries(len(few)):
        assert client.get("/finance/").status_code == 200


def test_fin_1_one_account_per_community_year_and_fund_kept_in_the_street_registers(community_a, supervisor,
                                                                                     office_budget):
    with pytest.raises(ValidationError):
        services.create_budget(community=community_a, year=2026, fund_type="office", acting_user=supervisor.user)
    assert Budget.objects.count() == 1


def test_ctl_4_line_amount_changes_keep_a_reason(line_a, supervisor, staff_a):
    bulk_expenses(line_a, staff_a, 1, amount="4000.00")
    with pytest.raises(ValidationError):
        services.change_line_amount(line=line_a, amount="3000.00", reason="调整", acting_user=supervisor.user)
    with pytest.raises(ValidationError, match="CTL-4"):
        services.change_line_amount(line=line_a, amount="6000.00", reason="", acting_user=supervisor.user)
    services.change_line_amount(line=line_a, amount="6000.00", reason="追加预算", acting_user=supervisor.user)
    assert line_a.history.first().history_change_reason == "追加预算"


def test_ctl_4_a_director_cannot_raise_his_own_budget_line(line_a, director_a, staff_a, supervisor):
    """The reproduction: a community director raised his line 5000 → 20000 so that a 15,000 expense skipped
    the street-leadership step (FIN-3)."""
    client = login(director_a)
    r = client.post(reverse("finance_line_change", args=[line_a.pk]), {"amount": "20000", "reason": "追加"})
    assert r.status_code == 403
    with pytest.raises(ValidationError, match="CTL-4"):
        services.change_line_amount(line=line_a, amount="20000", reason="追加", acting_user=director_a.user)
    line_a.refresh_from_db()
    assert line_a.amount == D("5000.00")
    e = expense(line_a, staff_a.user, "15000.00")
    assert e.beyond_budget and "street_leader" in [s.role_required for s in approvals.steps_for(e)]
    # the community sees the line, its amount and every change with its reason, read-only
    page = client.get(reverse("finance_budget", args=[line_a.budget_id])).content.decode()
    assert "5,000.00" in page or "5000.00" in page
    assert "Budget line set by the street office" in page or "街道" in page
    assert reverse("finance_line_change", args=[line_a.pk]) not in page


def test_ctl_4_communities_do_not_create_their_own_budgets(community_a, director_a, secretary_a, supervisor):
    for person in (director_a, secretary_a):
        r = login(person).post(reverse("finance_budget_create"), {"year": "2026", "fund_type": "office"})
        assert r.status_code == 403
        with pytest.raises(ValidationError, match="CTL-4"):
            services.create_budget(community=community_a, year=2026, fund_type="office", acting_user=person.user)
    assert not Budget.objects.exists()
    budget = services.create_budget(community=community_a, year=2026, fund_type="office", acting_user=supervisor.user)
    r = login(director_a).post(reverse("finance_line_add", args=[budget.pk]), {"name": "私设", "amount": "99999"})
    assert r.status_code == 403 and not budget.lines.exists()


def test_ctl_4_street_office_changes_a_line_through_the_page_with_a_reason(line_a, supervisor):
    client = login(supervisor)
    r = client.post(reverse("finance_line_change", args=[line_a.pk]), {"amount": "6000", "reason": ""})
    assert r.status_code == 200
    line_a.refresh_from_db()
    assert line_a.amount == D("5000.00")
    r = client.post(reverse("finance_line_change", args=[line_a.pk]), {"amount": "6000", "reason": "年中追加"})
    assert r.status_code == 302
    line_a.refresh_from_db()
    assert line_a.amount == D("6000.00") and line_a.history.first().history_change_reason == "年中追加"


def test_fin_10_quarter_figures_per_fund_and_line(line_a, staff_a, community_a, django_assert_max_num_queries):
    bulk_expenses(line_a, staff_a, 3, amount="100.00", paid_on=dt.date(2026, 2, 1))
    bulk_expenses(line_a, staff_a, 2, amount="50.00", paid_on=dt.date(2026, 5, 1))
    paid_q1 = Expense.objects.filter(paid_on=dt.date(2026, 2, 1)).first()
    paid_q1.state = Expense.State.REVERSED
    paid_q1.save()
    Reversal.objects.create(community=community_a, expense=paid_q1, amount=paid_q1.amount, reason="错账",
                            date=dt.date(2026, 4, 20), recorded_by=staff_a)
    services.record_receipt(community=community_a, source="donation", payer="张", purpose="捐赠", amount="88.00",
                            received_on=dt.date(2026, 5, 2), late_reason="补记", acting_user=staff_a.user)
    with django_assert_max_num_queries(4):
        q2 = services.quarter_figures(community_a, 2026, 2)
    office = q2["funds"][0]
    assert office["fund_type"] == "office"
    assert office["lines"][0]["spent"] == D("0.00")  # 100 paid − 100 reversed in Q2
    assert office["spent_to_date"] == D("300.00")  # 300 + 100 − 100
    assert office["remaining"] == D("4700.00")
    q1 = services.quarter_figures(community_a, 2026, 1)
    assert q1["funds"][0]["spent"] == D("300.00")
    assert q2["totals"]["income"] == D("88.00")


def test_fin_10_quarterly_report_page_and_excel(line_a, staff_a):
    bulk_expenses(line_a, staff_a, 2, amount="10.00", paid_on=dt.date(2026, 5, 1))
    client = login(staff_a)
    assert "办公用品" in client.get("/finance/report/?year=2026&quarter=2").content.decode()
    r = client.get("/finance/report.xlsx?year=2026&quarter=2")
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert any(row[1] == "办公用品" and row[4] == 20 for row in rows)


def test_fin_9_departure_audit_due_when_a_bookkeeper_leaves(community_a, supervisor):
    keeper = f.staff(community_a, "记账员", [Role.BOOKKEEPER])
    ra = RoleAssignment.objects.get(staff=keeper)
    ra.end = dt.date(2026, 6, 1)
    ra.save()
    day = timezone.localdate()
    items = [r for r in reminders.collect([community_a], day) if r.rule == "FIN-9" and keeper.name in r.title]
    assert items
    services.record_audit(community=community_a, kind=Audit.Kind.DEPARTURE, done_on=day, auditors="内审小组",
                          role_assignment=ra, acting_user=supervisor.user)
    assert not [r for r in reminders.collect([community_a], day) if keeper.name in r.title]


@pytest.mark.parametrize("role", [Role.MEMBER, Role.DEPUTY_DIRECTOR, Role.CIVIL_AFFAIRS])
def test_fin_9_departure_audit_due_when_any_cadre_leaves(community_a, role):
    cadre = f.staff(community_a, "离任干部", [role])
    ra = RoleAssignment.objects.get(staff=cadre)
    ra.end = dt.date(2026, 6, 1)
    ra.save()
    due = services.departures_due([community_a], timezone.localdate())
    assert ra in due


def test_fin_9_half_yearly_audit_reminder(community_a, supervisor, time_machine):
    time_machine.move_to(dt.datetime(2026, 7, 20, 10), tick=False)
    day = timezone.localdate()
    assert [r for r in reminders.collect([community_a], day) if r.rule == "FIN-9"]
    services.record_audit(community=community_a, kind=Audit.Kind.PERIODIC, done_on=day, auditors="内审小组",
                          period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 6, 30),
                          acting_user=supervisor.user)
    assert not [r for r in reminders.collect([community_a], day) if r.rule == "FIN-9"]


def test_fin_9_audit_form_is_for_the_street_office(community_a, client_street, client_director_a):
    s = client_street.session
    s["current_community"] = community_a.pk
    s.save()
    r = client_street.post("/finance/audits/new/", {"kind": "periodic", "period_start": "2026-01-01",
                                                    "period_end": "2026-06-30", "done_on": "2026-06-10",
                                                    "auditors": "内审小组", "findings": "账目清楚"})
    assert r.status_code == 302 and Audit.objects.count() == 1
    assert client_director_a.get("/finance/audits/new/").status_code == 403
