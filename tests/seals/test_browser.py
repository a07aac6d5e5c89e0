"""A real browser: a resident's certificate of residence from the request to the director's approval, the
custodian's stamping, the printed PDF (its QR code decoded) and the public verification page."""

from __future__ import annotations

import io
import re

import pytest
import zxingcpp
from pypdf import PdfReader

from seals.models import Certificate
from tests.conftest import browser_login

pytestmark = pytest.mark.browser


def _tab(browser, live_server, width=1366):
    context = browser.new_context(locale="zh-CN", base_url=live_server.url, viewport={"width": width, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    return context, tab


@pytest.mark.parametrize("width", [390, 1366])
def test_residence_certificate_request_approval_stamp_pdf_verification(
        browser, live_server, transactional_db, width, staff_a, director_a, custodian_a, seal_a, resident_a):
    # 1. a member of staff asks for the certificate
    ctx, page = _tab(browser, live_server, width)
    browser_login(page, staff_a)
    page.goto("/seals/certificates/new/")
    page.fill("#q", "王")
    page.click("text=查找居民登记")
    page.click(f"a[href='?person={resident_a.pk}']")
    page.select_option("#id_kind", "residence")
    page.fill("#id_purpose", "办理子女入学")
    page.click("text=登记并送审批")
    page.wait_for_url(re.compile(r"/seals/certificates/\d+/$"))
    assert "等待：主任签字" in page.content()
    cert = Certificate.objects.get()
    ctx.close()
    # 2. the director approves
    ctx, page = _tab(browser, live_server, width)
    browser_login(page, director_a)
    page.goto(cert.use.get_absolute_url())
    page.click("button[value=approve]")
    page.wait_for_url(f"**{cert.use.get_absolute_url()}")
    assert "已批准，尚未用印" in page.content()
    assert page.locator("text=用印并出具证明").count() == 0  # the director does not stamp
    ctx.close()
    # 3. the custodian stamps: the certificate is numbered and issued in one step, then printed
    ctx, page = _tab(browser, live_server, width)
    browser_login(page, custodian_a)
    page.goto(cert.use.get_absolute_url())
    page.click("text=用印并出具证明")
    page.wait_for_url(f"**{cert.get_absolute_url()}")
    cert.refresh_from_db()
    assert cert.status == Certificate.Status.ISSUED and cert.number in page.content()
    href = page.get_attribute("a[href$='.pdf']", "href")
    response = page.request.get(href)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.body()))
    assert resident_a.name in reader.pages[0].extract_text()
    urls = [r.text for img in reader.pages[0].images for r in zxingcpp.read_barcodes(img.image)]
    assert len(urls) == 1 and urls[0].startswith(live_server.url)
    ctx.close()
    # 4. whoever receives the paper scans the QR code: no login needed
    ctx, page = _tab(browser, live_server, width)
    page.goto(urls[0])
    content = page.content()
    assert "有效" in content and "王*" in content and resident_a.name not in content
    assert resident_a.id_number not in content
    ctx.close()
