"""Demo data of the seal chapter (idempotent: a community that already has seals gets nothing new).

Per community: the committee seal and the service-station seal kept by the archivist (印章保管人), a stamped
notice, an issued certificate of residence (verifiable on the public page), and a certificate waiting for
the director's signature."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone, translation

from committee import approvals
from committee.models import Community, Person, Staff, StreetOffice
from seals import services
from seals.models import Seal

# Demo only: the verification code of 和平里's issued certificate (the alphabet of rules.CODE_ALPHABET).
DEMO_CODES = {"heping": "DEMXHPCERT23"}


def _s(code: str, suffix: str) -> Staff | None:
    return Staff.objects.filter(user__username=f"{code}.{suffix}").select_related("user").first()


def _approve(record, staff):
    step = approvals.steps_for(record).filter(status="pending").order_by("step").first()
    if step is not None and staff is not None:
        approvals.decide(step.pk, acting_user=staff.user, approve=True, comment="同意")


def load(stdout=None) -> None:
    with translation.override("zh-hans"):
        _load(stdout)


@transaction.atomic
def _load(stdout=None) -> None:
    street = StreetOffice.objects.filter(code="changan").first()
    dept = Staff.objects.filter(user__username="street.dept").select_related("user").first()
    if street is None or dept is None:
        return
    for community in Community.objects.filter(street_office=street).order_by("pk"):
        if Seal.objects.filter(community=community).exists():
            continue
        custodian, director = _s(community.code, "archivist"), _s(community.code, "director")
        clerk = _s(community.code, "service")
        if custodian is None or director is None or clerk is None:
            continue
        seal = services.create_seal(community=community, kind=Seal.Kind.COMMITTEE, name=community.committee_name,
                                    place="办公室档案柜（上锁）", issued_on=dt.date(2024, 1, 8), custodian=custodian,
                                    acting_user=dept.user)
        services.create_seal(community=community, kind=Seal.Kind.STATION,
                             name=community.service_station_name or f"{community.name}服务站",
                             place="服务站保险柜", issued_on=dt.date(2024, 1, 8), custodian=custodian,
                             acting_user=dept.user)
        notice = services.request_use(seal=seal, use_kind="notice", matter="停水通知张贴", copies=3,
                                      acting_user=clerk.user)
        _approve(notice, director)
        services.stamp(notice, acting_user=custodian.user)
        people = list(Person.objects.filter(community=community, moved_out_on__isnull=True).order_by("pk")[:2])
        if people:
            cert = services.request_certificate(community=community, person=people[0], kind="residence",
                                                purpose="办理子女入学手续", acting_user=clerk.user)
            _approve(cert.use, director)
            services.stamp(cert.use, acting_user=custodian.user)
            if community.code in DEMO_CODES:  # a fixed code, so the README can name its public page
                cert.code = DEMO_CODES[community.code]
                cert.save(update_fields=["code"])
        if len(people) > 1:
            services.request_certificate(community=community, person=people[1], kind="alive",
                                         purpose="领取养老金资格认证", acting_user=clerk.user)
        services.request_use(seal=seal, use_kind="statistics", matter=f"{timezone.localdate():%Y年%m月}统计报表上报",
                             acting_user=clerk.user)
