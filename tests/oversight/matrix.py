"""Permission matrix entries of the oversight pages: street office only; community staff 403 (issue 17)."""

from __future__ import annotations

from tests.matrix import add, everyone

street_only = everyone(403, street=200)

add("oversight_overview", street_only)
add("oversight_overview_xlsx", street_only)
# issue 17: the 12-month comparison and the street leader's monthly report
add("oversight_months", street_only)
add("oversight_months_xlsx", street_only)
add("oversight_report_pdf", street_only, args=lambda w: ["2026-11"])
add("oversight_report_xlsx", street_only, args=lambda w: ["2026-11"])
