"""Rare characters in names (GB 18030-2022: CJK Extension B and later, outside the Basic Multilingual Plane).

Entering, searching (by name and by pinyin initials), exporting to Excel and printing such a name works: the
PDF embeds a font that really draws each glyph (read back from the PDF's embedded font program with fontTools,
not just the text layer), and the pinyin index does not crash on characters it cannot read.
"""

import datetime as dt
import io
import re
import subprocess

import openpyxl
import pytest
from django.urls import reverse
from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from committee import pinyin
from committee.models import Person, Role
from committee.printing import PDF_FONT_FAMILY, RARE_CHAR_FONTS, render_pdf
from tests import factories as f
from tests.conftest import login

# One name per extension: B (U+20000, U+2A6A5), D (U+2B740), E (U+2C317), G (U+30EDE).
RARE = {"𠀀": "B", "𪚥": "B", "𫝀": "D", "𬌗": "E", "𰻞": "G"}
NAMES = ["王𠀀", "𪚥明", "𫝀𬌗", "李𰻞"]


def _fonts_installed():
    try:
        out = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, check=False).stdout
    except OSError:
        return False
    return all(name in out for name in RARE_CHAR_FONTS)


needs_fonts = pytest.mark.skipif(not _fonts_installed(),
                                 reason="fallback fonts missing: run `make install` (scripts/system-packages.sh)")


# ---------------------------------------------------------------- reading the glyphs back out of a PDF

def _to_unicode(font) -> dict[int, str]:
    """The font's ToUnicode CMap as {character code: text} (bfchar and bfrange entries)."""
    if "/ToUnicode" not in font:
        return {}
    data = font["/ToUnicode"].get_object().get_data().decode("latin-1")
    mapping = {}

    def text(hexstr):
        return bytes.fromhex(hexstr).decode("utf-16-be")

    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        for code, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapping[int(code, 16)] = text(dst)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            first = text(dst)
            for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                mapping[code] = first[:-1] + chr(ord(first[-1]) + offset)
    return mapping


def _glyph_is_drawn(program: TTFont, code: int, cid_to_gid: bytes | None) -> bool:
    """Whether the embedded font program has an outline (not .notdef, not empty) for the code."""
    order = program.getGlyphOrder()
    if "CFF " in program:
        cff = program["CFF "].cff
        top = cff.topDictIndex[0]
        name = f"cid{code:05d}" if hasattr(top, "ROS") else (order[code] if code < len(order) else None)
        if name not in order:
            return False
    else:
        gid = code if cid_to_gid is None else int.from_bytes(cid_to_gid[2 * code:2 * code + 2], "big")
        if gid == 0 or gid >= len(order):
            return False
        name = order[gid]
    if name == ".notdef":
        return False
    pen = BoundsPen(program.getGlyphSet())
    program.getGlyphSet()[name].draw(pen)
    return pen.bounds is not None


def fonts_drawing(pdf: bytes) -> dict[str, set[str]]:
    """{character: names of the embedded fonts that draw it} for every character of the PDF's text."""
    found: dict[str, set[str]] = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            if font.get("/Subtype") != "/Type0":
                continue
            desc = font["/DescendantFonts"][0].get_object()
            descriptor = desc["/FontDescriptor"].get_object()
            stream = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
            if stream is None:
                continue  # not embedded: draws nothing that travels with the file
            program = TTFont(io.BytesIO(stream.get_object().get_data()))
            cid_map = desc.get("/CIDToGIDMap")
            cid_to_gid = None if cid_map is None or cid_map == "/Identity" else cid_map.get_object().get_data()
            for code, text in _to_unicode(font).items():
                if _glyph_is_drawn(program, code, cid_to_gid):
                    found.setdefault(text, set()).add(str(font["/BaseFont"]))
    return found


@pytest.fixture
def pdf_template(tmp_path, settings):
    (tmp_path / "rare_names.html").write_text(
        '{% extends "pdf/base.html" %}{% block content %}<h1>居民名单</h1><table>'
        "{% for n in names %}<tr><td>{{ n }}</td></tr>{% endfor %}</table>{% endblock %}", encoding="utf-8")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]


