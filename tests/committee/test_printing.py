"""render_pdf: A4, the CJK font embedded, red notice title, blank seal area, fast enough for a notice."""

import io
import time

from pypdf import PdfReader

from committee.printing import render_pdf


def _fonts(reader):
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            names.add(str(font["/BaseFont"]))
            for desc in font.get("/DescendantFonts", []):
                desc = desc.get_object()
                if "/FontDescriptor" in desc and "/FontFile2" in desc["/FontDescriptor"] or \
                        "/FontDescriptor" in desc and "/FontFile3" in desc["/FontDescriptor"]:
                    names.add(str(desc["/BaseFont"]) + ":embedded")
    return names


def test_notice_pdf_is_a4_with_embedded_cjk_font_and_seal_area(tmp_path, settings_with_pdf_template):
    pdf = render_pdf("test_notice.html", {"seal_org": "和平里社区居民委员会", "seal_date": "2026年11月28日"})
    reader = PdfReader(io.BytesIO(pdf))
    page = reader.pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert abs(width - 595.28) < 1 and abs(height - 841.89) < 1  # A4 in points
    text = page.extract_text()
    assert "关于召开居民代表会议的通知" in text
    assert "和平里社区居民委员会" in text
    fonts = _fonts(reader)
    assert any("CJK" in name for name in fonts), fonts
    assert any(name.endswith(":embedded") and "CJK" in name for name in fonts), fonts


def test_one_page_notice_renders_well_under_a_second(settings_with_pdf_template):
    render_pdf("test_notice.html", {})  # the first call loads fonts once per process
    start = time.perf_counter()
    render_pdf("test_notice.html", {})
    assert time.perf_counter() - start < 1.0


import pytest  # noqa: E402


@pytest.fixture
def settings_with_pdf_template(tmp_path, settings):
    (tmp_path / "test_notice.html").write_text(
        '{% extends "pdf/base.html" %}{% block content %}<h1 class="red-title">关于召开居民代表会议的通知</h1>'
        '<p class="body">各位居民代表：定于十二月十日下午两点半召开居民代表会议。</p>{% endblock %}',
        encoding="utf-8",
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    return settings
