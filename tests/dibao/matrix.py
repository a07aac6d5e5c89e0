"""Permission-matrix entries of the dibao chapter. Details only for dibao roles: the director of A works the
cases, the street office's department head supervises (reads), a committee member of A without a dibao role
gets 403, community B's member gets 404 for A's records and 403 on the lists."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from dibao import services
from tests.dibao import helpers as h
from tests.matrix import add, everyone, roles, world_builder

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@world_builder
def dibao_world(w):
    a = w["a"]
    officer = h.officer(a)
    body = h.panel(a, officer.user)
    c = h.case(a, officer.user)
    w["dibao_case"] = c
    w["dibao_member"] = c.members.first()
    w["dibao_panel_member"] = body.members.first()
    w["dibao_document"] = services.add_document(
        c, title="收入证明", file=SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf"),
        acting_user=officer.user)


N, D = 404, 403
case = lambda w: [w["dibao_case"].pk]  # noqa: E731
# DB: the cases are worked by the dibao officer, the civil-affairs member and the director; the street office's
# department head and street leader supervise (read); no other street-office role sees a case.
WORKERS = roles(200, "dibao_a", "civil_a")
NOT_SUPERVISING = roles(D, "instructor", "building", "finance", "discipline", "sysadmin")
lists = everyone(200, staff_a=D, staff_b=D, **WORKERS, **NOT_SUPERVISING)
details = everyone(200, staff_a=D, staff_b=N, **WORKERS, **NOT_SUPERVISING)
work = everyone(200, staff_a=D, staff_b=N, street=D, **WORKERS)
post = everyone(302, staff_a=D, staff_b=N, street=D, **roles(302, "dibao_a", "civil_a"))

add("dibao_home", lists)
add("dibao_case_new", everyone(200, staff_a=D, staff_b=D, street=D, **WORKERS))
add("dibao_case", details, args=case)
add("dibao_case_reveal", details, method="post", args=case)
add("dibao_case_status", post, method="post", args=case, data=lambda w: {"to": "under_review", "reason": "材料齐全"})
add("dibao_member_add", work, args=case)
add("dibao_member_income", work, args=lambda w: [w["dibao_member"].pk])
add("dibao_visit_new", work, args=case)
add("dibao_review_new", work, args=case)
add("dibao_document_add", work, args=case)
add("dibao_document", details, args=lambda w: [w["dibao_document"].pk])
add("dibao_worklist", lists)
add("dibao_panel", lists)
add("dibao_panel_category", post, method="post", args=lambda w: [w["dibao_panel_member"].pk],
    data=lambda w: {"category": "resident"})
add("dibao_standards", lists)
add("dibao_export", lists)
# who saw which case: the supervisors and the audit readers (纪检, 系统管理员: CTL-9)
add("dibao_access", everyone(D, street=200, instructor=D, building=D, finance=D))
