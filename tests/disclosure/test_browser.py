"""A real browser: a quarterly notice composed from the records, approved by the director, issued and
printed (the PDF's QR code decoded), then read on the public board on a phone-sized window."""

from __future__ import annotations

import io
import re

import pytest
import zxingcpp
from pypdf import PdfReader

from disclosure.models import Notice
from tests.conftest import browser_login

pytestmark = pytest.mark.browser


def _tab(browser, live_server, width=1366):
    context = browser.new_context(locale="zh-CN", base_url=live_server.url, viewport={"width": width, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    return context, tab


def test_compose_approve_issue_print_and_read_on_the_public_board(
        browser, live_server, transactional_db, staff_a, director_a, community_a, test_composer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    # 1. a member of staff composes the quarter's statement and sends it for approval
    ctx, page = _tab(browser, live_server)
    browser_login(page, staff_a)
    page.goto(f"/disclosure/compose/?composer={test_composer.key}")
    page.select_option("#id_subject", "2026-Q3")
    page.click("text=生成草稿")
    page.wait_for_url(re.compile(r"/disclosure/\d+/$"))
    assert "财务收支公开" in page.content() and "1,200.00" in page.content()
    page.click("text=提交审批")
    page.wait_for_url(re.compile(r"/disclosure/\d+/$"))
    notice = Notice.objects.get()
    assert notice.status == Notice.Status.SUBMITTED
    ctx.close()
    # 2. the director approves
    ctx, page = _tab(browser, live_server)
    browser_login(page, director_a)
    page.goto(notice.get_absolute_url())
    page.click("button[value=approve]")
    page.wait_for_url(f"**{notice.get_absolute_url()}")
    notice.refresh_from_db()
    assert notice.status == Notice.Status.APPROVED
    ctx.close()
    # 3. the drafter issues it with the proposed posting period, then prints it
    ctx, page = _tab(browser, live_server)
    browser_login(page, staff_a)
    page.goto(notice.get_absolute_url())
    page.click("text=发布并打印")
    page.wait_for_url("**/issue/")
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(f"**{notice.get_absolute_url()}")
    notice.refresh_from_db()
    assert notice.status == Notice.Status.ISSUED and "已发布" in page.content()
    response = page.request.get(f"/disclosure/{notice.pk}.pdf")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.body()))
    assert "财务收支公开" in reader.pages[0].extract_text()
    urls = [r.text for img in reader.pages[0].images for r in zxingcpp.read_barcodes(img.image)]
    assert urls == [live_server.url + notice.public_url()]
    ctx.close()
    # 4. a resident scans the QR code on a phone: the board page, no login
    ctx, page = _tab(browser, live_server, width=390)
    page.goto(f"/board/{community_a.code}/")
    page.click(f"text={notice.title}")
    page.wait_for_url(f"**{notice.public_url()}")
    assert "1,200.00" in page.content()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400  # nothing wider than the phone
    pdf = page.request.get(f"/board/{community_a.code}/{notice.code}.pdf")
    assert pdf.status == 200
    ctx.close()
