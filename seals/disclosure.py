"""SEAL-8 (and SEAL-7) on the public disclosure board: the notice that a lost or replaced seal is void from
its void moment, and which new seal is in use, if any.

Composer ``seals.lost`` (category seal), registered in ``SealsConfig.ready``. Subjects: the community's
seals that are lost or replaced, key ``"seal:<id>"``. The text is ``services.default_notice_text`` (the
same words as the street office's ``SealNotice``); its last line "特此公告。" becomes the closing. The board
notice runs at least ``policy seal.lost_notice_days`` days (30 by the rule book, both ends included).

How it relates to ``SealNotice``: the street office records, on the seal's page, that a notice was posted
and for how long (``services.record_notice``: its own paper with a verification code). The board notice is
the committee's posting of the same announcement on the disclosure board (drafted by the community's staff,
approved and printed by the disclosure app). Both may exist; neither replaces the other.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from committee import policy
from disclosure import composers
from seals import services
from seals.models import Seal, SealNotice

SEAL_KEY = re.compile(r"seal:(\d{1,18})", re.ASCII)
VOID_STATUSES = (Seal.Status.LOST, Seal.Status.REPLACED)


def seal_key(seal: Seal) -> str:
    return f"seal:{seal.pk}"


def void_seals(community, day=None) -> list[composers.Subject]:
    """SEAL-8: the community's lost or replaced seals, the most recently voided first. One query."""
    seals = (Seal.objects.filter(community=community, status__in=VOID_STATUSES)
             .order_by("-void_from", "-issued_on", "-pk"))
    return [composers.Subject(seal_key(s), _("%(seal)s · %(status)s") % {"seal": s, "status": s.get_status_display()})
            for s in seals]


def compose_lost(community, subject_key, acting_user=None) -> composers.Composed:
    """SEAL-8: the board notice of a void seal of ``community``; a seal of another community, one still in
    use or a key that names no seal is refused (field ``subject``)."""
    match = SEAL_KEY.fullmatch(str(subject_key or "").strip())
    seal = None
    if match:
        seal = (Seal.objects.filter(community=community, pk=int(match.group(1)))
                .select_related("community").first())
    if seal is None:
        raise ValidationError({"subject": _("Choose a seal of this community (SEAL-8).")})
    if seal.status not in VOID_STATUSES:
        raise ValidationError({"subject": _("Only a lost or replaced seal is announced as void (SEAL-8).")})
    reason = SealNotice.Reason.LOST if seal.status == Seal.Status.LOST else SealNotice.Reason.REPLACED
    new_seal = Seal.objects.filter(replaces=seal).first()
    with translation.override("zh-hans"):  # an official paper for residents, as the street office's notice
        lines = [line.strip() for line in services.default_notice_text(seal, reason, new_seal).splitlines()]
        lines = [line for line in lines if line]
        closing = [lines.pop()] if lines and lines[-1] == "特此公告。" else []
        title = _("Notice: the seal “%(seal)s” is void") % {"seal": seal.name}
    void_day = timezone.localtime(seal.void_from).date() if seal.void_from else None
    return composers.Composed(
        title=title, paragraphs=lines, closing=closing,
        figures={"seal": {"id": seal.pk, "name": seal.name, "kind": seal.kind, "status": seal.status,
                          "void_from": seal.void_from.isoformat() if seal.void_from else None},
                 "reason": str(reason),
                 "new_seal": ({"id": new_seal.pk, "name": new_seal.name, "issued_on": new_seal.issued_on.isoformat()}
                              if new_seal is not None else None)},
        min_days=policy.get(community, "seal.lost_notice_days"),  # SEAL-8: at least 30 days
        period_start=void_day, source=seal)


def register() -> None:
    composers.register(composers.Composer(
        key="seals.lost", label=gettext_lazy("A lost or replaced seal is void"), category=composers.SEAL,
        rule="SEAL-8", subjects=void_seals, compose=compose_lost, order=60))
