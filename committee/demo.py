"""Demo data: one street office, three communities, staff in every role of ORG-2, grids, buildings,
households and residents with fictional names and valid-format ID numbers. Idempotent: records are
looked up by natural keys, so a second run adds nothing."""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from stdnum.cn import ric

from committee import calendar
from committee.models import (
    Building,
    Community,
    Grid,
    Household,
    Person,
    Role,
    RoleAssignment,
    Staff,
    StreetOffice,
    User,
)

DEMO_PASSWORD = "demo12345"
ROLE_START = dt.date(2024, 1, 1)

STREET = {"code": "changan", "name": "长安街道办事处", "address": "北京市西城区长安街道示范路1号"}
COMMUNITIES = [
    {"code": "heping", "name": "和平里社区", "committee_name": "和平里社区居民委员会",
     "party_organisation_name": "中共和平里社区委员会", "service_station_name": "和平里社区服务站",
     "address": "和平里北街12号", "phone": "010-66001001"},
    {"code": "yinxing", "name": "银杏社区", "committee_name": "银杏社区居民委员会",
     "party_organisation_name": "中共银杏社区委员会", "service_station_name": "银杏社区服务站",
     "address": "银杏路8号", "phone": "010-66001002"},
    {"code": "chunhui", "name": "春晖社区", "committee_name": "春晖社区居民委员会",
     "party_organisation_name": "中共春晖社区支部委员会", "service_station_name": "春晖社区服务站",
     "address": "春晖巷3号", "phone": "010-66001003"},
]

# (login suffix, name per community, roles, monthly wage). Several roles at once, as in real offices.
COMMUNITY_STAFF = [
    ("director", ["王建华", "李秀英", "张志强"], [Role.DIRECTOR], "6200.00"),
    ("secretary", ["刘桂兰", "陈国庆", "杨丽娟"], [Role.PARTY_SECRETARY], "6400.00"),
    ("deputy", ["赵明", "黄海燕", "周文斌"], [Role.DEPUTY_DIRECTOR, Role.MEMBER], "5600.00"),
    ("civil", ["吴淑芬", "徐立军", "孙红梅"], [Role.CIVIL_AFFAIRS, Role.MEMBER], "5200.00"),
    ("dibao", ["马晓燕", "朱建国", "胡玉兰"], [Role.DIBAO_OFFICER], "4800.00"),
    ("labour", ["郭春生", "何丽", "高振华"], [Role.LABOUR_SECURITY], "4800.00"),
    ("service", ["林小红", "罗志刚", "梁玉梅"], [Role.SERVICE_STAFF, Role.ATTENDANCE_KEEPER], "4500.00"),
    ("station", ["宋伟", "郑淑华", "谢永强"], [Role.STATION_HEAD], "5400.00"),
    ("archivist", ["韩雪", "唐建军", "冯秀云"], [Role.ARCHIVIST, Role.SEAL_CUSTODIAN], "4600.00"),
    ("bookkeeper", ["于晓东", "董美玲", "萧长青"], [Role.BOOKKEEPER], "4700.00"),
    ("member", ["单丽华", "曾志伟", "程静"], [Role.MEMBER], "4600.00"),
]
STREET_STAFF = [
    ("instructor", "蒋文华", [Role.INSTRUCTOR]),
    ("dept", "沈建平", [Role.DEPARTMENT_HEAD]),
    ("leader", "韦国栋", [Role.STREET_LEADER]),
    ("cbdirector", "潘明", [Role.BUILDING_OFFICE_DIRECTOR]),
    ("finance", "杜晓梅", [Role.FINANCE]),
    ("discipline", "戴卫东", [Role.DISCIPLINE]),
    ("sysadmin", "钱立新", [Role.SYSTEM_ADMIN]),  # CTL-1, CTL-3: opens and resets logins, grants roles
]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤单"
GIVEN = ["秀英", "桂英", "秀兰", "玉兰", "建华", "建国", "志强", "海燕", "丽娟", "文斌", "淑珍", "国华", "春梅",
         "红霞", "德明", "振华", "金凤", "志明", "晓东", "雪梅", "永红", "立新", "子涵", "浩然", "欣怡", "宇航",
         "梓萱", "俊杰", "思远", "一诺", "明轩", "佳怡", "嘉豪", "雨桐", "泽宇", "若曦"]


def make_id(rng: random.Random, birth: dt.date, female: bool, region: str = "110102") -> str:
    seq = rng.randint(0, 49) * 2 + (0 if female else 1)
    body = f"{region}{birth:%Y%m%d}{rng.randint(0, 9)}{seq:02d}"[:17]
    return body + ric.calc_check_digit(body + "0")  # stdnum expects a placeholder check digit


_hashed: list[str] = []


def _user(username: str, *, is_superuser=False) -> User:
    user, created = User.objects.get_or_create(username=username)
    if created:
        if not _hashed:  # hashing is slow on purpose: hash the shared demo password once
            _hashed.append(make_password(DEMO_PASSWORD))
        user.password = _hashed[0]
        user.is_staff = is_superuser
        user.is_superuser = is_superuser
        user.save()
    return user


def _staff(street, community, name, username, wage=None) -> Staff:
    user = _user(username)
    staff, _created = Staff.objects.get_or_create(
        user=user,
        defaults={"street_office": street, "community": community, "name": name,
                  "monthly_wage": wage, "joined_on": ROLE_START, "phone": f"139{abs(hash(username)) % 10**8:08d}"},
    )
    return staff


