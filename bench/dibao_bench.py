"""Benchmark of the dibao chapter: the quarter's worklist (DB-3/DB-4) and the case list with each case's
assessment (DB-6) for 20 … 2,000 cases in one community. Prints a table with the query counts, which must
not grow with the number of households.
Run: .venv/bin/python bench/dibao_bench.py
"""

from _setup import setup, timed

setup()

import datetime as dt  # noqa: E402
from decimal import Decimal  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from stdnum.cn import ric  # noqa: E402

from committee.models import Community, Household, Person, Staff, StreetOffice  # noqa: E402
from dibao import rules, services, views  # noqa: E402
from dibao.models import Case, CaseMember, Visit  # noqa: E402

DAY = dt.date(2026, 11, 28)


def _id(n: int) -> str:
    body = f"110102{dt.date(1960, 1, 1) + dt.timedelta(days=n % 15000):%Y%m%d}{n % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


@transaction.atomic
def build(n: int):
    street = StreetOffice.objects.create(name=f"基准街道{n}", code=f"dbench{n}")
    c = Community.objects.create(street_office=street, name=f"社区{n}", code=f"db{n}", committee_name="居委会")
    staff = Staff.objects.create(street_office=street, community=c, name="专干", monthly_wage=Decimal("4800"))
    Household.objects.bulk_create([Household(community=c, unit=f"{i}室") for i in range(n)])
    hhs = list(Household.objects.filter(community=c).order_by("pk"))
    people = []
    for i, hh in enumerate(hhs):
        for k in range(2):
            number = _id(n * 10 + i * 2 + k)
            people.append(Person(community=c, household=hh, name=f"居民{i}-{k}", relation="head" if k == 0 else "spouse",
                                 id_number=f"{number[:14]}{(i * 2 + k) % 1000:03d}"[:17] + number[17],
                                 birth_date=dt.date(1960, 1, 1), name_initials=" jm"))
    # distinct (community, id_number): the sequence part keeps them apart; the check digit is not checked here
    Person.objects.bulk_create(people, batch_size=2000)
    Case.objects.bulk_create([Case(community=c, household=hh, opened_by=staff,
                                   status="approved" if i % 3 else "applied") for i, hh in enumerate(hhs)])
    cases = {cs.household_id: cs for cs in Case.objects.filter(community=c)}
    persons = list(Person.objects.filter(community=c).order_by("pk"))
    CaseMember.objects.bulk_create([CaseMember(case=cases[p.household_id], community=c, person=p,
                                               relation=p.relation, wage=Decimal("500")) for p in persons],
                                   batch_size=2000)
    Visit.objects.bulk_create([Visit(case=cs, community=c, visited_on=DAY - dt.timedelta(days=i % 200),
                                     visitors="专干", recorded_by=staff) for i, cs in enumerate(cases.values())
                               if i % 4], batch_size=2000)
    return c


def worklist(c):
    return services.worklist([c.pk], rules.quarter_of(DAY), DAY)


def case_list(c):
    qs = (Case.objects.filter(community=c).select_related("community", "household__building")
          .order_by("-pk"))
    return views._case_rows(qs, DAY)


def main():
    call_command("migrate", verbosity=0)
    rows = []
    for n in (20, 200, 2000):
        c = build(n)
        for label, fn in (("quarter's worklist", worklist), ("case list with assessment", case_list)):
            with CaptureQueriesContext(connection) as q:
                out = fn(c)
            seconds = timed(lambda f=fn, cc=c: f(cc), repeat=3)
            rows.append((f"{label}, {n} cases", f"{seconds * 1000:.1f} ms", len(q.captured_queries), len(out)))
    width = max(len(r[0]) for r in rows)
    print(f"database: {connection.vendor}")
    print(f"{'operation'.ljust(width)}  {'best of 3':>10}  queries  rows")
    for name, t, q, k in rows:
        print(f"{name.ljust(width)}  {t:>10}  {q:>7}  {k:>5}")


if __name__ == "__main__":
    main()
