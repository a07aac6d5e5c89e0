"""Permission-matrix entries of the archives chapter: every URL × persona. Community A has an archivist,
a cabinet, an item with a file, a loan and a handover to a new archivist; staff of B get 404 for each."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from archives import services
from archives.models import Category
from committee.models import Role
from tests import factories as f
from tests.matrix import LOGIN, add, everyone, roles, world_builder


@world_builder
def archives_world(w):
    from tests.archives.conftest import text_pdf

    a = w["a"]
    services.ensure_categories()  # a flushed database (after a browser test) has no categories left
    # the matrix's archivist persona when there is one (two archivists without a handover have no rights)
    archivist = w.get("personas", {}).get("archivist_a") or f.staff(a, "档案员", [Role.ARCHIVIST])
    w["archivist"] = archivist
    cabinet = services.save_cabinet(community=a, name="1号柜", place="档案室", fire="灭火器", light="窗帘",
                                    damp="除湿机", theft="锁", acting_user=archivist.user)
    item = services.file_item(community=a, year=timezone.localdate().year, category=Category.objects.get(key="reports"),
                              title="工作总结", date=timezone.localdate(), responsible="居委会", cabinet=cabinet,
                              upload=SimpleUploadedFile("a.pdf", text_pdf()), acting_user=archivist.user)
    w["arc_item"] = item
    w["arc_file"] = item.files.get()
    w["arc_loan"] = services.lend(item, borrower_name="王五", purpose="查阅", due_on=timezone.localdate(),
                                  acting_user=archivist.user)
    new = f.staff(a, "新档案员", [Role.ARCHIVIST], start=timezone.localdate())
    w["arc_handover"] = services.start_handover(community=a, outgoing=archivist, incoming=new,
                                                acting_user=w["director_a"].user)


N, D = 404, 403
item = lambda w: [w["arc_item"].pk]  # noqa: E731
volume = lambda w: [w["arc_item"].volume_id]  # noqa: E731
handover = lambda w: [w["arc_handover"].pk]  # noqa: E731
# ARC-1: only the archivist (archivist_a, with archive rights) files and writes; staff of B: 403 before any lookup
nobody = everyone(D, archivist_a=200)
# the files themselves: the archivist, the director, deputy and party secretary, and the street office
READERS = roles(200, "archivist_a", "deputy_a", "secretary_a")

add("archives_home", everyone())
add("archives_catalogue_xlsx", everyone())
add("archives_item_new", nobody)
add("archives_item", everyone(200, staff_b=N), args=item)
add("archives_item_version", everyone(D, staff_b=N, archivist_a=200), args=item)
add("archives_item_copy", everyone(200, staff_a=D, staff_b=N, **READERS), args=item)
add("archives_lend", everyone(D, director_a=200, archivist_a=200, staff_b=N), args=item)  # ARC-5
add("archives_file", everyone(200, staff_a=D, staff_b=N, **READERS), args=lambda w: [w["arc_file"].pk])
add("archives_volumes", everyone())
add("archives_volume", everyone(200, staff_b=N), args=volume)
add("archives_volume_pdf", everyone(200, staff_b=N), args=volume)
add("archives_cabinets", everyone())
add("archives_cabinet_new", nobody)
add("archives_offers", everyone())
add("archives_offer_file", everyone(D, archivist_a=302), method="post", data=lambda w: {"source": "meetings.minutes", "key": "1"})
add("archives_year_filed", everyone(D, archivist_a=302), method="post")
add("archives_loans", everyone())
add("archives_loans_pdf", everyone())
add("archives_loans_xlsx", everyone())
add("archives_loan_return", everyone(302, staff_b=N), method="post", args=lambda w: [w["arc_loan"].pk])
add("archives_handovers", everyone())
add("archives_handover_new", everyone(D, director_a=200, archivist_a=200))  # ARC-6
add("archives_handover", everyone(200, staff_b=N), args=handover)
add("archives_handover_sign", everyone(302, staff_b=N), method="post", args=handover)
add("archives_handover_pdf", everyone(200, staff_b=N), args=handover)

__all__ = ["LOGIN"]
