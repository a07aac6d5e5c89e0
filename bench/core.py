"""Benchmark of the shared core: dashboard reminders and working-day arithmetic.

Builds a street office with N communities in a throwaway database (SQLite file, or DATABASE_URL), then
times the dashboard collection for the whole street and add_working_days over a year. Prints a table.
Run: .venv/bin/python bench/core.py
"""


from _setup import setup, timed

setup()

import datetime as dt  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from committee import calendar, reminders  # noqa: E402
from committee.models import Community, Role, RoleAssignment, Staff, StreetOffice  # noqa: E402


def build(n: int) -> list[Community]:
    street = StreetOffice.objects.create(name=f"基准街道{n}", code=f"bench{n}")
    out = []
    for i in range(n):
        c = Community.objects.create(street_office=street, name=f"社区{n}-{i}", code=f"b{n}-{i}",
                                     committee_name=f"社区{i}居委会")
        s = Staff.objects.create(street_office=street, community=c, name=f"主任{i}")
        RoleAssignment.objects.create(staff=s, role=Role.DIRECTOR, start=dt.date(2024, 1, 1))
        out.append(c)
    return out



def main():
    call_command("migrate", verbosity=0)
    rows = []
    for n in (3, 30, 100):
        communities = build(n)
        day = dt.date(2026, 11, 28)
        with CaptureQueriesContext(connection) as q:
            reminders.collect(communities, day)
        seconds = timed(lambda c=communities, d=day: reminders.collect(c, d))
        rows.append((f"dashboard reminders, {n} communities", f"{seconds * 1000:.1f} ms", len(q.captured_queries)))
    calendar.clear_cache()
    seconds = timed(lambda: [calendar.add_working_days(dt.date(2026, 1, 1), k) for k in range(0, 250, 10)])
    rows.append(("add_working_days ×25 over 2026", f"{seconds * 1000:.1f} ms", "-"))
    reset_queries()
    width = max(len(r[0]) for r in rows)
    print(f"database: {connection.vendor}")
    print(f"{'operation'.ljust(width)}  {'best of 5':>10}  queries")
    for name, t, q in rows:
        print(f"{name.ljust(width)}  {t:>10}  {q}")


if __name__ == "__main__":
    main()
