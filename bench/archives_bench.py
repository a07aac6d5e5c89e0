"""Benchmark of the archives catalogue: 2,000 and 20,000 items of one community, the catalogue page and a
search (title, responsible body and the PDFs' text), beside Django admin's changelist of the same model
(``archives.Item``, its own search on title and text). Queries must not grow with the rows.
Run: .venv/bin/python bench/archives_bench.py
"""

from _setup import setup, timed

setup()

import datetime as dt  # noqa: E402

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from archives.models import Category, Item, Volume  # noqa: E402
from committee.models import Community, Role, RoleAssignment, Staff, StreetOffice, User  # noqa: E402


@transaction.atomic
def build(n: int):
    street = StreetOffice.objects.create(name=f"基准街道{n}", code=f"abench{n}")
    c = Community.objects.create(street_office=street, name=f"基准社区{n}", code=f"ab{n}", committee_name="基准居委会")
    user = User.objects.create_user(username=f"abench{n}", password="x")
    staff = Staff.objects.create(street_office=street, community=c, name="档案员", user=user)
    RoleAssignment.objects.create(staff=staff, role=Role.ARCHIVIST, start=dt.date(2020, 1, 1))
    cats = list(Category.objects.all())
    volumes = [Volume.objects.create(community=c, year=2015 + y, category=cat, title=f"{2015 + y}年 {cat.name}")
               for y in range(10) for cat in cats]
    now = timezone.now()
    batch = []
    for i in range(n):
        v = volumes[i % len(volumes)]
        v.last_item += 1
        batch.append(Item(community=c, volume=v, seq=v.last_item, title=f"文件{i} 关于社区工作的通知",
                          date=dt.date(v.year, 1 + i % 12, 1 + i % 28), responsible="居委会", filed_at=now,
                          filed_by=staff, text=f"正文 {i} 防汛 演练 安排" if i % 10 == 0 else ""))
    Item.objects.bulk_create(batch, batch_size=2000)
    for v in volumes:
        v.save()
    admin = User.objects.create_superuser(username=f"abadmin{n}", password="x")
    return user, admin


def main():
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    rows = []
    for n in (2000, 20000):
        user, admin = build(n)
        client, root = Client(), Client()
        client.force_login(user)
        root.force_login(admin)
        client.get("/archives/")
        for label, fn in [
            ("catalogue (GET)", lambda c=client: c.get("/archives/")),
            ("catalogue page 20", lambda c=client: c.get("/archives/?page=20")),
            ("catalogue search", lambda c=client: c.get("/archives/?q=防汛")),
            ("admin changelist", lambda c=root: c.get("/admin/archives/item/")),
            ("admin search", lambda c=root: c.get("/admin/archives/item/?q=防汛")),
        ]:
            with CaptureQueriesContext(connection) as q:
                response = fn()
            assert response.status_code == 200, (label, response.status_code)
            rows.append((n, label, len(q), timed(fn) * 1000))
    print(f"database: {connection.vendor}")
    print(f"{'items':>8}  {'operation':<20} {'queries':>7} {'best of 5 (ms)':>15}")
    for n, label, queries, ms in rows:
        print(f"{n:>8}  {label:<20} {queries:>7} {ms:>15.1f}")


if __name__ == "__main__":
    main()
