"""Hypothesis strategies of bad input per field type (issue 18, CTL-7, CTL-8).

Each example starts from a plausible value for every field (so the form gets past its first checks and the
deeper rules run) and replaces some fields by hostile values of their type."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import strategies as st

FORMULAS = ["=cmd|' /C calc'!A0", "+1", "-1", "@SUM(A1)", "=1+1", "＝1+1", "=HYPERLINK(\"http://x\",\"y\")"]
CONTROLS = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\x9f", "\u2028", "\u2029"]
ODD_TEXT = ["", " ", "\t", "\n", "𠀀𪚥𰻞", "עברית\u202eabc", "\u200f\u200e", "<script>alert(1)</script>", "' OR 1=1 --",
            "%s%n", "{{ 7*7 }}", "\ufeff", "\U0001f600", "ﾃｽﾄ", "null", "None", "../../etc/passwd", "王\u0301"]

text_values = st.one_of(
    st.sampled_from(FORMULAS),
    st.sampled_from(ODD_TEXT),
    st.builds(lambda c, t: f"名{c}{t}", st.sampled_from(CONTROLS), st.text(max_size=3)),
    st.sampled_from(["x" * 10_000, "长" * 10_000, "𠀀" * 5000]),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40),
)

NUMBERS = ["-1", "0", "-0", "1e309", "-1e309", "1e15", "NaN", "nan", "Infinity", "-inf", "99999999999999999999999",
           "-99999999999999999999999", "1,5", "1，5", "１２", "0x10", "1_000", "", " ", "12.345678901", "1e-400", "٣",
           "9223372036854775808", "2147483648", "1.", ".5", "+1", "=1+1"]
number_values = st.one_of(st.sampled_from(NUMBERS), st.integers().map(str),
                          st.floats(allow_nan=True, allow_infinity=True).map(repr))

DATES = ["0001-01-01", "9999-12-31", "2026-02-30", "2026-13-01", "1899-12-31", "", "today", "2026/02/28",
         "99999-01-01", "-2026-01-01", "2026-2-3", "0000-00-00", "1e309"]
date_values = st.one_of(st.sampled_from(DATES),
                        st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(dt.date.isoformat))
TIMES = ["24:00", "25:61", "-1:00", "", "9", "09:00:60", "23:59:59.9999999", "noon"]
time_values = st.sampled_from(TIMES)
datetime_values = st.one_of(st.builds(lambda d, t: f"{d}T{t}", st.sampled_from(DATES), st.sampled_from(TIMES)),
                            st.sampled_from(["0001-01-01T00:00", "9999-12-31T23:59", "", "2026-02-30 10:00"]))
choice_junk = st.sampled_from(["", "-1", "0", "99999999999999999999999", "abc", "1e309", "=1+1", "名\x0b",
                               "1 OR 1=1", "x" * 10_000])

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


def _file(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


file_values = st.sampled_from([
    ("empty.pdf", b"", "application/pdf"),
    ("page.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"),  # .html renamed .pdf
    ("svg.png", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "image/png"),
    ("huge-header.pdf", b"%PDF-1.4\n" + b"%" + b"A" * 300_000 + b"\n%%EOF", "application/pdf"),
    ("名\x0b字.pdf", PDF, "application/pdf"),
    ("=1+1.pdf", PDF, "application/pdf"),
    ("x" * 300 + ".pdf", PDF, "application/pdf"),
    ("noext", PDF, "application/pdf"),
    ("a.exe.pdf", b"MZ\x90\x00" + b"\x00" * 200, "application/pdf"),
    ("a.xlsx", b"PK\x03\x04 not a zip", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("a.csv", "姓名\n\x00\n".encode(), "text/csv"),
    ("a.csv", b"\xff\xfe\x00garbage", "text/csv"),
])


def plausible(field, today: dt.date) -> str | list[str] | None:
    """A value the form probably accepts, so the fuzzed neighbour is what decides (None: leave it out)."""
    kind = field.kind
    if kind in ("hidden", "radio") or (kind == "select" and not field.multiple):
        if field.value:
            return field.value
        choices = [c for c in field.choices if c]
        return choices[0] if choices else field.value
    if kind in ("select", "multicheck"):
        choices = [c for c in field.choices if c]
        return choices[:1]
    if kind == "checkbox":
        return field.choices[0] if field.checked else None
    if field.value:
        return field.value
    if kind == "number":
        return "1"
    if kind == "date":
        return today.isoformat()
    if kind == "datetime-local":
        return f"{today.isoformat()}T09:00"
    if kind == "time":
        return "09:00"
    if kind == "month":
        return today.strftime("%Y-%m")
    if kind == "email":
        return "a@example.cn"
    if kind == "tel":
        return "13800138000"
    if kind == "file":
        return _file("a.pdf", PDF, "application/pdf")
    return "测试"


def hostile(field):
    """The strategy of bad values for one field, by its HTML type."""
    kind = field.kind
    if kind == "number":
        return number_values
    if kind == "date":
        return date_values
    if kind == "datetime-local":
        return datetime_values
    if kind == "time":
        return time_values
    if kind == "month":
        return st.sampled_from(["0001-01", "9999-12", "2026-13", "", "99999-01", "x"])
    if kind == "file":
        return file_values.map(lambda t: _file(*t))
    if kind in ("select", "radio", "multicheck"):
        good = [c for c in field.choices if c]
        one = st.one_of(choice_junk, st.sampled_from(good)) if good else choice_junk
        return st.lists(one, max_size=3) if field.multiple else one
    if kind == "checkbox":
        return st.sampled_from(["on", "", "0", "false", "x" * 10_000, "名\x0b"])
    return st.one_of(text_values, number_values, date_values)  # text, textarea, hidden, email, tel …


def form_data(form, today: dt.date):
    """Strategy: the POST data of one example for a discovered form, and the names of the fuzzed fields."""
    names = sorted(form.fields)

    @st.composite
    def build(draw):
        fuzzed = draw(st.sets(st.sampled_from(names), min_size=1, max_size=max(1, min(3, len(names))))) if names else set()
        data = {}
        for name in names:
            field = form.fields[name]
            if name in fuzzed:
                value = draw(hostile(field))
            else:
                value = plausible(field, today)
            if value is None:
                continue
            data[name] = value
        if form.buttons:
            button, value = draw(st.sampled_from(form.buttons))
            data[button] = value
        return data, sorted(fuzzed)

    return build()
