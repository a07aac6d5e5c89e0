"""Benchmark: the monthly figures (ATT-5, ATT-6) and the sheet PDF (ATT-9) of one community for a month,
with 15 and 60 staff. Builds its data in a throwaway SQLite file, or in the DATABASE_URL database inside a
transaction that is rolled back. Prints a table.

    .venv/bin/python bench/attendance.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/shequ_bench .venv/bin/python bench/attendance.py
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
TMP = None
if not os.environ.get("DATABASE_URL"):
    TMP = tempfile.NamedTemporaryFile(suffix=".sqlite3", delete=False)
    os.environ["DATABASE_URL"] = f"sqlite:///{TMP.name}"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

YEAR, MONTH = 2026, 3
SIZES = (15, 60)
RUNS = 5


class Rollback(Exception):
    pass


def build(n: int):
    import random

    from attendance.models import LeaveRequest, SignIn
    from committee import calendar
    from committee.models import Community, Role, RoleAssignment, Staff, StreetOffice

    rng = random.Random(n)
    street, _ = StreetOffice.objects.get_or_create(code="bench-street", defaults={"name": "基准测试街道"})
    community = Community.objects.create(street_office=street, name=f"基准社区{n}", code=f"bench{n}",
                                         committee_name=f"基准社区{n}居民委员会")
    staff = Staff.objects.bulk_create([
        Staff(street_office=street, community=community, name=f"员工{i:03d}", monthly_wage="4500.00")
        for i in range(n)])
    RoleAssignment.objects.create(staff=staff[0], role=Role.ATTENDANCE_KEEPER, community=community,
                                  start=dt.date(2020, 1, 1))
    RoleAssignment.objects.create(staff=staff[1], role=Role.DIRECTOR, community=community, start=dt.date(2020, 1, 1))
    days = calendar.working_days_between(dt.date(YEAR, MONTH, 1), dt.date(YEAR, MONTH, 31))
    rows = []
    for s in staff:
        for d in days:
            if rng.random() < 0.03:
                continue
            rows.append(SignIn(community=community, staff=s, date=d,
                               sign_in=dt.time(8, rng.randint(0, 40)), sign_out=dt.time(17, rng.randint(15, 59))))
        if rng.random() < 0.3:
            d = rng.choice(days)
            LeaveRequest.objects.create(community=community, staff=s, kind=rng.choice(["sick", "personal"]),
                                        start=d, end=d, days=1, state="approved", requested_by=s)
    SignIn.objects.bulk_create(rows, batch_size=1000)
    return community, len(rows)


def measure(fn):
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return min(times) * 1000, sorted(times)[len(times) // 2] * 1000, len(ctx.captured_queries)


def main():
    from attendance import figures, views
    from committee import printing

    call_command("migrate", verbosity=0)
    engine = connection.vendor
    results = []
    try:
        with transaction.atomic():
            for n in SIZES:
                community, lines = build(n)
                figures.community_month(community, YEAR, MONTH, today=dt.date(YEAR, MONTH + 1, 20))  # warm cache

                def month(community=community):
                    community.__dict__.pop("_policy_cache", None)
                    figures.community_month(community, YEAR, MONTH, today=dt.date(YEAR, MONTH + 1, 20))

                def pdf(community=community):
                    community.__dict__.pop("_policy_cache", None)
                    ctx = views._sheet_context(None, community, YEAR, MONTH)
                    ctx.update({"seal_org": community.committee_name, "seal_date": f"{YEAR}-{MONTH:02d}"})
                    printing.render_pdf_in("zh-hans", "attendance/sheet_pdf.html", ctx)

                results.append((n, lines, "month figures", *measure(month)))
                results.append((n, lines, "sheet PDF", *measure(pdf)))
            raise Rollback
    except Rollback:
        pass
    print(f"Attendance benchmark on {engine} ({YEAR}-{MONTH:02d}, best and median of {RUNS} runs)")
    print(f"{'staff':>5} {'register lines':>14}  {'operation':<14} {'best ms':>9} {'median ms':>10} {'queries':>8}")
    for n, lines, op, best, median, queries in results:
        print(f"{n:>5} {lines:>14}  {op:<14} {best:>9.1f} {median:>10.1f} {queries:>8}")


if __name__ == "__main__":
    try:
        main()
    finally:
        if TMP is not None:
            os.unlink(TMP.name)
