"""The rules of the archives chapter as plain functions and tables (ARC-1, ARC-2, ARC-3, ARC-5, ARC-6).

``CATEGORIES`` is the list of ARC-1 (A5 档案工作制度: what a residents' committee files); the migration
``0002_categories`` copies it into the ``Category`` table, the policy table the catalogue uses.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt

from django.utils.translation import gettext_lazy as _

from committee.models import Role

# ARC-1: the categories of the rule book, in its order (key, label)
CATEGORIES = [
    ("meetings", _("Meeting records, minutes and speeches")),
    ("reports", _("Summaries, plans, reports, requests and replies")),
    ("petitions", _("Petition (信访) registrations")),
    ("street_documents", _("Street-office rules, decisions and notices")),
    ("personnel", _("Staff attendance, appointments, hiring and leaving")),
    ("clippings", _("News clippings")),
    ("honours", _("Honours of the community and its people")),
    ("ledgers", _("Rosters and ledgers (台账)")),
    ("media", _("Photos and video")),
    ("trophies", _("Trophies and certificates")),
    ("other", _("Other")),
]
CATEGORY_LABELS = dict(CATEGORIES)

# Who may do what (documented in docs/archives.md):
# - the archivist (档案员) files, adds versions, records cabinets, lends and takes back (ARC-1, ARC-5);
# - the director lends and takes back too (the archivist is part-time) and reads the files;
# - every other member of the community's staff reads the catalogue and the borrowing register;
# - the street office reads everything of its communities and changes nothing.
FILE_READERS = (Role.ARCHIVIST, Role.DIRECTOR, Role.DEPUTY_DIRECTOR, Role.PARTY_SECRETARY)
LENDERS = (Role.ARCHIVIST, Role.DIRECTOR)


def filing_deadline(year: int, filing_month: int) -> dt.date:
    """ARC-2: the materials of ``year`` are filed by the end of ``filing_month`` (March) of the next year."""
    last = _calendar.monthrange(year + 1, filing_month)[1]
    return dt.date(year + 1, filing_month, last)


def year_closed(year: int, today: dt.date, filing_month: int, closed_years=()) -> bool:
    """ARC-3: a year is closed once its filing deadline has passed or the archivist recorded it as filed;
    an item filed into a closed year is a late entry (补记) and needs its reason."""
    return year in closed_years or today > filing_deadline(year, filing_month)


def loan_overdue(due_on: dt.date, returned_on: dt.date | None, today: dt.date) -> bool:
    """ARC-5: a loan not returned after its due date."""
    return returned_on is None and today > due_on
