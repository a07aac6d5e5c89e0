"""Permission-matrix entries of the shared core."""

import datetime as dt

from committee.models import Approval, RoleAssignment
from tests import factories as f
from tests.matrix import LOGIN, add, community_roles, everyone, roles, street_roles, world_builder


@world_builder
def core_world(w):
    a = w["a"]
    w["person_a"] = f.person(a, "王五")
    w["role_a"] = RoleAssignment.objects.get(staff=w["staff_a"])


N = 404
D = 403
# CTL-1, CTL-3: staff, roles and logins are managed by the street office's account holders (department head,
# 系统管理员) and a community's director; CTL-4: the wage also by the street office's finance
HOLDERS_ONLY = street_roles(D, but=("sysadmin",))
add("home", {"anon": LOGIN, "staff_a": 302, "director_a": 302, "staff_b": 302, "street": 302})
add("login", {"anon": 200, "staff_a": 302, "director_a": 302, "staff_b": 302, "street": 302})
add("logout", {p: 302 for p in ("anon", "staff_a", "director_a", "staff_b", "street")}, method="post")
add("dashboard", everyone())
add("switch_community", everyone(302, staff_b=404), method="post", data=lambda w: {"community": w["a"].pk})
add("staff_list", everyone())
add("staff_create", everyone(200, staff_a=D, staff_b=D, **HOLDERS_ONLY))
add("staff_detail", everyone(200, staff_b=N), args=lambda w: [w["staff_a"].pk])
add("staff_edit", everyone(200, staff_a=D, staff_b=N, **street_roles(D, but=("sysadmin", "finance"))), args=lambda w: [w["staff_a"].pk])
add("role_add", everyone(200, staff_a=D, staff_b=N, **HOLDERS_ONLY), args=lambda w: [w["staff_a"].pk])
add("role_list", everyone())
add("role_end", everyone(302, staff_a=D, staff_b=N, **HOLDERS_ONLY), method="post", args=lambda w: [w["role_a"].pk],
    data=lambda w: {"end": "2030-01-01"})
add("policy", everyone())
add("policy_edit", everyone(200, staff_a=D, director_a=D, staff_b=D), args=lambda w: ["att.late_fee"])
add("rules", everyone())
add("calendar", everyone())
add("calendar_year", everyone(), args=lambda w: [2026])
add("calendar_add_day", everyone(302, staff_a=D, director_a=D, staff_b=D), method="post", args=lambda w: [2027],
    data=lambda w: {"date": "2027-01-01", "kind": "holiday", "name": "元旦"})
add("calendar_confirm", everyone(302, staff_a=D, director_a=D, staff_b=D), method="post", args=lambda w: [2027])
add("calendar_load", everyone(302, staff_a=D, director_a=D, staff_b=D), method="post", args=lambda w: [2026])
add("inbox", everyone())
add("inbox_done", everyone())
add("history", everyone(200, staff_b=N), args=lambda w: ["committee", "person", w["person_a"].pk],
    note="person")
add("history", everyone(200, staff_b=N), args=lambda w: ["committee", "staff", w["staff_a"].pk], note="staff")


@world_builder
def approval_world(w):
    from committee import approvals
    from committee.models import Role

    # A request by staff_a that the director of A must approve.
    approvals.register(type(w["person_a"]))
    [step] = approvals.request_approval(
        w["person_a"], community=w["a"], steps=[approvals.Step(Role.DIRECTOR)], summary="测试审批",
        rule="ORG-3", acting_user=w["staff_a"].user,
    )
    w["approval_a"] = step


add("approval_decide", everyone(302, staff_b=N), method="post", args=lambda w: [w["approval_a"].pk],
    data=lambda w: {"decision": "approve"})
add("approval_record", everyone(302, staff_b=N), args=lambda w: [w["approval_a"].pk])

__all__ = ["Approval"]

add("account_create", everyone(200, staff_a=D, staff_b=N, **HOLDERS_ONLY), args=lambda w: [w["unlinked_a"].pk])
add("account_reset", everyone(302, staff_a=D, staff_b=N, **HOLDERS_ONLY), method="post", args=lambda w: [w["staff_a"].pk])
add("password_change", everyone())


@world_builder
def unlinked_world(w):
    w["unlinked_a"] = f.staff(w["a"], "无账号", [], login=False)


@world_builder
def duty_world(w):
    import datetime as dt

    from django.utils import timezone

    from committee import duty
    from committee.models import AllOutNotice

    now = timezone.now()
    w["outing_a"] = duty.record_outing(
        community=w["a"], staff=w["staff_a"], kind="errand", purpose="银行", leaves_at=now - dt.timedelta(hours=1),
        back_at=now + dt.timedelta(hours=1), told=w["director_a"], acting_user=w["staff_a"].user)
    w["notice_a"] = AllOutNotice.objects.create(community=w["a"], date=timezone.localdate() + dt.timedelta(days=3),
                                                reason="培训", posted_on=timezone.localdate(), created_by=w["director_a"])
    w["incident_a"] = duty.record_incident(community=w["a"], kind="other", occurred_at=now, place="院内",
                                           description="测试", acting_user=w["staff_a"].user)


add("whereabouts", everyone())
add("outing_create", everyone(200, street=D))
# ORG-5: the person who went out (staff_a) or the one they told (the director) reports back
add("outing_back", everyone(302, staff_b=N, street=D, **community_roles(D)), method="post",
    args=lambda w: [w["outing_a"].pk], data=lambda w: {"report": "回来了"})
add("all_out_notices", everyone())
add("all_out_notice_pdf", everyone(200, staff_b=N), args=lambda w: [w["notice_a"].pk])
add("incident_list", everyone())
add("incident_reported", everyone(302, staff_b=N, street=D), method="post", args=lambda w: [w["incident_a"].pk],
    data=lambda w: {"reported_to": "街道"})


# --- CTL-3, CTL-9: closing a login, the audit trail ------------------------------------------------
add("account_close", everyone(302, staff_a=D, staff_b=N, **HOLDERS_ONLY), method="post", args=lambda w: [w["staff_a"].pk],
    data=lambda w: {"reason": "调离"})
add("audit_list", everyone(403, **roles(200, "discipline", "sysadmin")))  # CTL-9: 纪检 and 系统管理员 only


@world_builder
def notification_world(w):
    from committee.models import Notification

    w["notification_a"] = Notification.objects.create(
        recipient=w["staff_a"].user, day=dt.date(2026, 12, 4), key="k", kind=Notification.Kind.OVERDUE,
        community=w["a"], title="测试提醒", url="/dashboard/")


add("notification_list", everyone())
add("notifications_read_all", everyone(302), method="post")
# Only the recipient may mark a notification read; to everyone else it does not exist.
add("notification_read", everyone(404, staff_a=302, **community_roles(404)), method="post",
    args=lambda w: [w["notification_a"].pk])
# Issue 18, CTL-9: the director (own community) and the street office's readers; tests/committee/test_privacy.py
# instructor, building office and finance do not read them; B's director and the other street's department
# head read their own scope (200)
add("access_records", everyone(403, director_a=200, street=200, **roles(200, "leader", "discipline", "sysadmin"),
                                   **roles(403, "instructor", "building", "finance")),
    foreign=200)