def _role(staff, role, community=None):
    RoleAssignment.objects.get_or_create(
        staff=staff, role=role, start=ROLE_START,
        defaults={"community": community if community is not None else staff.community},
    )


@transaction.atomic
def load(stdout=None) -> list[tuple[str, str, str]]:
    """Create the demo records; returns (login, name, what they do) for printing."""
    rng = random.Random(20261128)
    logins: list[tuple[str, str, str]] = []
    street, _ = StreetOffice.objects.get_or_create(code=STREET["code"], defaults=STREET)
    admin = _user("admin", is_superuser=True)
    logins.append((admin.username, "—", "系统管理员 (Django admin)"))

    for code, name, roles in STREET_STAFF:
        staff = _staff(street, None, name, f"street.{code}")
        for role in roles:
            _role(staff, role, None)
        logins.append((staff.user.username, name, f"{street.name} · " + "、".join(str(r.label) for r in roles)))

    for index, data in enumerate(COMMUNITIES):
        community, _ = Community.objects.get_or_create(code=data["code"], defaults={**data, "street_office": street})
        for suffix, names, roles, wage in COMMUNITY_STAFF:
            staff = _staff(street, community, names[index], f"{community.code}.{suffix}", wage)
            for role in roles:
                _role(staff, role)
            if index == 0 or suffix in ("director", "secretary", "member"):
                logins.append((staff.user.username, staff.name,
                               f"{community.name} · " + "、".join(str(r.label) for r in roles)))
        _residents(community, rng)

    calendar.ensure_year(timezone.localdate().year)
    _duty(Community.objects.get(code="heping"))
    return logins


def _duty(community: Community) -> None:
    """ORG-5/ORG-6 demo: a member out on an errand now, a past outing reported back, a reported incident."""
    from committee.models import Incident, Outing

    if Outing.objects.filter(community=community).exists():
        return
    now = timezone.now().replace(second=0, microsecond=0)
    member = Staff.objects.get(user__username="heping.member")
    director = Staff.objects.get(user__username="heping.director")
    civil = Staff.objects.get(user__username="heping.civil")
    Outing.objects.create(community=community, staff=member, kind=Outing.Kind.ERRAND, purpose="区民政局送审材料",
                          leaves_at=now - dt.timedelta(hours=1), back_at=now + dt.timedelta(hours=1), told=director)
    Outing.objects.create(community=community, staff=civil, kind=Outing.Kind.VISIT, purpose="走访3号楼独居老人",
                          leaves_at=now - dt.timedelta(days=1, hours=3), back_at=now - dt.timedelta(days=1, hours=1),
                          told=director, returned_at=now - dt.timedelta(days=1, hours=1), report="老人身体状况良好")
    Incident.objects.create(community=community, kind=Incident.Kind.ACCIDENT, occurred_at=now - dt.timedelta(days=6),
                            place="5号楼2单元", description="楼道电线短路冒烟，已断电并疏散居民，无人员受伤。",
                            recorded_by=director, reported_at=now - dt.timedelta(days=6) + dt.timedelta(minutes=20),
                            reported_to="街道应急办 沈建平")


def _residents(community: Community, rng: random.Random) -> None:
    if community.residents.exists():
        return  # residents are loaded once; rerunning must not duplicate them
    members = list(community.staff.all())
    grids = []
    for g in range(1, 3):
        grid, _ = Grid.objects.get_or_create(
            community=community, name=f"第{g}片",
            defaults={"committee_member": members[(g + 2) % len(members)], "station_member": members[7]},
        )
        grids.append(grid)
    for b in range(1, 7):
        building, _ = Building.objects.get_or_create(
            community=community, name=f"{b}号楼",
            defaults={"grid": grids[(b - 1) // 3], "address": f"{community.address}{b}号楼"},
        )
        for h in range(1, 5):
            unit = f"{rng.randint(1, 3)}单元{rng.randint(1, 6)}0{h}"
            household, _ = Household.objects.get_or_create(
                community=community, building=building, unit=unit,
                defaults={"registered_locally": rng.random() > 0.15, "phone": f"010-8{rng.randint(1000000, 9999999)}"},
            )
            surname = rng.choice(SURNAMES)
            head_birth = dt.date(rng.randint(1940, 1985), rng.randint(1, 12), rng.randint(1, 28))
            people = [("head", surname + rng.choice(GIVEN), head_birth, rng.random() < 0.5)]
            if rng.random() < 0.75:
                people.append(("spouse", rng.choice(SURNAMES) + rng.choice(GIVEN),
                               head_birth + dt.timedelta(days=rng.randint(-900, 900)), not people[0][3]))
            for _child in range(rng.randint(0, 2)):
                people.append(("child", surname + rng.choice(GIVEN),
                               dt.date(min(head_birth.year + rng.randint(22, 35), 2020), rng.randint(1, 12),
                                       rng.randint(1, 28)), rng.random() < 0.5))
            alone = len(people) == 1 and head_birth.year < 1955
            for relation, name, birth, female in people:
                Person.objects.get_or_create(
                    community=community, id_number=make_id(rng, birth, female),
                    defaults={"household": household, "relation": relation, "name": name,
                              "elderly_alone": alone, "disabled": rng.random() < 0.05,
                              "serious_illness": rng.random() < 0.04, "hardship": rng.random() < 0.06,
                              "volunteer": rng.random() < 0.1},
                )
