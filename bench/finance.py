"""Benchmark of the finance app: the budget page and the quarterly report for a community with 5,000 expenses.

Builds one community with a year's budgets (4 funds, 12 lines) and N expenses spread over the lines and
the year (paid, approved, waiting, some reversed), in a throwaway database (SQLite file, or DATABASE_URL).
Times the budget page (a real request through the test client), ``lines_with_figures`` and
``quarter_figures``, with their query counts, for N = 500 and 5,000. Prints a table.
Run: .venv/bin/python bench/finance.py
"""


from _setup import setup, timed

setup()

import datetime as dt  # noqa: E402
import random  # noqa: E402
from decimal import Decimal as D  # noqa: E402

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from committee.models import Community, Role, RoleAssignment, Staff, StreetOffice, User  # noqa: E402
from finance import services  # noqa: E402
from finance.models import Budget, BudgetLine, Expense, FundType, Reversal  # noqa: E402

YEAR = 2026


def build(n: int):
    street = StreetOffice.objects.create(name=f"基准街道{n}", code=f"fbench{n}")
    c = Community.objects.create(street_office=street, name=f"基准社区{n}", code=f"fb{n}", committee_name="基准居委会")
    user = User.objects.create_user(username=f"fbench{n}", password="x")
    staff = Staff.objects.create(street_office=street, community=c, name="记账员", user=user)
    RoleAssignment.objects.create(staff=staff, role=Role.BOOKKEEPER, start=dt.date(2024, 1, 1))
    lines = []
    for fund in FundType:
        budget = Budget.objects.create(community=c, year=YEAR, fund_type=fund)
        for i in range(3):
            lines.append(BudgetLine.objects.create(budget=budget, community=c, name=f"科目{i}", amount=D("500000.00")))
    rng = random.Random(n)
    states = [Expense.State.PAID] * 6 + [Expense.State.APPROVED, Expense.State.PENDING, Expense.State.REVERSED]
    batch = []
    for i in range(n):
        day = dt.date(YEAR, 1, 1) + dt.timedelta(days=rng.randint(0, 360))
        state = rng.choice(states)
        batch.append(Expense(community=c, line=rng.choice(lines), purpose=f"支出{i}", amount=D(rng.randint(100, 300000)) / 100,
                             payee="供应商", method="transfer", state=state, requested_by=staff, requested_on=day,
                             paid_on=day if state in (Expense.State.PAID, Expense.State.REVERSED) else None))
    Expense.objects.bulk_create(batch, batch_size=1000)
    Reversal.objects.bulk_create([
        Reversal(community=c, expense=e, amount=e.amount, reason="错账", date=e.paid_on + dt.timedelta(days=3),
                 recorded_by=staff) for e in Expense.objects.filter(community=c, state=Expense.State.REVERSED)])
    return c, user, Budget.objects.get(community=c, year=YEAR, fund_type=FundType.OFFICE)



def main():
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    rows = []
    for n in (500, 5000):
        community, user, budget = build(n)
        client = Client()
        client.force_login(user)
        url = budget.get_absolute_url()
        client.get(url)
        for label, fn in [
            ("budget page (GET)", lambda c=client, u=url: c.get(u)),
            ("finance home (GET)", lambda c=client: c.get("/finance/")),
            ("lines_with_figures", lambda m=community: list(services.lines_with_figures(
                BudgetLine.objects.filter(community=m)))),
            ("quarter_figures Q3", lambda m=community: services.quarter_figures(m, YEAR, 3)),
            ("quarterly report (GET)", lambda c=client: c.get(f"/finance/report/?year={YEAR}&quarter=3")),
            ("quarterly Excel (GET)", lambda c=client: c.get(f"/finance/report.xlsx?year={YEAR}&quarter=3")),
        ]:
            with CaptureQueriesContext(connection) as q:
                fn()
            rows.append((n, label, len(q), timed(fn) * 1000))
    print(f"database: {connection.vendor}")
    print(f"{'expenses':>8}  {'operation':<24} {'queries':>7} {'best of 5 (ms)':>15}")
    for n, label, queries, ms in rows:
        print(f"{n:>8}  {label:<24} {queries:>7} {ms:>15.1f}")


if __name__ == "__main__":
    main()
