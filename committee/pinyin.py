"""Pinyin initials for searching Chinese names, all readings of heteronyms included (单 → d, s, c).

A character pypinyin cannot read (many rare characters of GB 18030-2022, CJK Extension B and later, e.g. 𫝀)
adds nothing to the initials instead of itself or an error: "𫝀𬌗" is indexed as its readable part. Such a
name is still found by typing the name or any part of it.
"""

from itertools import islice, product

from pypinyin import Style, pinyin

MAX_SPELLINGS = 24


def _readable(chars: str) -> list[str]:
    """What pypinyin could not read: ASCII letters and digits are kept, anything else is skipped."""
    return [c for c in chars if c.isascii() and c.isalnum()]


def initials(name: str) -> list[str]:
    """Every initials spelling of a name, e.g. 单小明 → ['dxm', 'sxm', 'cxm'] (bounded)."""
    letters = pinyin(name, style=Style.FIRST_LETTER, heteronym=True, errors=_readable)
    options = [[letter.lower() for letter in dict.fromkeys(choice) if letter] or [""] for choice in letters]
    return ["".join(p) for p in islice(product(*options), MAX_SPELLINGS)]


def initials_index(name: str) -> str:
    """The search column: each spelling prefixed by a space so a query matches from a spelling's start."""
    return "".join(f" {spelling}" for spelling in initials(name))
