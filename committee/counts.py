"""Counts per community in one query: every chapter's "how many … in this community" that a dashboard, a
reminder or the street office's comparison needs, as a correlated COUNT subquery each over the communities.

Apps register sources in their ``reminders.py`` (or AppConfig.ready)::

    counts.register(source)

where ``source(communities, day)`` returns ``{key: queryset}``; each queryset has a ``community`` foreign key
and is counted per community (``queryset.filter(community=<the community>)``). The keys are the app's own
(``"meetings.held_year"``). ``of(communities, day)`` answers ``{community id: {key: n}}`` for every registered
source in **one** query whatever the number of sources and communities, made once per GET request for the
same communities and day (``committee.middleware.per_request``): the reminders and the figures share it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

Source = Callable[[list, dt.date], dict[str, QuerySet]]
_sources: list[Source] = []


def register(source: Source) -> Source:
    if source not in _sources:
        _sources.append(source)
    return source


def count_subquery(qs: QuerySet, ref: str = "pk", field: str = "community"):
    """``qs``'s rows whose ``field`` is the outer row's ``ref``, counted (0 when none)."""
    grouped = (qs.filter(**{field: OuterRef(ref)}).order_by().values(field)
               .annotate(n=Count("pk")).values("n")[:1])
    return Coalesce(Subquery(grouped, output_field=IntegerField()), Value(0))


def of(communities, day: dt.date) -> dict[int, dict[str, int]]:
    """{community id: {key: n}} for every registered source (one query; once per GET request)."""
    from committee.middleware import per_request

    communities = list(communities)
    return per_request(("counts.of", tuple(c.pk for c in communities), day), lambda: _of(communities, day))


def _of(communities, day) -> dict[int, dict[str, int]]:
    from committee.models import Community

    out: dict[int, dict[str, int]] = {c.pk: {} for c in communities}
    querysets: dict[str, QuerySet] = {}
    for source in _sources:
        querysets.update(source(communities, day))
    if not communities or not querysets:
        return out
    names = {f"n{i}": key for i, key in enumerate(querysets)}  # keys hold dots: not valid aliases
    rows = (Community.objects.filter(pk__in=list(out))
            .annotate(**{alias: count_subquery(querysets[key]) for alias, key in names.items()})
            .values("pk", *names))
    for row in rows:
        out[row["pk"]] = {key: row[alias] for alias, key in names.items()}
    return out


def get(communities, day: dt.date, key: str) -> dict[int, int]:
    """{community id: n} of one key, for the communities with at least one row (like a grouped count)."""
    return {pk: values[key] for pk, values in of(communities, day).items() if values.get(key)}
