#!/usr/bin/env python3
"""Make every app's zh_Hans catalogue agree on words that several apps translate.

Django merges the catalogues of all apps and the app listed first in INSTALLED_APPS wins, so a second
translation of the same English words never shows anyway. This script writes the winning translation into
the other catalogues (so what the .po files say is what users see) and lists what it changed; read the
list: where the winner's word is wrong in another app, give that app's string a context (pgettext).
"""

import os
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django  # noqa: E402

django.setup()
from django.conf import settings  # noqa: E402

order = [app for app in settings.INSTALLED_APPS if (ROOT / app / "locale").is_dir()]
catalogues = {app: polib.pofile(str(ROOT / app / "locale/zh_Hans/LC_MESSAGES/django.po")) for app in order}
winner: dict[tuple, tuple[str, str]] = {}
for app in order:
    for e in catalogues[app]:
        if e.obsolete or not e.msgstr:
            continue
        winner.setdefault((e.msgctxt, e.msgid), (app, e.msgstr))
for app in order:
    changed = 0
    for e in catalogues[app]:
        key = (e.msgctxt, e.msgid)
        if e.obsolete or not e.msgstr or key not in winner:
            continue
        first_app, text = winner[key]
        if first_app != app and e.msgstr != text:
            print(f"{app}: {e.msgid!r}: {e.msgstr} → {text} (as in {first_app})")
            e.msgstr = text
            changed += 1
    if changed:
        catalogues[app].save()
