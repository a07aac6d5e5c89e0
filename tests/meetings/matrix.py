"""Permission-matrix entries of the meetings app: every URL × persona."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from meetings import services
from meetings.models import Attachment, BodyKind
from tests.matrix import LOGIN, add, everyone, roles, world_builder


@world_builder
def meetings_world(w):
    user = w["director_a"].user
    today = timezone.localdate()
    body = services.create_body(community=w["a"], kind=BodyKind.REPRESENTATIVES, name="居民代表会议", acting_user=user)
    for i in range(3):
        services.add_member(body, name=f"代表{i}", start=dt.date(2020, 1, 1), acting_user=user)
    w["mtg_body"] = body
    w["mtg_member"] = body.members.first()
    w["mtg_planned"] = services.create_meeting(body, title="计划", date=today + dt.timedelta(days=3), acting_user=user)
    held = services.create_meeting(body, title="已开", date=today, acting_user=user)
    keys = [p["key"] for p in services.expected_participants(held)]
    held = services.record_roll_call(held, {k: "present" for k in keys}, acting_user=user)
    w["mtg_held"] = held
    w["mtg_decision"] = services.record_decision(held, title="决定", votes_for=3, votes_against=0, votes_abstain=0,
                                                 acting_user=user)
    services.save_minutes(held, text="纪要", acting_user=user)
    att = Attachment(meeting=held, title="附件", uploaded_by=user)
    att.file.save("matrix.pdf", ContentFile(b"%PDF-1.4\nx"), save=True)
    w["mtg_attachment"] = att
    # a street regular meeting next month, and a leave request of community A
    nxt = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    w["mtg_regular"] = services.ensure_regular_meetings(w["street"], nxt.year, nxt.month, acting_user=w["supervisor"].user)[0]
    from committee.models import Role
    from tests import factories as f

    dibao = f.staff(w["a"], "低保员", [Role.DIBAO_OFFICER])
    w["mtg_leave"] = services.request_leave(w["mtg_regular"], staff=dibao, reason="就医", acting_user=dibao.user)


N = 404
D = 403
body = lambda w: [w["mtg_body"].pk]  # noqa: E731
planned = lambda w: [w["mtg_planned"].pk]  # noqa: E731
held = lambda w: [w["mtg_held"].pk]  # noqa: E731
# MTG: meeting bodies and their members are managed by the director, deputy and party secretary (and the street)
MANAGERS = roles(200, "deputy_a", "secretary_a")

add("meetings_home", everyone())
add("meetings_body_new", everyone(200, staff_a=D, staff_b=D, street=302, **MANAGERS))
add("meetings_body", everyone(200, staff_b=N), args=body)
add("meetings_body_edit", everyone(200, staff_a=D, staff_b=N, **MANAGERS), args=body)
add("meetings_member_add", everyone(200, staff_a=D, staff_b=N, **MANAGERS), args=body)
add("meetings_members_bulk", everyone(200, staff_a=D, staff_b=N, **MANAGERS), args=body)
add("meetings_member_end", everyone(302, staff_a=D, staff_b=N, **roles(302, "deputy_a", "secretary_a")), method="post", args=lambda w: [w["mtg_member"].pk],
    data=lambda w: {"end": "2030-01-01"})
add("meetings_meeting_new", everyone(200, staff_b=N), args=body)
add("meetings_quick", everyone(200, staff_b=N), args=body)
add("meetings_meeting", everyone(200, staff_b=N), args=held)
add("meetings_meeting", everyone(200), args=lambda w: [w["mtg_regular"].pk], note="street regular meeting")
add("meetings_meeting_edit", everyone(200, staff_b=N), args=planned)
add("meetings_meeting_cancel", everyone(302, staff_b=N), method="post", args=planned, data=lambda w: {"reason": "改期"})
add("meetings_roll_call", everyone(200, staff_b=N), args=held)
add("meetings_roll_call", everyone(D, street=200), args=lambda w: [w["mtg_regular"].pk],
    note="street regular meeting: the street office hosts")
add("meetings_agenda_add", everyone(200, staff_b=N), args=held)
add("meetings_decision_add", everyone(200, staff_b=N), args=held)
add("meetings_decision_void", everyone(302, staff_b=N), method="post", args=lambda w: [w["mtg_decision"].pk],
    data=lambda w: {"reason": "录入错误"})
add("meetings_minutes", everyone(200, staff_b=N), args=held)
add("meetings_minutes_close", everyone(302, staff_b=N), method="post", args=held)
add("meetings_minutes_pdf", everyone(200, staff_b=N), args=held)
add("meetings_attachment_add", everyone(200, staff_b=N), args=held)
add("meetings_attachment", everyone(200, staff_b=N), args=lambda w: [w["mtg_attachment"].pk])
add("meetings_leave_new", everyone(200), args=lambda w: [w["mtg_regular"].pk])
add("meetings_leave", everyone(200, staff_b=N), args=lambda w: [w["mtg_leave"].pk])
add("meetings_regular", everyone())
add("meetings_calendar", everyone())
add("meetings_regular_prepare", everyone(302), method="post", args=lambda w: [2026, 10])
add("meetings_deductions", everyone())
__all__ = ["LOGIN"]
