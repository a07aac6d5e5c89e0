"""Benchmark (issue 17, Scale): every list and dashboard page on the district data set of
``manage.py seed_scale``, each beside Django admin's changelist of the same model in the same run (the
ratio is the figure: absolute times vary between machines), the street dashboard over every community
and the street overview `/street/`, and a 10,000-row residents' register import.

Builds its data in a throwaway database: a temporary SQLite file, or the DATABASE_URL PostgreSQL database
(bench/run_pg.sh creates and drops one). Sizes from the environment (defaults: the district):

    SCALE_COMMUNITIES=20 SCALE_STAFF=300 SCALE_YEARS=3 BENCH_RUNS=10 IMPORT_ROWS=10000
    SCALE_COMMUNITIES=2 SCALE_STAFF=20 SCALE_YEARS=1 BENCH_RUNS=3 IMPORT_ROWS=500 .venv/bin/python bench/pages.py
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import setup  # noqa: E402

setup()

import datetime as dt  # noqa: E402
import logging  # noqa: E402

logging.disable(logging.INFO)  # django-axes logs every login

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "10"))
SIZES = {k: os.environ.get(f"SCALE_{k.upper()}", d) for k, d in
         (("communities", "20"), ("staff", "300"), ("years", "3"))}
IMPORT_ROWS = int(os.environ.get("IMPORT_ROWS", "10000"))
CHUNK = 3000

# (label, page URL name, admin changelist "app_model" or None)
PAGES = [
    ("dashboard", "dashboard", None),
    ("staff_list", "staff_list", "committee_staff"),
    ("person_list", "person_list", "committee_person"),
    ("building_list", "building_list", "committee_building"),
    ("attendance_home", "attendance_home", "attendance_signin"),
    ("attendance_register", "attendance_register", "attendance_signin"),
    ("attendance_leave_list", "attendance_leave_list", "attendance_leaverequest"),
    ("meetings_home", "meetings_home", "meetings_meeting"),
    ("finance_home", "finance_home", "finance_expense"),
    ("finance_expense_list", "finance_expense_list", "finance_expense"),
    ("dibao_home", "dibao_home", "dibao_case"),
    ("archives_home", "archives_home", "archives_item"),
    ("archives_volumes", "archives_volumes", "archives_volume"),
    ("seals_home", "seals_home", "seals_sealuse"),
    ("visits_home", "visits_home", "visits_visit"),
]


def measure(client: Client, url: str):
    times, queries, status = [], 0, None
    for i in range(RUNS + 1):
        reset_queries()  # the seed filled the capped query log: captured_queries would read 0
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - start
        status = response.status_code
        if i:  # the first request warms caches (templates, content types)
            times.append(elapsed)
        queries = len(ctx.captured_queries)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, queries, status


def users():
    from committee.models import Community, Role, RoleAssignment, Staff, User

    community = Community.objects.get(code="scale01")
    admin = User.objects.create_superuser("bench-admin", password="x")
    director = Staff.objects.filter(community=community, roles__role=Role.DIRECTOR).first()
    user = User.objects.create_user("bench-director", password="x", is_staff=True, is_superuser=True)
    director.user = user
    director.save()
    for role in (Role.ATTENDANCE_KEEPER, Role.BOOKKEEPER, Role.ARCHIVIST, Role.DIBAO_OFFICER,
                 Role.CIVIL_AFFAIRS, Role.SEAL_CUSTODIAN):
        RoleAssignment.objects.get_or_create(staff=director, role=role, community=community,
                                                 defaults={"start": dt.date(2020, 1, 1)})
    street_user = User.objects.create_user("bench-street", password="x")
    street_staff = Staff.objects.create(user=street_user, street_office=community.street_office, name="街道主任")
    RoleAssignment.objects.create(staff=street_staff, role=Role.DEPARTMENT_HEAD, start=dt.date(2020, 1, 1))
    RoleAssignment.objects.create(staff=street_staff, role=Role.STREET_LEADER, start=dt.date(2020, 1, 1))
    return community, admin, user, street_user


def row(label, page, admin):
    med, p95, q, status = page
    line = f"{label:<26} {med * 1000:8.1f} {p95 * 1000:8.1f} {q:5d} {status:4d}"
    if admin:
        amed, ap95, aq, astatus = admin
        line += f" | {amed * 1000:8.1f} {ap95 * 1000:8.1f} {aq:5d} {astatus:4d} | {med / amed:5.2f}"
    print(line, flush=True)


def import_bench(community, user):
    """IMPORT_ROWS residents in files of CHUNK rows: bigger files are refused (CTL-8, 5,000 rows; the import, 3,000)."""
    import openpyxl

    from committee.demo import make_id
    from committee.resources import PersonResource
    from committee.views_register import KINDS, _run_import

    rng = random.Random(17)
    headers = PersonResource.headers()
    files, ws, seen = [], None, set()
    for i in range(IMPORT_ROWS):
        if i % CHUNK == 0:
            wb = openpyxl.Workbook()
            ws = wb.active
            ws.append(headers)
            files.append(wb)
        while True:
            birth = dt.date(rng.randint(1940, 2005), rng.randint(1, 12), rng.randint(1, 28))
            number = make_id(rng, birth, i % 2 == 0, region="110105")
            if number not in seen:
                seen.add(number)
                break
        values = {"姓名": f"导入{i:05d}", "身份证号": number, "楼栋": f"导入{i // 200 + 1}号楼",
                  "单元房号": f"{i % 200 + 101}", "户籍在本社区": "是", "电话": f"1380000{i:04d}"}
        ws.append([values.get(h, "") for h in headers])
    paths = []
    for k, wb in enumerate(files):
        paths.append(Path(tempfile.mkdtemp()) / f"residents{k}.xlsx")
        wb.save(paths[-1])
    from committee.models import Person

    before = Person.objects.filter(community=community).count()
    start, lines = time.perf_counter(), []
    for path in paths:
        lines += _run_import(KINDS["residents"], community, user, path, dry_run=False)[3]
    elapsed = time.perf_counter() - start
    added = Person.objects.filter(community=community).count() - before
    print(f"import {IMPORT_ROWS} residents ({len(paths)} file(s)): {elapsed:.2f} s, {added} rows added, {len(lines)} error lines",
          flush=True)


def main():
    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    call_command("seed_scale", communities=int(SIZES["communities"]), staff=int(SIZES["staff"]),
                 years=int(SIZES["years"]), stdout=open(os.devnull, "w"))
    print(f"{connection.vendor} {connection.Database.sqlite_version if connection.vendor == 'sqlite' else ''}"
          f" seed_scale {SIZES}: {time.perf_counter() - start:.0f} s; {RUNS} runs per page", flush=True)
    community, admin, user, street_user = users()
    page_client, admin_client, street_client = Client(), Client(), Client()
    page_client.force_login(user)
    admin_client.force_login(admin)
    street_client.force_login(street_user)
    print(f"{'page (ms)':<26} {'median':>8} {'p95':>8} {'q':>5} {'http':>4} | "
          f"{'admin':>8} {'p95':>8} {'q':>5} {'http':>4} | ratio")
    for label, name, model in PAGES:
        try:
            url = reverse(name)
        except NoReverseMatch:
            print(f"{label:<26} (no URL {name})")
            continue
        page = measure(page_client, url)
        admin_page = measure(admin_client, reverse(f"admin:{model}_changelist")) if model else None
        row(label, page, admin_page)
    row("street dashboard (all)", measure(street_client, reverse("dashboard")), None)
    row("street overview /street/", measure(street_client, reverse("oversight_overview")), None)
    import_bench(community, user)


if __name__ == "__main__":
    main()
