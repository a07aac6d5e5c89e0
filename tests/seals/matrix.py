"""Permission-matrix entries of the seal chapter: every URL × persona (the public verification page
included: anonymous visitors get 200)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from committee import approvals
from committee.models import Role
from seals import services
from tests import factories as f
from tests.matrix import LOGIN, add, everyone, world_builder  # noqa: F401


@world_builder
def seals_world(w):
    from django.core.cache import cache

    cache.clear()  # the verification page's per-address throttle starts afresh for every world
    a = w["a"]
    custodian = f.staff(a, "保管员", [Role.SEAL_CUSTODIAN])
    w["seal_custodian"] = custodian
    seal = services.create_seal(community=a, kind="committee", name="甲社区居民委员会", place="柜",
                                issued_on=dt.date(2024, 1, 1), custodian=custodian, acting_user=w["supervisor"].user)
    w["seal"] = seal
    lost = services.create_seal(community=a, kind="station", name="甲社区服务站", place="柜",
                                issued_on=dt.date(2024, 1, 1), custodian=custodian, acting_user=w["supervisor"].user)
    services.report_loss(lost, circumstances="遗失", acting_user=custodian.user)
    w["seal_lost"] = lost
    today = timezone.localdate()
    w["seal_notice"] = services.record_notice(lost, posted_from=today, posted_until=today + dt.timedelta(days=30),
                                              acting_user=w["supervisor"].user)
    person = f.person(a, "赵六")
    w["seal_pending"] = services.request_use(seal=seal, use_kind="notice", matter="通知", acting_user=w["staff_a"].user)
    cert = services.request_certificate(community=a, person=person, kind="residence", purpose="入学",
                                        acting_user=w["staff_a"].user)
    step = approvals.steps_for(cert.use).get()
    approvals.decide(step.pk, acting_user=w["director_a"].user, approve=True)
    services.stamp(cert.use, acting_user=custodian.user)
    cert.refresh_from_db()
    w["seal_cert"] = cert
    new_custodian = f.staff(a, "新保管员", [Role.SEAL_CUSTODIAN])
    w["seal_handover"] = services.start_handover(seal=seal, took_office_on=today, new_custodian=new_custodian,
                                                 acting_user=w["director_a"].user)


N, D = 404, 403
seal = lambda w: [w["seal"].pk]  # noqa: E731
use = lambda w: [w["seal_pending"].pk]  # noqa: E731
cert = lambda w: [w["seal_cert"].pk]  # noqa: E731
handover = lambda w: [w["seal_handover"].pk]  # noqa: E731
community_only = {"street": D}

add("seals_home", everyone())
add("seals_seal_new", everyone(D, street=200))
add("seals_seal", everyone(200, staff_b=N), args=seal)
add("seals_seal_custodian", everyone(200, staff_a=D, staff_b=N, deputy_a=200), args=seal)
add("seals_seal_loss", everyone(302, staff_b=N), method="post", args=seal, data=lambda w: {"reason": "遗失"})
add("seals_seal_replace", everyone(D, street=200), args=seal)
add("seals_seal_notice", everyone(D, street=200), args=lambda w: [w["seal_lost"].pk])
add("seals_notice_pdf", everyone(200, staff_b=N), args=lambda w: [w["seal_notice"].pk])
add("seals_handover_new", everyone(200, staff_a=D, staff_b=N, deputy_a=200), args=seal)
add("seals_handover", everyone(200, staff_b=N), args=handover)
add("seals_handover_give", everyone(302, staff_b=N), method="post", args=handover)
add("seals_handover_receive", everyone(302, staff_b=N), method="post", args=handover)
add("seals_use_new", everyone(200, **community_only))
add("seals_use", everyone(200, staff_b=N), args=use)
add("seals_use_stamp", everyone(302, staff_b=N), method="post", args=use)
add("seals_use_withdraw", everyone(302, staff_b=N), method="post", args=use)
add("seals_use_void", everyone(302, staff_b=N), method="post", args=use, data=lambda w: {"reason": "不用了"})
add("seals_use_document", everyone(N), args=use, note="no document: 404 for everybody")
add("seals_certificate_new", everyone(200, **community_only))
add("seals_certificate", everyone(200, staff_b=N), args=cert)
add("seals_certificate_pdf", everyone(200, staff_b=N), args=cert)
add("seals_certificate_void", everyone(302, staff_b=N), method="post", args=cert, data=lambda w: {"reason": "错误"})
add("seals_templates", everyone())
add("seals_template_edit", everyone(D, street=200), args=lambda w: ["residence"])
add("seals_register", everyone())
add("seals_register_pdf", everyone())
add("seals_register_xlsx", everyone())
# public: no login, never a 404 or 500 for an unknown code
add("seals_verify", everyone(200, anon=200))
add("seals_verify_code", everyone(200, anon=200), args=lambda w: [w["seal_cert"].code])
add("seals_verify_code", everyone(200, anon=200), args=lambda w: ["NO-SUCH-CODE"], note="unknown code")

__all__ = ["LOGIN"]
