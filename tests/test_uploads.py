"""CTL-7: uploads are checked by content, stored under generated names with a checksum, and served so
that no file can run script in the product's origin."""

import datetime as dt
import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from attendance import services
from attendance.models import LeaveRequest
from committee import calendar, uploads
from tests.conftest import login

pytestmark = pytest.mark.django_db

HTML = b"<!doctype html><html><body><script>fetch('/inbox/')</script></body></html>"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def _docx() -> bytes:
    from openpyxl import Workbook

    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


def _leave_post(client, name, content, content_type="application/pdf"):
    day = calendar.add_working_days(dt.date.today(), 5)
    return client.post("/attendance/leave/new/", {
        "kind": "sick", "start": day.isoformat(), "start_half": "am", "end": day.isoformat(), "end_half": "am",
        "reason": "感冒", "attachment": SimpleUploadedFile(name, content, content_type=content_type)})


@pytest.mark.parametrize("name,content", [("note.pdf", HTML), ("note.html", HTML), ("note.svg", SVG),
                                          ("note.xhtml", HTML), ("note.pdf", SVG)])
def test_ctl_7_an_html_or_svg_sick_note_is_refused_even_renamed_pdf(client_a, name, content):
    response = _leave_post(client_a, name, content)
    assert response.status_code == 200
    assert "CTL-7" in response.content.decode()
    assert not LeaveRequest.objects.exists()


def test_ctl_7_a_file_above_the_size_limit_is_refused(client_a):
    response = _leave_post(client_a, "big.pdf", PDF + b"0" * (10 * 1024 * 1024))
    assert "CTL-7" in response.content.decode()
    assert not LeaveRequest.objects.exists()


def test_ctl_7_a_pdf_is_stored_under_a_generated_name_with_its_checksum(client_a, staff_a):
    response = _leave_post(client_a, "../../病假条.PDF.exe", PDF, content_type="text/html")
    assert response.status_code == 302
    leave = LeaveRequest.objects.get()
    name = leave.attachment.name
    assert name.startswith("attendance/leave/") and name.endswith(".pdf")
    assert ".." not in name and "exe" not in name
    parts = name.split("/")
    assert len(parts[3]) == 32  # uuid hex folder
    assert leave.attachment_sha256 == hashlib.sha256(PDF).hexdigest()
    served = login(staff_a).get(f"/attendance/leave/{leave.pk}/attachment/")
    assert served["Content-Type"] == "application/pdf"
    assert served["Content-Disposition"].startswith("attachment")  # CTL-7: never rendered in our origin
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Security-Policy"] == "sandbox; default-src 'none'"


@pytest.mark.parametrize("content,mime,ext", [(PNG, "image/png", "png"), (_docx(), None, "xlsx")])
def test_ctl_7_allowed_types_are_recognised_by_content(content, mime, ext):
    kind = uploads.check(ContentFile(content, name="whatever.txt"))
    assert kind.extension == ext
    if mime:
        assert kind.mime == mime and kind.inline
    else:
        assert not kind.inline


def test_ctl_7_saving_through_the_model_is_checked_too(staff_a):
    day = calendar.add_working_days(dt.date.today(), 5)
    leave = services.request_leave(staff=staff_a, kind="sick", start=day, start_half="am", end=day,
                                   end_half="am", reason="感冒", acting_user=staff_a.user)
    with pytest.raises(ValidationError) as e:
        leave.attachment.save("note.pdf", ContentFile(HTML), save=True)
    assert "CTL-7" in str(e.value)


@pytest.fixture
def legacy_html_leave(staff_a, director_a):
    """A sick note stored before the checks existed: an HTML page written to disk and named in the record."""
    day = calendar.add_working_days(dt.date.today(), 5)
    leave = services.request_leave(staff=staff_a, kind="sick", start=day, start_half="am", end=day,
                                   end_half="am", reason="感冒", acting_user=staff_a.user)
    name = default_storage.save("attendance/leave/2025/legacy-note.html", ContentFile(HTML))
    LeaveRequest.objects.filter(pk=leave.pk).update(attachment=name)
    yield leave
    default_storage.delete(name)


def test_ctl_7_a_legacy_html_attachment_is_served_as_a_sandboxed_download(legacy_html_leave, director_a):
    response = login(director_a).get(f"/attendance/leave/{legacy_html_leave.pk}/attachment/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"


def test_ctl_7_media_is_never_served(legacy_html_leave, director_a, settings):
    assert login(director_a).get("/media/attendance/leave/2025/legacy-note.html").status_code == 404
