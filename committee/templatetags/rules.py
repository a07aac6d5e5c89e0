"""``{% load rules %}{% rule "ATT-3" %}``: a rule id that links to its entry on the rules page, with the
rule's plain sentence in the reader's language as its hover text (committee/rulebook.py).

Takes a literal or a variable; a text with several ids ("MTG-6 MTG-7") gives one link each, and anything
that is not a rule of the book (an empty value, "CAL") stays a plain tag so a screen never loses it.
"""

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from committee import rulebook

register = template.Library()


@register.simple_tag
def rule(value):
    ids = rulebook.ids_in(value)
    if not ids:
        return format_html('<span class="tag">{}</span>', value) if value else ""
    base = reverse("rules")
    parts = []
    for rule_id in ids:
        entry = rulebook.get(rule_id)
        if entry is None:
            parts.append(format_html('<span class="tag">{}</span>', rule_id))
        else:
            parts.append(format_html('<a class="tag rule" href="{}#{}" title="{}">{}</a>', base, rule_id,
                                     rulebook.hover(entry), rule_id))
    return format_html_join(" ", "{}", ((p,) for p in parts))
