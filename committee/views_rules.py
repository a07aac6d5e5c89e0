"""The rule book page: every rule of docs/rules.md in the reader's language, with where the product applies
it and the policy values that tune it."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import get_language

from committee import policy, rulebook
from committee.scoping import staff_required


def _matches(q: str, *texts: str) -> bool:
    q = q.casefold()
    return any(q in (t or "").casefold() for t in texts)


@staff_required
def rules_page(request):
    """Everyone on staff: the rule book (ids, titles, plain sentences, pages). ?q= filters without script."""
    lang = get_language()
    q = request.GET.get("q", "").strip()[:100]
    by_rule: dict[str, list] = {}
    for spec in policy.SETTINGS.values():
        by_rule.setdefault(spec.rule, []).append(spec)
    chapters = []
    for chapter in rulebook.chapters():
        rows = []
        for r in chapter.rules:
            row = {
                "id": r.id,
                "title": rulebook.title(r, lang),
                "text": rulebook.plain(rulebook.text(r, lang)),
                "parts": rulebook.parts(rulebook.text(r, lang)),
                "places": [(rulebook.place_name(p, lang), p.path if _may_open(request, p.path) else "")
                           for p in r.places],
                "settings": [(s.label, s.display(s.default), s.anchor) for s in by_rule.get(r.id, [])],
            }
            if q and not _matches(q, r.id, row["title"], row["text"], r.title_zh, r.text_zh, r.title_en,
                                  r.text_en, *[name for name, _path in row["places"]]):
                continue
            rows.append(row)
        if rows:
            chapters.append({"prefix": chapter.prefix, "title": rulebook.chapter_title(chapter, lang), "rules": rows})
    return render(request, "committee/rules.html", {"chapters": chapters, "q": q})


def _may_open(request, path: str) -> bool:
    """Whether the reader may open a place of the rule book (a link is shown only then)."""
    from django.urls import Resolver404, resolve

    from committee import navigation

    try:
        return navigation.may_open(request, resolve(path.split("?")[0].split("#")[0]).url_name)
    except Resolver404:
        return False
