"""CTL-7 in a real browser: a sick note stored as an HTML page (legacy data, from before the upload checks)
is opened by the approver; its script, which would read the inbox and approve every step, does not run."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from attendance import services
from attendance.models import LeaveRequest
from committee import calendar
from committee.models import Approval
from tests.conftest import browser_login

pytestmark = pytest.mark.browser

ATTACK = b"""<!doctype html><html><head><title>sick note</title></head><body>
<p>doctor's note</p>
<script>
document.title = "pwned";
fetch("/inbox/", {credentials: "include"}).then(function (r) { return r.text(); }).then(function (html) {
  var doc = new DOMParser().parseFromString(html, "text/html");
  doc.querySelectorAll("form[method=post]").forEach(function (form) {
    var data = new FormData(form);
    data.set("decision", "approve");
    data.set("action", "approve");
    fetch(form.action, {method: "POST", body: data, credentials: "include"});
  });
});
</script></body></html>"""


def test_ctl_7_the_approver_opens_a_legacy_html_sick_note_and_no_script_runs(transactional_db, page, staff_a,
                                                                              director_a):
    day = calendar.add_working_days(dt.date.today(), 5)
    leave = services.request_leave(staff=staff_a, kind="sick", start=day, start_half="am", end=day,
                                   end_half="am", reason="感冒", acting_user=staff_a.user)
    name = default_storage.save("attendance/leave/2025/note.html", ContentFile(ATTACK))
    LeaveRequest.objects.filter(pk=leave.pk).update(attachment=name)
    decided_before = Approval.objects.exclude(decided_at=None).count()
    try:
        browser_login(page, director_a)
        page.goto("/inbox/")
        inbox_before = page.locator("main").inner_text()
        console = []
        page.on("console", lambda message: console.append(message.text))
        with page.expect_download() as download:
            try:
                page.goto(f"/attendance/leave/{leave.pk}/attachment/")
            except Exception:  # noqa: BLE001 - Chromium aborts the navigation: it is a download
                pass
        assert download.value.suggested_filename.endswith(".html")
        page.wait_for_timeout(1500)
        assert page.title() != "pwned"
        leave.refresh_from_db()
        assert leave.state == LeaveRequest.State.PENDING
        assert Approval.objects.exclude(decided_at=None).count() == decided_before
        page.goto("/inbox/")
        assert page.locator("main").inner_text() == inbox_before
    finally:
        default_storage.delete(name)
