"""What the inbox shows of a notice waiting for approval (DIS-3): title, category, period, first lines."""

from __future__ import annotations

from django.utils.translation import gettext as _

from committee import inbox


def describe(records, user) -> dict:
    out = {}
    for n in records.select_related("community", "drafted_by"):
        fields = [(_("Category"), str(n.category_label)), (_("Drafted by"), n.drafted_by.name)]
        if n.subject_label:
            fields.append((_("Subject"), n.subject_label))
        if n.corrects_id:
            fields.append((_("Corrects"), _("an earlier notice")))
        text = "".join(n.paragraphs)[:200]
        if text:
            fields.append((_("Text"), text + ("…" if len("".join(n.paragraphs)) > 200 else "")))
        figures = []
        if n.tables:
            figures.append((_("Tables"), str(len(n.tables))))
        out[n.pk] = inbox.Card(kind=_("Notice"), title=n.title, url=n.get_absolute_url(), fields=fields,
                               figures=figures)
    return out
