"""A real browser: the archivist uploads and files an item, lends it and takes it back; a new archivist is
appointed, the director starts the handover, both sign in their own logins, and the new archivist files."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from archives.models import Handover, Item, Loan
from committee.models import Role
from tests import factories as f
from tests.archives.conftest import text_pdf
from tests.conftest import browser_login

pytestmark = pytest.mark.browser


def _tab(browser, live_server, width=1366):
    context = browser.new_context(locale="zh-CN", base_url=live_server.url, viewport={"width": width, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    return context, tab


def test_upload_file_lend_return_and_hand_over(browser, live_server, transactional_db, tmp_path, settings,
                                              community_a, archivist_a, director_a, staff_a):
    settings.MEDIA_ROOT = tmp_path
    pdf = tmp_path / "summary.pdf"
    pdf.write_bytes(text_pdf("annual summary"))
    today = timezone.localdate()
    # 1. the archivist files an item with its PDF
    ctx, page = _tab(browser, live_server)
    browser_login(page, archivist_a)
    page.goto("/archives/items/new/")
    page.select_option("#id_category", label="总结、计划、报告、请示、批复")
    page.fill("#id_title", "年度工作总结")
    page.fill("#id_date", today.isoformat())
    page.set_input_files("#id_upload", str(pdf))
    page.click("form.stacked.card button[type=submit]")
    page.wait_for_url(re.compile(r"/archives/items/\d+/$"))
    item = Item.objects.get()
    assert "已归档" in page.content() and item.files.count() == 1
    # 2. lend it to a member of staff, then take it back
    page.click("text=借出")
    page.select_option("#id_borrower", str(staff_a.pk))
    page.fill("#id_purpose", "写总结参考")
    page.fill("#id_due_on", today.isoformat())
    page.click("form.stacked.card button[type=submit]")
    page.wait_for_url(f"**{item.get_absolute_url()}")
    assert "借出中" in page.content() and Loan.objects.filter(returned_on__isnull=True).count() == 1
    page.click("button:has-text('已归还')")
    page.wait_for_url(f"**{item.get_absolute_url()}")
    assert Loan.objects.get().returned_on == today
    # search finds the PDF's text
    page.goto("/archives/?q=annual+summary")
    assert "年度工作总结" in page.content()
    ctx.close()
    # 3. a new archivist; the director starts the handover
    new = f.staff(community_a, "新档案员", [Role.ARCHIVIST], start=today)
    ctx, page = _tab(browser, live_server)
    browser_login(page, director_a)
    page.goto("/archives/handovers/new/")
    page.select_option("#id_outgoing", str(archivist_a.pk))
    page.select_option("#id_incoming", str(new.pk))
    page.click("form.stacked.card button[type=submit]")
    page.wait_for_url(re.compile(r"/archives/handovers/\d+/$"))
    h = Handover.objects.get()
    ctx.close()
    # 4. each signs in their own login; the new archivist has the rights only after both
    for who in (archivist_a, new):
        ctx, page = _tab(browser, live_server)
        browser_login(page, who)
        page.goto(h.get_absolute_url())
        page.click("button:has-text('在移交清单上签字')")
        page.click("dialog[open] button[type=submit]")
        page.wait_for_url(f"**{h.get_absolute_url()}")
        if who is archivist_a:
            ctx.close()
    h.refresh_from_db()
    assert h.complete and "双方已签字" in page.content()
    page.goto("/archives/")
    assert page.locator("text=归档一件").count() == 1
    ctx.close()
