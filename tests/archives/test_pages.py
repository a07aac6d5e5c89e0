"""The archives pages: bad input gets a clear message beside its field and saves nothing; files served only
after their checksum; PDFs (text, embedded CJK font, PDF/A of the inventory); Excel formula-neutralised; the
catalogue lists and searches with a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from archives import services
from archives.models import Category, IntegrityFailure, Item, Loan
from committee.models import Role
from tests import factories as f
from tests.archives.conftest import file_one, text_pdf, upload
from tests.conftest import login

pytestmark = pytest.mark.django_db


def _fonts(reader):
    found = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            for desc in font.get_object().get("/DescendantFonts", []):
                d = desc.get_object().get("/FontDescriptor")
                if d is not None and ("/FontFile2" in d or "/FontFile3" in d):
                    found.add(str(desc.get_object()["/BaseFont"]))
    return found


def _form(**kw):
    data = {"year": timezone.localdate().year, "category": Category.objects.get(key="reports").pk,
            "title": "年度工作总结", "date": timezone.localdate().isoformat(), "responsible": "居委会", "pages": 2,
            "medium": "paper", "shelf": "", "note": "", "late_reason": ""}
    data.update(kw)
    return data


def test_ctl_7_an_html_file_named_pdf_is_refused_beside_the_field_and_the_form_keeps_what_was_typed(
        community_a, archivist_a):
    evil = upload("report.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "application/pdf")
    response = login(archivist_a).post(reverse("archives_item_new"), _form(upload=evil))
    assert response.status_code == 200
    body = response.content.decode()
    assert "CTL-7" in body and "年度工作总结" in body
    assert not Item.objects.exists()


def test_arc_3_filing_into_a_closed_year_without_a_reason_is_refused_on_the_page(community_a, archivist_a):
    old = timezone.localdate().year - 2
    client = login(archivist_a)
    response = client.post(reverse("archives_item_new"), _form(year=old, date=f"{old}-05-01"))
    assert response.status_code == 200 and "ARC-3" in response.content.decode() and not Item.objects.exists()
    response = client.post(reverse("archives_item_new"), _form(year=old, date=f"{old}-05-01", late_reason="迁址找到"))
    item = Item.objects.get()
    assert response.status_code == 302 and item.late


def test_arc_5_lending_an_item_on_loan_and_a_due_date_before_the_loan_date_are_refused_on_the_page(
        community_a, archivist_a):
    item = file_one(community_a, archivist_a)
    client = login(archivist_a)
    url = reverse("archives_lend", args=[item.pk])
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    response = client.post(url, {"borrower_name": "王五", "purpose": "查阅", "due_on": yesterday})
    assert response.status_code == 200 and "ARC-5" in response.content.decode() and "王五" in response.content.decode()
    assert not Loan.objects.exists()
    client.post(url, {"borrower_name": "王五", "purpose": "查阅", "due_on": timezone.localdate().isoformat()})
    response = client.post(url, {"borrower_name": "赵六", "purpose": "查阅", "due_on": timezone.localdate().isoformat()})
    assert response.status_code == 200 and "ARC-5" in response.content.decode()
    assert Loan.objects.count() == 1


def test_ctl_8_formulas_and_control_characters_in_fields(community_a, archivist_a):
    client = login(archivist_a)
    response = client.post(reverse("archives_item_new"), _form(title="总结\x07结"))
    assert response.status_code == 200 and "CTL-8" in response.content.decode() and not Item.objects.exists()
    item = file_one(community_a, archivist_a, title="=HYPERLINK(\"http://x\")")
    services.lend(item, borrower_name="=1+1", purpose="@SUM(A1)", due_on=timezone.localdate(),
                  acting_user=archivist_a.user)
    for name in ("archives_catalogue_xlsx", "archives_loans_xlsx"):
        book = openpyxl.load_workbook(io.BytesIO(client.get(reverse(name)).content))
        cells = [c.value for row in book.active.iter_rows(min_row=2) for c in row if isinstance(c.value, str)]
        assert cells and not any(v.startswith(("=", "@")) for v in cells)


def test_a_tampered_file_is_refused_at_download_and_reported(community_a, archivist_a, director_a):
    item = file_one(community_a, archivist_a, upload_file=upload())
    stored = item.files.get()
    client = login(director_a)
    url = reverse("archives_file", args=[stored.pk])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    with open(stored.file.path, "r+b") as handle:
        handle.seek(20)
        handle.write(b"X")
    response = client.get(url, follow=True)
    assert "校验值不符" in response.content.decode()
    assert IntegrityFailure.objects.filter(file=stored, by=director_a).count() == 1


def test_another_communitys_item_and_file_answer_404(community_a, archivist_a, staff_b, director_b):
    item = file_one(community_a, archivist_a, upload_file=upload())
    for who in (staff_b, director_b):
        client = login(who)
        assert client.get(reverse("archives_item", args=[item.pk])).status_code == 404
        assert client.get(reverse("archives_file", args=[item.files.get().pk])).status_code == 404


def test_arc_6_a_handover_signed_by_someone_not_holding_the_role_is_refused_on_the_page(
        community_a, archivist_a, director_a):
    new = f.staff(community_a, "新档案员", [Role.ARCHIVIST], start=timezone.localdate())
    h = services.start_handover(community=community_a, outgoing=archivist_a, incoming=new, acting_user=director_a.user)
    response = login(director_a).post(reverse("archives_handover_sign", args=[h.pk]), follow=True)
    assert "ARC-6" in response.content.decode()
    h.refresh_from_db()
    assert h.outgoing_signed_at is None and h.incoming_signed_at is None
    pdf = login(director_a).get(reverse("archives_handover_pdf", args=[h.pk]))
    reader = PdfReader(io.BytesIO(pdf.content))
    assert b"pdfaid" in reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    text = "".join(p.extract_text() for p in reader.pages)
    assert "档案移交清单" in text and new.name in text and "ARC-" not in text


def test_volume_catalogue_and_copy_pdfs(community_a, archivist_a, director_a):
    item = file_one(community_a, archivist_a, title="居民代表会议决议")
    client = login(director_a)
    reader = PdfReader(io.BytesIO(client.get(reverse("archives_volume_pdf", args=[item.volume_id])).content))
    text = "".join(p.extract_text() for p in reader.pages)
    assert "卷内目录" in text and "居民代表会议决议" in text and "ARC-" not in text
    assert any("CJK" in name for name in _fonts(reader))
    reader = PdfReader(io.BytesIO(client.get(reverse("archives_item_copy", args=[item.pk])).content))
    text = "".join(p.extract_text() for p in reader.pages)
    assert "复印件" in text and item.number in text
    reader = PdfReader(io.BytesIO(client.get(reverse("archives_loans_pdf")).content))
    assert "借阅登记簿" in "".join(p.extract_text() for p in reader.pages)


def test_search_finds_titles_and_the_text_of_pdfs(community_a, archivist_a, staff_a):
    file_one(community_a, archivist_a, title="防汛预案", upload_file=upload(content=text_pdf("flood drill schedule")))
    file_one(community_a, archivist_a, title="会议签到表")
    client = login(staff_a)
    body = client.get(reverse("archives_home"), {"q": "flood drill"}).content.decode()
    assert "防汛预案" in body and "会议签到表" not in body
    assert "防汛预案" in client.get(reverse("archives_home"), {"q": "防汛"}).content.decode()


def _bulk(community, archivist, n):
    from archives.models import Volume

    volume = Volume.objects.filter(community=community).first() or services.volume_for(
        community, timezone.localdate().year, Category.objects.get(key="reports"), archivist.user)
    start = volume.last_item
    Item.objects.bulk_create([Item(community=community, volume=volume, seq=start + k + 1, title=f"文件{k}",
                                   date=timezone.localdate(), responsible="居委会", filed_at=timezone.now(),
                                   filed_by=archivist) for k in range(n)])
    volume.last_item = start + n
    volume.save()


def test_the_catalogue_lists_and_searches_with_a_fixed_number_of_queries(
        community_a, archivist_a, staff_a, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(staff_a)
    _bulk(community_a, archivist_a, 3)
    counts = []
    for more in (0, 120):
        _bulk(community_a, archivist_a, more)
        for params in ({}, {"q": "文件1"}):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(reverse("archives_home"), params).status_code == 200
            counts.append(len(ctx.captured_queries))
    assert counts[:2] == counts[2:], counts


def test_ctl_7_a_legacy_html_archive_file_is_served_as_a_sandboxed_download(community_a, archivist_a, director_a):
    """An HTML page stored before the upload checks (its checksum recorded) is never shown inline: it is a
    download of type application/octet-stream, nosniff, sandboxed (CTL-7), like the attendance sick notes."""
    import hashlib

    item = file_one(community_a, archivist_a, upload_file=upload())
    stored = item.files.get()
    html = b"<html><body><script>alert(document.cookie)</script></body></html>"
    with open(stored.file.path, "wb") as handle:
        handle.write(html)
    type(stored).objects.filter(pk=stored.pk).update(file_sha256=hashlib.sha256(html).hexdigest())
    response = login(director_a).get(reverse("archives_file", args=[stored.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
