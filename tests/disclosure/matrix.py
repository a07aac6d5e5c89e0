"""Permission-matrix entries of the disclosure chapter: every URL × persona, the public board included
(anonymous visitors get 200 there)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from committee import approvals
from disclosure import services
from tests.matrix import add, community_roles, everyone, world_builder


@world_builder
def disclosure_world(w):
    a, staff, director = w["a"], w["staff_a"], w["director_a"]
    today = timezone.localdate()

    def approved(title):
        n = services.create_free_text(community=a, category_key="other", title=title, body="正文。",
                                      acting_user=staff.user)
        services.submit(n, acting_user=staff.user)
        step = approvals.steps_for(n).get()
        approvals.decide(step.pk, acting_user=director.user, approve=True)
        n.refresh_from_db()
        return n

    w["dis_draft"] = services.create_free_text(community=a, category_key="other", title="草稿", body="正文。",
                                               acting_user=staff.user)
    w["dis_approved"] = approved("已批准")
    w["dis_issued"] = services.issue(approved("已发布"), posted_from=today, posted_until=today + dt.timedelta(days=9),
                                     acting_user=staff.user, base_url="http://testserver")


N, D = 404, 403
draft = lambda w: [w["dis_draft"].pk]  # noqa: E731
approved = lambda w: [w["dis_approved"].pk]  # noqa: E731
issued = lambda w: [w["dis_issued"].pk]  # noqa: E731
public = lambda w: [w["a"].code, w["dis_issued"].code]  # noqa: E731

add("disclosure_home", everyone())
add("disclosure_compose", everyone(200, street=D))
add("disclosure_new", everyone(200, street=D))
add("disclosure_cadence", everyone())
add("disclosure_category", everyone(D, street=200), args=lambda w: ["finance"])
add("disclosure_notice", everyone(200, staff_b=N), args=issued)
add("disclosure_edit", everyone(D, staff_a=200, staff_b=N, **community_roles(D)), args=draft)  # CTL-5: its author
add("disclosure_submit", everyone(302, staff_b=N), method="post", args=draft)
add("disclosure_withdraw", everyone(302, staff_b=N), method="post", args=draft)
add("disclosure_issue", everyone(200, staff_b=N, street=D), args=approved)
add("disclosure_take_down", everyone(302, staff_b=N), method="post", args=issued, data=lambda w: {"reason": "错误"})
add("disclosure_correct", everyone(302, staff_b=N), method="post", args=issued)
add("disclosure_pdf", everyone(200, staff_b=N), args=issued)
# public, no login
add("disclosure_board", everyone(200, anon=200), args=lambda w: [w["a"].code])
add("disclosure_board_notice", everyone(200, anon=200), args=public)
add("disclosure_board_pdf", everyone(200, anon=200), args=public)