@needs_fonts
def test_pdf_embeds_a_font_that_draws_every_rare_character_of_a_name(pdf_template):
    pdf = render_pdf("rare_names.html", {"names": NAMES})
    drawn = fonts_drawing(pdf)
    for char, extension in RARE.items():
        assert drawn.get(char), f"{char} (U+{ord(char):04X}, Extension {extension}) has no glyph in the PDF: {drawn}"
    # The common characters are still drawn by the main CJK font, the rare ones by a fallback where Noto lacks them.
    assert any("CJK" in name for name in drawn["王"])
    assert any("HanaMin" in name for name in drawn["𠀀"]), drawn["𠀀"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    for name in NAMES:
        assert name in text


def test_the_checker_fails_for_a_character_no_font_has():
    """The helper above can fail: U+2EBF0 (Extension I, Unicode 15.1) is in no installed font: the PDF's text
    layer has it, but no embedded font draws it (it would print as a box)."""
    from weasyprint import HTML

    pdf = HTML(string=f'<p style="font-family: {PDF_FONT_FAMILY}">王\U0002EBF0</p>').write_pdf()
    drawn = fonts_drawing(pdf)
    assert drawn.get("王")
    assert not drawn.get("\U0002EBF0")


def test_pdf_font_stack_names_the_fallbacks_after_the_main_cjk_font():
    assert PDF_FONT_FAMILY.index("Noto Serif CJK SC") < PDF_FONT_FAMILY.index("HanaMinB") \
        < PDF_FONT_FAMILY.index("BabelStone Han")


def test_web_font_stack_has_the_fallbacks():
    from django.conf import settings

    css = (settings.BASE_DIR / "static" / "css" / "app.css").read_text(encoding="utf-8")
    stack = re.search(r"font-family:([^;]+);", css).group(1)
    assert "HanaMinB" in stack and "BabelStone Han" in stack


# ---------------------------------------------------------------- pinyin, entering, searching, exporting

@pytest.mark.parametrize("name", NAMES + ["𫝀", "𰻞𰻞面", "A𰻞", "\U0010fffd"])
def test_pinyin_index_does_not_crash_on_characters_it_cannot_read(name):
    index = pinyin.initials_index(name)
    assert isinstance(index, str)
    # Only letters in the index: a character pypinyin cannot read adds nothing (never itself).
    assert re.fullmatch(r"( [a-z0-9]*)+", index), index


def test_pinyin_initials_skip_an_unreadable_character_and_keep_the_readable_ones():
    assert pinyin.initials("𫝀𬌗") == ["h"]  # 𫝀 unread: skipped, 𬌗 read
    assert all(spelling.startswith("l") for spelling in pinyin.initials("李𰻞"))
    assert {spelling[0] for spelling in pinyin.initials("王𪚥")} <= {"w", "y"}


@pytest.mark.django_db
def test_a_rare_name_is_entered_through_the_form_and_shown(client_a, community_a):
    number = f.id_number(seq="521")
    response = client_a.post(reverse("person_create"), {"name": "王𠀀𰻞", "id_number": number, "relation": "head"})
    assert response.status_code == 302, response.content.decode()[:3000]
    person = Person.objects.get(id_number=number)
    assert person.name == "王𠀀𰻞"
    assert "王𠀀𰻞" in client_a.get(person.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_search_finds_a_rare_name_by_the_rare_character_by_the_whole_name_and_by_initials(client_a, community_a):
    f.person(community_a, "王𪚥", id_number=f.id_number(seq="531"))
    f.person(community_a, "李𰻞", id_number=f.id_number(seq="541"))
    f.person(community_a, "𫝀𬌗", id_number=f.id_number(seq="551"))
    f.person(community_a, "王大明", id_number=f.id_number(seq="561"))
    url = reverse("person_list")

    def names(q):
        response = client_a.get(url, {"q": q})
        assert response.status_code == 200
        return sorted(p.name for p in response.context["page"])

    assert names("𪚥") == ["王𪚥"]
    assert names("李𰻞") == ["李𰻞"]
    assert names("𬌗") == ["𫝀𬌗"]
    assert names("王") == ["王大明", "王𪚥"]
    initials = pinyin.initials("王𪚥")[0]
    assert "王𪚥" in names(initials)
    assert "李𰻞" in names("l")


@pytest.mark.django_db
def test_excel_export_round_trips_a_rare_name(community_a, director_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = login(director_a)
    f.person(community_a, "𫝀𬌗", id_number=f.id_number(seq="571"))
    f.person(community_a, "李𰻞", id_number=f.id_number(seq="581"), moved_out_on=dt.date(2025, 1, 2))
    response = client.get(reverse("export", args=["residents"]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    names = {row[0].value for row in book.worksheets[0].iter_rows(min_row=2) if row[0].value}
    assert names == {"𫝀𬌗", "李𰻞"}
    # Re-importing the export changes nothing: the names are read back exactly.
    from django.core.files.uploadedfile import SimpleUploadedFile

    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    started = client.post(reverse("import_start", args=["residents"]),
                          {"file": SimpleUploadedFile("export.xlsx", response.content, content_type=xlsx)})
    assert started.status_code == 302
    preview = client.get(started.url)
    assert preview.context["totals"]["skip"] == 2 and not preview.context["lines"]


@pytest.mark.django_db
def test_a_staff_members_rare_name_is_shown_on_the_staff_pages(community_a, director_a):
    member = f.staff(community_a, "赵𰻞", [Role.MEMBER])
    client = login(director_a)
    assert "赵𰻞" in client.get(reverse("staff_detail", args=[member.pk])).content.decode()
    assert "赵𰻞" in client.get(reverse("staff_list")).content.decode()


@needs_fonts
@pytest.mark.django_db
def test_all_out_notice_pdf_draws_a_rare_contact_name(community_a, director_a):
    from committee import duty

    with_time = dt.date.today() + dt.timedelta(days=10)
    notice = duty.post_all_out_notice(community=community_a, day=with_time, reason="全体外出培训",
                                      contact="联系人 王𪚥 13800138000", acting_user=director_a.user)
    response = login(director_a).get(reverse("all_out_notice_pdf", args=[notice.pk]))
    assert response.status_code == 200
    drawn = fonts_drawing(response.content)
    assert drawn.get("𪚥"), drawn.keys()
