"""Every user-facing string has a Simplified Chinese translation, and no two apps translate the same
English words differently (Django merges the catalogues and the first app wins, so a conflict would show
one app's word in another app's page)."""

from collections import defaultdict
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted(ROOT.glob("*/locale/zh_Hans/LC_MESSAGES/django.po"))


def test_there_are_catalogues():
    assert CATALOGUES


def test_every_string_is_translated_into_simplified_chinese():
    missing = {}
    for path in CATALOGUES:
        po = polib.pofile(str(path))
        left = [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
        if left:
            missing[str(path.relative_to(ROOT))] = left[:20]
    assert not missing, missing


def test_no_two_apps_translate_the_same_words_differently():
    seen: dict[tuple, dict[str, str]] = defaultdict(dict)
    for path in CATALOGUES:
        app = path.relative_to(ROOT).parts[0]
        for e in polib.pofile(str(path)):
            if e.obsolete or not e.msgstr:
                continue
            seen[(e.msgctxt, e.msgid)][app] = e.msgstr
    conflicts = {f"{ctx or ''}|{msgid}": apps for (ctx, msgid), apps in seen.items() if len(set(apps.values())) > 1}
    assert not conflicts, conflicts
