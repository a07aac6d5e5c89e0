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


def test_traditional_catalogue_converts_characters_not_words():
    """繁體中文 is the same words in traditional characters: OpenCC's phrase tables (s2twp) would turn
    社区 into 社群, 审核人 into 稽核人 and 项目 into 專案, which these offices do not say."""
    import subprocess
    import sys

    subprocess.run([sys.executable, str(ROOT / "scripts" / "compile-messages.py")], check=True,
                   capture_output=True)
    hant = sorted(ROOT.glob("*/locale/zh_Hant/LC_MESSAGES/django.po"))
    assert hant
    found = {}
    for path in hant:
        for e in polib.pofile(str(path)):
            for word in ("社群", "稽核", "專案"):
                if word in e.msgstr:
                    found.setdefault(word, []).append(e.msgid)
    assert not found, found
    community = [e.msgstr for p in hant for e in polib.pofile(str(p)) if e.msgid == "community" and e.msgstr]
    assert community and all("社區" in s for s in community)


def test_counts_in_english_use_plural_forms():
    """"1 month", "3 months": a count is translated with ngettext / blocktranslate count, never "month(s)"."""
    import re

    found = []
    for path in CATALOGUES:
        for e in polib.pofile(str(path)):
            if not e.obsolete and re.search(r"[a-z]\(s\)", e.msgid):
                found.append(f"{path.relative_to(ROOT).parts[0]}: {e.msgid}")
    assert not found, found


def test_no_page_text_names_a_raw_setting_key():
    """Policy keys (mtg.regular_days) are the code's names; pages say the setting's label or 现行规定."""
    import re

    keys = re.findall(r'_s\("([a-z]+\.[a-z_]+)"', (ROOT / "committee" / "policy.py").read_text())
    assert keys
    found = []
    for path in CATALOGUES:
        for e in polib.pofile(str(path)):
            if e.obsolete or not e.occurrences or all(f.endswith("models.py") for f, _line in e.occurrences):
                continue  # model help texts show only in the read-only admin
            texts = [e.msgid, e.msgstr, *e.msgstr_plural.values()]
            if any(k in t for k in keys for t in texts):
                found.append(e.msgid)
    assert not found, found
