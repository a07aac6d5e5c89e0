"""The district data set of issue 17 (Scale): by default 20 communities, 300 staff and 3 years of records
(sign-ins, leave, meetings, expenses, dibao cases and visits, archive items, seal uses) with their
simple_history rows, through the project's real models so every page works on it.

Volume goes through bulk_create (bulk_create_with_history where the model keeps history). Idempotent: the
communities are found by their codes (scale01 …), and each chapter of a community is built only while that
community has none of its rows, so a second run adds nothing (and a run cut short is completed by the next).

    .venv/bin/python manage.py seed_scale                      # the district: a few minutes
    .venv/bin/python manage.py seed_scale --communities 2 --staff 10 --years 1
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from committee import calendar, idcard, pinyin
from committee.demo import make_id
from committee.models import Building, Community, Household, Person, Role, RoleAssignment, Staff, StreetOffice

STREET_CODE = "scale-street"
BATCH = 2000
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


def _bulk(model, objs):
    """bulk_create, with the history rows in bulk too when the model keeps history."""
    if not objs:
        return []
    if hasattr(model, "history"):
        return bulk_create_with_history(objs, model, batch_size=BATCH, default_change_reason="seed_scale")
    return model.objects.bulk_create(objs, batch_size=BATCH)


class Command(BaseCommand):
    help = "Build the district-scale data set (issue 17): idempotent; options make it smaller for tests."

    def add_arguments(self, parser):
        parser.add_argument("--communities", type=int, default=20)
        parser.add_argument("--staff", type=int, default=300, help="staff in all, spread over the communities")
        parser.add_argument("--years", type=int, default=3, help="years of records, ending with last month")
        parser.add_argument("--households", type=int, default=200, help="households per community")

    def handle(self, *args, **opts):
        self.today = timezone.localdate()
        end = self.today.replace(day=1) - dt.timedelta(days=1)
        self.start = dt.date(end.year - opts["years"] + 1, 1, 1)
        self.end = end
        n = opts["communities"]
        per = max(3, opts["staff"] // n)
        street, _ = StreetOffice.objects.get_or_create(code=STREET_CODE, defaults={"name": "规模测试街道"})
        for i in range(1, n + 1):
            community, _ = Community.objects.get_or_create(
                code=f"scale{i:02d}",
                defaults={"street_office": street, "name": f"规模{i:02d}社区",
                          "committee_name": f"规模{i:02d}社区居民委员会"})
            with transaction.atomic():
                added = self._community(community, per, opts["households"], random.Random(i))
            self.stdout.write(f"{community.code}: {added} rows added")

    # ---------------------------------------------------------------- one community

    def _community(self, c: Community, per: int, households: int, rng: random.Random) -> int:
        added = 0
        staff = list(Staff.objects.filter(community=c).order_by("pk"))
        if not staff:
            staff = _bulk(Staff, [Staff(street_office=c.street_office, community=c, name=_name(rng),
                                        monthly_wage=Decimal("4500.00"), joined_on=self.start)
                                  for _ in range(per)])
            staff = list(Staff.objects.filter(community=c).order_by("pk"))
            roles = [Role.DIRECTOR, Role.ATTENDANCE_KEEPER, Role.BOOKKEEPER]
            _bulk(RoleAssignment, [RoleAssignment(staff=s, role=r, community=c, start=self.start)
                                   for s, r in zip(staff, roles, strict=False)])
            added += len(staff)
        self.staff = staff
        added += self._register(c, households, rng)
        added += self._attendance(c, rng)
        added += self._meetings(c, rng)
        added += self._finance(c, rng)
        added += self._dibao(c, rng)
        added += self._archives(c, rng)
        added += self._seals(c, rng)
        return added

    def _days(self):
        return calendar.working_days_between(self.start, self.end)

    def _register(self, c, households, rng) -> int:
        if Household.objects.filter(community=c).exists():
            return 0
        buildings = _bulk(Building, [Building(community=c, name=f"{b + 1}号楼") for b in range(max(1, households // 40))])
        buildings = list(Building.objects.filter(community=c))
        _bulk(Household, [Household(community=c, building=buildings[h % len(buildings)],
                                    unit=f"{h // 40 % 6 + 1}单元{h % 40 + 101}") for h in range(households)])
        people, seen = [], set()
        for h in Household.objects.filter(community=c).order_by("pk"):
            for rel in (Person.Relation.HEAD, Person.Relation.SPOUSE):
                while True:
                    birth = dt.date(rng.randint(1940, 2000), rng.randint(1, 12), rng.randint(1, 28))
                    number = make_id(rng, birth, rel == Person.Relation.SPOUSE)
                    if number not in seen:
                        seen.add(number)
                        break
                name = _name(rng)
                people.append(Person(community=c, household=h, relation=rel, name=name, id_number=number,
                                     birth_date=idcard.birth_date(number), gender=idcard.gender(number),
                                     name_initials=pinyin.initials_index(name)))
        _bulk(Person, people)
        return len(buildings) + households + len(people)

    def _attendance(self, c, rng) -> int:
        from attendance.models import LeaveRequest, SignIn

        if SignIn.objects.filter(community=c).exists():
            return 0
        rows, leave = [], []
        for s in self.staff:
            for d in self._days():
                if rng.random() < 0.03:
                    continue
                rows.append(SignIn(community=c, staff=s, date=d, sign_in=dt.time(8, rng.randint(0, 40)),
                                   sign_out=dt.time(17, rng.randint(15, 59))))
            for _ in range(rng.randint(2, 6) * max(1, (self.end.year - self.start.year + 1))):
                d = rng.choice(self._days())
                leave.append(LeaveRequest(community=c, staff=s, kind=rng.choice(["sick", "personal"]), start=d,
                                          end=d, days=1, state="approved", requested_by=s,
                                          decided_at=timezone.now()))
        _bulk(SignIn, rows)
        _bulk(LeaveRequest, leave)
        return len(rows) + len(leave)

    def _meetings(self, c, rng) -> int:
        from meetings.models import Body, Meeting

        body, _ = Body.objects.get_or_create(street_office=c.street_office, community=c, name="居民委员会会议",
                                             defaults={"kind": "committee", "cadence_months": 1})
        if Meeting.objects.filter(body=body).exists():
            return 0
        meetings = []
        month = self.start
        while month <= self.end:
            for week in (5, 19):
                meetings.append(Meeting(body=body, street_office=c.street_office, community=c,
                                        title=f"{month:%Y年%m月}例会", date=month.replace(day=week),
                                        start_time=dt.time(9), chair=self.staff[0], status="held",
                                        minutes="会议纪要。"))
            month = (month + dt.timedelta(days=32)).replace(day=1)
        _bulk(Meeting, meetings)
        return len(meetings)

    def _finance(self, c, rng) -> int:
        from finance.models import Budget, BudgetLine, Expense

        if Budget.objects.filter(community=c).exists():
            return 0
        expenses, n = [], 0
        for year in range(self.start.year, self.end.year + 1):
            budget = Budget.objects.create(community=c, year=year, fund_type="office")
            lines = _bulk(BudgetLine, [BudgetLine(budget=budget, community=c, name=name, amount=Decimal("60000.00"))
                                       for name in ("办公用品", "水电费", "活动经费")])
            lines = list(BudgetLine.objects.filter(budget=budget))
            n += 1 + len(lines)
            for d in self._days():
                if d.year != year or rng.random() > 0.25:
                    continue
                expenses.append(Expense(community=c, line=rng.choice(lines), purpose="购买办公用品",
                                        amount=Decimal(rng.randint(50, 2000)), payee="文具店", method="transfer",
                                        requested_by=rng.choice(self.staff), requested_on=d, approved_on=d, paid_on=d,
                                        state="paid"))
        _bulk(Expense, expenses)
        return n + len(expenses)

    def _dibao(self, c, rng) -> int:
        from dibao.models import Case, Visit

        if Case.objects.filter(community=c).exists():
            return 0
        households = list(Household.objects.filter(community=c).order_by("pk")[:max(1, Household.objects.filter(
            community=c).count() // 10)])
        _bulk(Case, [Case(community=c, household=h, status="approved", opened_by=self.staff[0]) for h in households])
        visits = []
        for case in Case.objects.filter(community=c):
            month = self.start
            while month <= self.end:
                visits.append(Visit(case=case, community=c, visited_on=month.replace(day=10),
                                    visitors=self.staff[0].name, recorded_by=self.staff[0]))
                month = (month + dt.timedelta(days=92)).replace(day=1)
        _bulk(Visit, visits)
        return len(households) + len(visits)

    def _archives(self, c, rng) -> int:
        from archives.models import Category, Item, Volume

        if Volume.objects.filter(community=c).exists():
            return 0
        categories = list(Category.objects.filter(active=True).order_by("order")[:3])
        items, n = [], 0
        now = timezone.now()
        for year in range(self.start.year, self.end.year + 1):
            for cat in categories:
                count = 40
                volume = Volume.objects.create(community=c, year=year, category=cat, seq=1,
                                               title=f"{year}年{cat.name}", last_item=count)
                n += 1
                items += [Item(community=c, volume=volume, seq=k + 1, title=f"{cat.name}文件{k + 1}",
                               date=dt.date(year, k % 12 + 1, 15), responsible=c.committee_name, filed_at=now,
                               filed_by=self.staff[-1]) for k in range(count)]
        _bulk(Item, items)
        return n + len(items)

    def _seals(self, c, rng) -> int:
        from seals.models import Counter, Seal, SealUse

        if Seal.objects.filter(community=c).exists():
            return 0
        seal = Seal.objects.create(community=c, kind="committee", name=c.committee_name, custodian=self.staff[0],
                                   place="办公室保险柜", issued_on=self.start)
        uses = []
        for year in range(self.start.year, self.end.year + 1):
            seq = 0
            for d in self._days():
                if d.year != year or rng.random() > 0.3:
                    continue
                seq += 1
                uses.append(SealUse(community=c, seal=seal, year=year, seq=seq, use_kind="certificate",
                                    matter="开具居住证明", requester=rng.choice(self.staff), status="stamped",
                                    approved_by=self.staff[0], stamped_by=self.staff[0]))
            Counter.objects.create(community=c, year=year, series="use", last=seq)
        _bulk(SealUse, uses)
        return 1 + len(uses)
