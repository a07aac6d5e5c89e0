"""Phone numbers as tap-to-call links: ``{% load phone %}{{ person.phone|tel }}``.

A field may hold several numbers ("13800138000 / 010-6512 3456", "…、…"): each becomes its own ``tel:``
link; the text around them is kept as it was typed. The href holds only digits and a leading +, so nothing
typed into a phone field can turn into another kind of link. Empty → "".
"""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()

# A run of digits with the separators people type inside one number (spaces, hyphens, brackets), at least
# five digits long so that a note such as "转3" stays text.
NUMBER = re.compile(r"\+?\(?\d[\d\s\-()（）]{3,}\d")


@register.filter(needs_autoescape=False)
def tel(value):
    if not value:
        return ""
    text = str(value)
    out, last = [], 0
    for match in NUMBER.finditer(text):
        digits = re.sub(r"[^\d+]", "", match.group())
        if len(re.sub(r"\D", "", digits)) < 5:
            continue
        out.append(escape(text[last:match.start()]))
        out.append(f'<a class="tel" href="tel:{digits}">{escape(match.group().strip())}</a>')
        last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))
