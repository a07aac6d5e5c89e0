"""Printing: every PDF of the application goes through ``render_pdf``.

A4 pages, a CJK font embedded (Noto from Debian's fonts-noto-cjk, found through fontconfig), a red title
style for notices and a blank seal area. WeasyPrint subsets the font with HarfBuzz (libharfbuzz-subset0),
which keeps a one-page notice well under a second.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation

PDF_FONT_FAMILY = '"Noto Serif CJK SC", "Noto Sans CJK SC", "Source Han Serif SC", "WenQuanYi Zen Hei", serif'


def render_pdf(template_name: str, context: dict | None = None) -> bytes:
    """Render a template that extends ``pdf/base.html`` to PDF bytes."""
    from weasyprint import HTML

    ctx = {"font_family": PDF_FONT_FAMILY, "printed_at": timezone.localtime(), **(context or {})}
    html = render_to_string(template_name, ctx)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def pdf_response(pdf: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(filename)}"
    return response


def render_pdf_in(language: str, template_name: str, context: dict | None = None) -> bytes:
    """Printed notices are in the community's language (Chinese) whatever the screen language."""
    with translation.override(language):
        return render_pdf(template_name, context)
