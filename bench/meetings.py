"""Benchmark of the meetings app: the dashboard cadence check (MTG-11) and the weekly study reminder
(MTG-10) for a street office with many communities, each with several bodies and a history of meetings.

Builds the data in a throwaway database (SQLite file, or DATABASE_URL), times the two reminder collectors
for the whole street and prints a table with the query counts (which must not grow with communities).
Run: .venv/bin/python bench/meetings.py
"""


from _setup import setup, timed

setup()

import datetime as dt  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from committee.models import Community, StreetOffice  # noqa: E402
from meetings import reminders  # noqa: E402
from meetings.models import Body, BodyKind, BodyMember, Meeting  # noqa: E402

KINDS = (BodyKind.COMMITTEE, BodyKind.REPRESENTATIVES, BodyKind.CONSULTATION, BodyKind.JOINT, BodyKind.MASS_MEETING)
MEETINGS_PER_BODY = 12
DAY = dt.date(2026, 11, 28)


@transaction.atomic
def build(n: int) -> list[Community]:
    street = StreetOffice.objects.create(name=f"基准街道{n}", code=f"mbench{n}")
    communities, bodies = [], []
    for i in range(n):
        c = Community.objects.create(street_office=street, name=f"社区{n}-{i}", code=f"mb{n}-{i}",
                                     committee_name=f"社区{i}居委会")
        communities.append(c)
        for kind in KINDS:
            bodies.append(Body(street_office=street, community=c, kind=kind, name=f"{kind}-{i}"))
    Body.objects.bulk_create(bodies)
    bodies = list(Body.objects.filter(street_office=street))
    BodyMember.objects.bulk_create(
        [BodyMember(body=b, name=f"成员{k}", start=dt.date(2024, 1, 1)) for b in bodies for k in range(9)])
    meetings = []
    for b in bodies:
        for k in range(MEETINGS_PER_BODY):
            date = DAY - dt.timedelta(days=20 * k + b.pk % 17)
            category = Meeting.Category.STUDY if b.kind == BodyKind.COMMITTEE and k % 2 else Meeting.Category.MEETING
            meetings.append(Meeting(body=b, street_office=street, community_id=b.community_id, category=category,
                                    title="会议", date=date, status=Meeting.Status.CLOSED))
    Meeting.objects.bulk_create(meetings, batch_size=2000)
    return communities



def run(communities):
    for c in communities:
        c.__dict__.pop("_policy_cache", None)
    return list(reminders.body_cadence(communities, DAY)) + list(reminders.weekly_study(communities, DAY))


def main():
    call_command("migrate", verbosity=0)
    rows = []
    for n in (3, 30, 100, 300):
        communities = build(n)
        with CaptureQueriesContext(connection) as q:
            items = run(communities)
        seconds = timed(lambda cs=communities: run(cs))
        rows.append((f"cadence + study reminders, {n} communities, {n * len(KINDS)} bodies, "
                     f"{n * len(KINDS) * MEETINGS_PER_BODY} meetings", f"{seconds * 1000:.1f} ms",
                     len(q.captured_queries), len(items)))
    width = max(len(r[0]) for r in rows)
    print(f"database: {connection.vendor}")
    print(f"{'operation'.ljust(width)}  {'best of 5':>10}  queries  reminders")
    for name, t, q, k in rows:
        print(f"{name.ljust(width)}  {t:>10}  {q:>7}  {k:>9}")


if __name__ == "__main__":
    main()
