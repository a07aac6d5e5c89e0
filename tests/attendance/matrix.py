"""Permission-matrix entries of attendance: every URL × persona (see tests/matrix.py)."""

import datetime as dt

from django.utils import timezone

from attendance import rules, services
from attendance.models import SignIn
from committee import calendar
from tests.matrix import LOGIN, add, community_roles, everyone, roles, world_builder

N, D = 404, 403


@world_builder
def attendance_world(w):
    a, staff_a = w["a"], w["staff_a"]
    today = timezone.localdate()
    w["att_record"] = SignIn.objects.create(community=a, staff=staff_a, date=today - dt.timedelta(days=1),
                                            sign_in=dt.time(8, 10), sign_out=dt.time(17, 40))
    day = calendar.add_working_days(today, 5)
    w["att_leave"] = services.request_leave(staff=staff_a, kind="personal", start=day, start_half="am", end=day,
                                            end_half="am", reason="事", acting_user=staff_a.user)
    last = today
    while not calendar.is_working_day(last):
        last -= dt.timedelta(days=1)
    w["att_emergency"] = services.record_emergency(
        staff=staff_a, kind="sick", start=last, start_half="am", end=last, end_half="pm", reason="急病",
        acting_user=w["supervisor"].user)
    w["att_month"] = rules.previous_month(today)


def _ym(w):
    return list(w["att_month"])


# ATT-1: only the keepers (attendance keeper, director, party secretary) and the street office
KEEPER_ROLES = roles(200, "attendance_a", "secretary_a")
KEEPERS = dict(staff_a=D, staff_b=D, **KEEPER_ROLES)
KEEPERS_ACT = roles(302, "attendance_a", "secretary_a")
# staff_a's own month, leave and outing: the other community roles are not the owner (the keepers see them)
NOT_OWNER = community_roles(D, but=("attendance_a", "secretary_a"))
add("attendance_home", everyone())
add("attendance_sign", everyone(302), method="post", data=lambda w: {"action": "in"})
add("attendance_month_start", everyone(302, staff_a=D, staff_b=D, street=D, **KEEPERS_ACT), method="post")  # ATT-1: the keeper
add("attendance_month", everyone(200, **KEEPERS), args=_ym)
add("attendance_sheet_pdf", everyone(200, **KEEPERS), args=_ym)
add("attendance_sheet_xlsx", everyone(200, **KEEPERS), args=_ym)
add("attendance_sheet_sent", everyone(302, staff_a=D, staff_b=D, street=D, **KEEPERS_ACT), method="post", args=_ym,
    data=lambda w: {"sent_on": timezone.localdate().isoformat()})
add("attendance_person_month", everyone(200, staff_b=N, **NOT_OWNER), args=lambda w: [w["staff_a"].pk, *_ym(w)])
add("attendance_register", everyone(200, **KEEPERS))
add("attendance_record_add", everyone(200, staff_a=D, staff_b=D, street=D, **KEEPER_ROLES))
add("attendance_record_correct", everyone(200, staff_a=D, staff_b=N, street=D, **KEEPER_ROLES), args=lambda w: [w["att_record"].pk])
add("attendance_import", everyone(200, staff_a=D, staff_b=D, street=D, **KEEPER_ROLES))
add("attendance_leave_list", everyone())
add("attendance_leave_new", everyone(200, street=D))
add("attendance_emergency_new", everyone(D, street=200))
add("attendance_leave_detail", everyone(200, staff_b=N), args=lambda w: [w["att_leave"].pk])
add("attendance_leave_withdraw", everyone(302, staff_b=N), method="post", args=lambda w: [w["att_leave"].pk])
add("attendance_leave_edit", everyone(200, director_a=D, staff_b=N, street=D, **community_roles(D, but=("attendance_a",))),  # CTL-5: the requester or the keeper
    args=lambda w: [w["att_leave"].pk])
add("attendance_leave_file", everyone(200, staff_b=N, street=D, **NOT_OWNER), args=lambda w: [w["att_emergency"].pk])
add("attendance_inspections", everyone())
add("attendance_inspection_new", everyone(D, street=200))
add("attendance_flags", everyone(200, **KEEPERS))
add("attendance_flag_review", everyone(D, street=302), method="post",
    args=lambda w: [w["staff_a"].pk, timezone.localdate().year], data=lambda w: {"decision": "keep", "note": "病愈"})

__all__ = ["LOGIN"]


@world_builder
def attachment_world(w):
    from django.core.files.base import ContentFile

    w["att_leave"].attachment.save("sick-note.pdf", ContentFile(b"%PDF-1.4\n" + "病假证明".encode()), save=True)


add("attendance_leave_attachment", everyone(200, staff_b=N, **NOT_OWNER), args=lambda w: [w["att_leave"].pk])
