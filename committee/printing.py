"""Printing: every PDF of the application goes through ``render_pdf``.

A4 pages, a CJK font embedded (Noto from Debian's fonts-noto-cjk, found through fontconfig, with fallbacks for
the rare characters of names), a red title style for notices and a blank seal area. WeasyPrint subsets the font with HarfBuzz (libharfbuzz-subset0),
which keeps a one-page notice well under a second.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation

# Rare characters in names (GB 18030-2022, CJK Extension B and later) are not in Noto CJK: the fallbacks
# HanaMinB (fonts-hanazono, Extensions B-F nearly complete) then BabelStone Han (fonts-babelstone-han, much of
# Extensions G and H) draw them, glyph by glyph, so a name prints whole instead of with a box or a gap.
RARE_CHAR_FONTS = ("HanaMinB", "BabelStone Han")
PDF_FONT_FAMILY = ('"Noto Serif CJK SC", "Noto Sans CJK SC", "Source Han Serif SC", "WenQuanYi Zen Hei", '
                   + ", ".join(f'"{name}"' for name in RARE_CHAR_FONTS) + ", serif")


def render_pdf(template_name: str, context: dict | None = None, *, pdf_variant: str | None = None) -> bytes:
    """Render a template that extends ``pdf/base.html`` to PDF bytes. ``pdf_variant`` (e.g. "pdf/a-3b")
    makes an archival PDF/A (the archives chapter, ARC-7)."""
    from weasyprint import HTML

    ctx = {"font_family": PDF_FONT_FAMILY, "printed_at": timezone.localtime(), **(context or {})}
    html = render_to_string(template_name, ctx)
    document = HTML(string=html, base_url=str(settings.BASE_DIR))
    return document.write_pdf(pdf_variant=pdf_variant) if pdf_variant else document.write_pdf()


def pdf_response(pdf: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(filename)}"
    return response


def render_pdf_in(language: str, template_name: str, context: dict | None = None, *,
                  pdf_variant: str | None = None) -> bytes:
    """Printed notices are in the community's language (Chinese) whatever the screen language."""
    with translation.override(language):
        return render_pdf(template_name, context, pdf_variant=pdf_variant)
