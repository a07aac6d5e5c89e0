"""The archives chapter's item of the POST-6 annual evaluation (``posts.evaluation``, item
``archives.filed``).

ARC-2: in the evaluation of ``year``, the previous year's (``year − 1``) materials are filed by the end of the
filing month (policy ``arc.filing_month``, March) of ``year`` — ``services.filing_deadline`` — when the
archivist recorded the year as filed (``YearFiled``, ``services.record_year_filed``, which refuses while the
product still offers records of that year: ``services.pending_offers``).

* recorded filed on or before the deadline: score 1;
* recorded after the deadline, or not recorded once the deadline has passed: score 0;
* not recorded and the deadline not reached yet: score None (not decided yet, earns nothing and is left
  out of the available weight) with the deadline in the detail;
* ``year`` not begun: "—", None.

The date recorded is the server's (CTL-6) ``YearFiled.at`` in local time.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from archives import services
from archives.models import YearFiled
from committee.scoping import community_ids
from posts.evaluation import Figure


def filed(community, year: int, *, today: dt.date | None = None) -> Figure:
    """ARC-2 → POST-6: was ``year − 1`` recorded as filed by the end of the filing month of ``year``? Two
    queries (policy, the year's record)."""
    today = today or timezone.localdate()
    materials = year - 1
    url = reverse("archives_offers") + f"?year={materials}"

    def open_to(request) -> bool:
        # the filing page is staff_required and works in one of the reader's communities (as the ARC-2
        # reminder's link)
        return community.pk in community_ids(request.user)

    if today < dt.date(year, 1, 1):
        return Figure("—", None, _("The year has not begun."), url, open_to=open_to)
    deadline = services.filing_deadline(community, materials)
    record = YearFiled.objects.filter(community=community, year=materials).first()
    names = {"year": materials, "deadline": deadline.isoformat()}
    if record is not None:
        on = timezone.localdate(record.at)
        names["day"] = on.isoformat()
        if on <= deadline:
            return Figure(_("filed %(day)s") % names, Decimal(1),
                          _("The materials of %(year)s were recorded as filed on %(day)s, by the deadline "
                            "%(deadline)s.") % names, url, open_to=open_to)
        return Figure(_("filed late, %(day)s") % names, Decimal(0),
                      _("The materials of %(year)s were recorded as filed on %(day)s, after the deadline "
                        "%(deadline)s.") % names, url, open_to=open_to)
    if today > deadline:
        return Figure(_("not filed"), Decimal(0),
                      _("The materials of %(year)s were not recorded as filed by the deadline %(deadline)s.")
                      % names, url, open_to=open_to)
    return Figure(_("due by %(deadline)s") % names, None,
                  _("The materials of %(year)s are due to be filed by %(deadline)s; not recorded as filed yet.")
                  % names, url, open_to=open_to)
