#!/usr/bin/env python3
"""Fill msgstr entries of a .po file from a Python dict file (T = {msgid: msgstr}); reports what is left.

Usage: scripts/fill-translations.py <app>/locale/zh_Hans/LC_MESSAGES/django.po translations.py
Entries already translated are kept unless the dict has a different text for them.
"""

import runpy
import sys

import polib

po_path, dict_path = sys.argv[1], sys.argv[2]
table = runpy.run_path(dict_path)["T"]
po = polib.pofile(po_path)
filled = 0
for entry in po:
    if entry.msgid in table and not entry.msgctxt:
        if entry.msgid_plural:
            entry.msgstr_plural = {0: table[entry.msgid]}
        else:
            entry.msgstr = table[entry.msgid]
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
        filled += 1
po.save(po_path)
left = [e.msgid for e in po if not e.translated() and not e.obsolete]
print(f"{po_path}: filled {filled}, untranslated {len(left)}")
for msgid in left:
    print("  ", repr(msgid))
