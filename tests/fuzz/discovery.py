"""Finding every POST form of the product (issue 18, CTL-8): each GET entry of the permission matrix
(tests/matrix.py, which must list every URL of the URLconf) is opened as each persona the matrix lets in,
and every ``<form method="post">`` of the page is read with ``html.parser``: its action, its fields (input,
select, textarea, button) with their type, value and choices. A new form on any page is therefore fuzzed
without a new test."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve

# The personas of the matrix and the world's staff behind each (anon never sees a form worth fuzzing
# except the login page, which django-axes throttles: CTL-9 has its own tests).
STAFF = {"director_a": "director_a", "staff_a": "staff_a", "street": "supervisor", "staff_b": "staff_b"}
# Forms of the page layout (on every page): fuzzed once, on the dashboard's entry.
LAYOUT = {"logout", "switch_community", "set_language"}
LAYOUT_HOME = "dashboard"


@dataclass
class Field:
    name: str
    kind: str  # text, textarea, number, date, datetime-local, time, email, checkbox, radio, select, file, hidden, submit
    value: str = ""
    checked: bool = False
    choices: list[str] = field(default_factory=list)
    multiple: bool = False
    required: bool = False


@dataclass
class Form:
    action: str  # path the form posts to
    url_name: str
    fields: dict[str, Field] = field(default_factory=dict)
    buttons: list[tuple[str, str]] = field(default_factory=list)  # submit buttons with a name: (name, value)
    multipart: bool = False

    @property
    def key(self) -> tuple:
        return self.url_name, tuple(sorted(self.fields)), tuple(sorted({n for n, _v in self.buttons}))


class _Parser(HTMLParser):
    def __init__(self, page_path: str):
        super().__init__(convert_charrefs=True)
        self.page_path = page_path
        self.forms: list[Form] = []
        self.current: Form | None = None
        self.select: Field | None = None
        self.textarea: Field | None = None
        self.option: str | None = None
        self.option_by_text = False

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            if a.get("method", "get").lower() != "post":
                self.current = None
                return
            action = urlsplit(a.get("action") or self.page_path).path or self.page_path
            self.current = Form(action=action, url_name=_url_name(action),
                                multipart="multipart" in a.get("enctype", ""))
            self.forms.append(self.current)
            return
        form = self.current
        if form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "image"):
                form.buttons.append((name, a.get("value", "")))
                return
            if kind == "radio" and name in form.fields:
                form.fields[name].choices.append(a.get("value", "on"))
                if "checked" in a:
                    form.fields[name].value = a.get("value", "on")
                return
            if kind == "checkbox" and name in form.fields:  # a multiple choice drawn as checkboxes
                f = form.fields[name]
                f.kind, f.multiple = "multicheck", True
                f.choices.append(a.get("value", "on"))
                return
            f = Field(name=name, kind=kind, value=a.get("value", ""), checked="checked" in a,
                      required="required" in a)
            if kind in ("radio", "checkbox"):
                f.choices.append(a.get("value", "on"))
                if kind == "radio" and "checked" not in a:
                    f.value = ""
            form.fields[name] = f
        elif tag == "button" and name and a.get("type", "submit").lower() == "submit":
            form.buttons.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self.select = Field(name=name, kind="select", multiple="multiple" in a, required="required" in a)
            form.fields[name] = self.select
        elif tag == "option" and self.select is not None:
            self.option = a.get("value", "")
            self.option_by_text = "value" not in a
            self.select.choices.append(self.option)
            if "selected" in a:
                self.select.value = self.option
        elif tag == "textarea" and name:
            self.textarea = Field(name=name, kind="textarea", required="required" in a)
            form.fields[name] = self.textarea

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea.value += data
        elif self.select is not None and self.option_by_text and data.strip():  # <option>text</option>
            self.select.choices[-1] = self.option = data.strip()
            self.option_by_text = False

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "option":
            self.option = None


def _url_name(path: str) -> str:
    try:
        match = resolve(path)
    except Resolver404:
        return ""
    return match.view_name


def post_forms(html: str, page_path: str) -> list[Form]:
    """The POST forms of a page (the csrf token field dropped: the test client does not check it)."""
    parser = _Parser(page_path)
    parser.feed(html)
    for form in parser.forms:
        form.fields.pop("csrfmiddlewaretoken", None)
    return parser.forms
