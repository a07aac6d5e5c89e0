"""Demo data of the archives chapter (idempotent: a community that already has a cabinet gets nothing new).

Per community: two cabinets with their protection (ARC-4); items of last year and this year in several
categories (one with a PDF file, one a late entry 补记); one loan overdue, one on loan, one returned
(ARC-5); the product's own records of last year left waiting on the year-end filing page (ARC-7), except
one filed to show the PDF/A frozen with its checksum."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation

from archives import services
from archives.models import Cabinet, Category, Loan
from committee.models import Community, Staff, StreetOffice


def simple_pdf(text: str) -> bytes:
    """A one-page PDF with a line of (ASCII) text, built by hand (demo files; no rendering)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


def _s(code: str, suffix: str) -> Staff | None:
    return Staff.objects.filter(user__username=f"{code}.{suffix}").select_related("user").first()


def load(stdout=None) -> None:
    with translation.override("zh-hans"):
        _load(stdout)


@transaction.atomic
def _load(stdout=None) -> None:
    street = StreetOffice.objects.filter(code="changan").first()
    if street is None:
        return
    today = timezone.localdate()
    this, last = today.year, today.year - 1
    services.ensure_categories()
    cat = {c.key: c for c in Category.objects.all()}
    for community in Community.objects.filter(street_office=street).order_by("pk"):
        if Cabinet.objects.filter(community=community).exists():
            continue
        archivist, director, member = (_s(community.code, "archivist"), _s(community.code, "director"),
                                       _s(community.code, "member"))
        if archivist is None or not services.archive_rights(archivist, community):
            continue
        user = archivist.user
        one = services.save_cabinet(community=community, name="1号档案柜", place="二楼档案室",
                                    fire="干粉灭火器一具，室内禁烟", light="遮光窗帘，柜门常闭",
                                    damp="除湿机，每周记录温湿度", theft="铁皮柜加锁，钥匙由档案员保管", acting_user=user)
        two = services.save_cabinet(community=community, name="2号档案柜", place="二楼档案室",
                                    fire="干粉灭火器一具", light="柜门常闭", damp="防潮剂，每季度更换",
                                    theft="铁皮柜加锁", acting_user=user)
        late = today > services.filing_deadline(community, last)
        reason = "上年度材料整理时遗漏，现补记" if late else ""
        items = [
            (last, "reports", f"{last}年社区工作总结", dt.date(last, 12, 20), one, "第1层", True),
            (last, "reports", f"{last}年社区工作计划", dt.date(last, 1, 10), one, "第1层", False),
            (last, "petitions", f"{last}年信访登记簿", dt.date(last, 12, 31), one, "第2层", False),
            (last, "honours", f"{last}年度“文明社区”奖状", dt.date(last, 11, 5), two, "第1层", False),
            (last, "media", f"{last}年重阳节活动照片", dt.date(last, 10, 11), two, "第2层", False),
            (this, "street_documents", f"街道关于{this}年垃圾分类工作的通知", dt.date(this, 3, 2), one, "第3层", True),
            (this, "ledgers", f"{this}年居民花名册", dt.date(this, 6, 30), one, "第3层", False),
            (this, "clippings", "社区志愿服务见报剪报", dt.date(this, 5, 18), two, "第1层", False),
        ]
        filed = []
        for year, key, title, date, cabinet, shelf, with_file in items:
            upload = ContentFile(simple_pdf(f"{community.code} {title.encode('ascii', 'ignore').decode()} archive"),
                                 name=f"{key}-{year}.pdf") if with_file else None
            filed.append(services.file_item(
                community=community, year=year, category=cat[key], title=title, date=date,
                responsible=community.committee_name or community.name, pages=4 if with_file else 1,
                medium="electronic" if with_file else "paper", cabinet=cabinet, shelf=shelf,
                late_reason=reason if year == last else "", upload=upload, acting_user=user))
        # ARC-5: one loan overdue (lent three weeks ago, due a week ago), one on loan, one returned
        overdue = services.lend(filed[2], borrower_name="刘建国", borrower_unit="区民政局", purpose="核对信访件办理情况",
                                due_on=today, acting_user=user)
        Loan.objects.filter(pk=overdue.pk).update(lent_on=today - dt.timedelta(days=21),
                                                  due_on=today - dt.timedelta(days=7))  # demo: an old loan
        services.lend(filed[0], borrower=member, purpose="撰写今年总结时参考", due_on=today + dt.timedelta(days=10),
                      acting_user=user) if member else None
        back = services.lend(filed[6], borrower_name="王芳", borrower_unit="街道社区办", purpose="人口统计",
                             due_on=today + dt.timedelta(days=3), acting_user=user)
        services.return_loan(back, acting_user=(director or archivist).user)
        # ARC-7: one of last year's product records filed, the others left waiting on the filing page
        for year in (last, this):
            waiting = services.pending_offers(community, year)
            if len(waiting) > 1:
                s, o = waiting[0]
                services.file_offer(community=community, year=year, source_key=s.key, offer_key=o.key,
                                    late_reason=(reason or "") if year == last else "", acting_user=user)
                break
        if stdout:
            stdout.write(f"  archives: {community.name}: 2 cabinets, {len(filed)} items, 3 loans")
