"""Pinyin initials for searching Chinese names, all readings of heteronyms included (单 → d, s, c)."""

from itertools import islice, product

from pypinyin import Style, pinyin

MAX_SPELLINGS = 24


def initials(name: str) -> list[str]:
    """Every initials spelling of a name, e.g. 单小明 → ['dxm', 'sxm', 'cxm'] (bounded)."""
    letters = pinyin(name, style=Style.FIRST_LETTER, heteronym=True, errors=lambda chars: list(chars))
    options = [[letter.lower() for letter in dict.fromkeys(choice) if letter] or [""] for choice in letters]
    return ["".join(p) for p in islice(product(*options), MAX_SPELLINGS)]


def initials_index(name: str) -> str:
    """The search column: each spelling prefixed by a space so a query matches from a spelling's start."""
    return "".join(f" {spelling}" for spelling in initials(name))
