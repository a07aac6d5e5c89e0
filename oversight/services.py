"""The street-office overview: reminders counted per community and the indicator registry's figures, each with
its link. A fixed number of queries whatever the number of communities (every collector and indicator is)."""

from __future__ import annotations

from collections import defaultdict

from committee import indicators, reminders, scoping

# WEL-3: spending ≥ 45% of the year's plan by mid-year, ≥ 90% by year end.
MID_YEAR_PCT = 45
YEAR_END_PCT = 90


def threshold(day) -> int:
    """WEL-3: the execution rate expected on ``day``: 45% from July, 90% in December (0 before July)."""
    if day.month == 12:
        return YEAR_END_PCT
    if day.month >= 7:
        return MID_YEAR_PCT
    return 0


def overview(communities, day, user=None) -> dict:
    """Per community: its reminders (overdue, due soon) and every indicator's figure, each figure with the
    link to its records in that community (the reminders: the community's dashboard)."""
    from django.urls import reverse

    communities = list(communities)
    dashboard = reverse("dashboard")
    items = reminders.collect(communities, day, user=user)
    grouped = defaultdict(list)
    for item in items:
        grouped[item.community.pk if item.community else None].append(item)
    columns = indicators.columns()
    values = {i.key: i.fn(communities, day) for i in columns}
    rows = []
    for c in communities:
        mine = grouped.get(c.pk, [])
        cells = [{"label": i.label, "value": values[i.key].get(c.pk, 0),
                  "url": scoping.for_community(i.url(c), c) if i.url else ""} for i in columns]
        rows.append({"community": c, "url": scoping.for_community(dashboard, c),
                     "overdue": [r for r in mine if r.is_overdue],
                     "due": [r for r in mine if r.state == reminders.DUE], "cells": cells})
    return {"columns": columns, "rows": rows, "street_wide": grouped.get(None, [])}


# One bar every 80 units: a community name of five characters fits under its bar at 12 units a character.
BAR_STEP = 80


def execution_chart(communities, day) -> dict:
    """WEL-3 bar chart data: each community's welfare execution rate (spent / budget, %) and the threshold lines."""
    from welfare import services as welfare

    figures = welfare.community_figures(communities, day.year)
    bars = []
    for i, c in enumerate(communities):
        pct = figures.get(c.pk, {}).get("spent_pct")
        value = float(pct) if pct is not None else 0.0
        bars.append({"community": c, "pct": pct, "height": round(min(value, 100) * 2), "x": 60 + i * BAR_STEP,
                     "label_y": 216 - round(min(value, 100) * 2), "y": 220 - round(min(value, 100) * 2), "below": pct is not None and value < threshold(day)})
    return {"bars": bars, "width": 80 + BAR_STEP * len(bars), "mid_y": 220 - MID_YEAR_PCT * 2,
            "end_y": 220 - YEAR_END_PCT * 2, "threshold": threshold(day)}
