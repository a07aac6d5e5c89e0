"""The inbox 待我审批: approval steps waiting for the user (committee.approvals) and other work that waits
for one person or role but is not an approval step (e.g. street finance paying an approved reimbursement).

Apps register task providers in their AppConfig.ready:

    inbox.register_tasks(provider)

where ``provider(user)`` returns an iterable of ``Source`` (a queryset, how a row becomes a ``Task``, a limit)
or of ``Task``; it must be cheap (no query of its own beyond the user's roles, read with the session) and
scoped to what the user may see. The inbox page reads each Source's rows; the nav badge only counts them, in
the one query of ``badge_counts``, so a provider of Sources costs the badge nothing extra.

An approval step is shown as a ``Card`` that the record's app builds at display time, in the reader's
language, with its ``describe(records, user)`` registered through ``approvals.register(Model, describe=…)``
(the summary stored with the request is only a fallback, e.g. for a record that is gone).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.apps import apps


@dataclass(frozen=True)
class Task:
    """One piece of work waiting for the user; shown as a card in the inbox with a link to act."""

    kind: str  # a short translated word for the filter (e.g. 报销)
    title: str  # what is asked, translated at display time
    url: str  # where to act
    action: str  # the button text (e.g. 报销并结清)
    community: object = None
    details: list[tuple[str, str]] = field(default_factory=list)  # (label, value) pairs, translated


@dataclass(frozen=True)
class Source:
    """Tasks still to be read: each row of ``queryset`` (at most ``limit``) becomes ``task(row)``. A provider
    that answers Sources instead of Tasks lets the nav badge count its work in the one query of
    ``badge_counts`` without reading the rows; the inbox page reads them."""

    queryset: object
    task: Callable[[object], Task]
    limit: int | None = None

    def rows(self):
        return self.queryset[: self.limit] if self.limit else self.queryset


_providers: list[Callable[[object], Iterable[Task | Source]]] = []


def register_tasks(provider: Callable[[object], Iterable[Task | Source]]) -> None:
    if provider not in _providers:
        _providers.append(provider)


def _items(user) -> list[Task | Source]:
    """What every provider answers for ``user`` (Tasks and Sources), once per GET request."""
    from committee.middleware import per_request

    def compute():
        out: list[Task | Source] = []
        for provider in _providers:
            out.extend(provider(user))
        return out

    return per_request(("inbox.items", getattr(user, "pk", None)), compute)


def tasks_for(user) -> list[Task]:
    """Every provider's tasks for ``user``; made once per GET request (the inbox page and the dashboard share
    them, ``committee.middleware.per_request``)."""
    from committee.middleware import per_request

    return list(per_request(("inbox.tasks_for", getattr(user, "pk", None)), lambda: _tasks_for(user)))


def _tasks_for(user) -> list[Task]:
    return read(_items(user))


def read(items: Iterable[Task | Source]) -> list[Task]:
    """A provider's answer as Tasks: each Source's rows read and made Tasks, plain Tasks as they are."""
    out: list[Task] = []
    for item in items:
        if isinstance(item, Source):
            out.extend(item.task(row) for row in item.rows())
        else:
            out.append(item)
    return out


def _count(queryset, limit=None):
    """A subquery counting ``queryset``'s rows (at most ``limit``), whatever it selects, groups or orders."""
    from django.db.models import F, Func, IntegerField, Subquery

    keys = queryset.order_by().values("pk") if limit is None else queryset.values("pk")[:limit]
    return Subquery(queryset.model._default_manager.filter(pk__in=keys).order_by()
                    .annotate(_n=Func(F("pk"), function="COUNT")).values("_n"), output_field=IntegerField())


def badge_counts(user) -> dict[str, int]:
    """The nav's two badges in one query: ``inbox``, the approval steps waiting for ``user``
    (``waiting``, ``approvals.waiting_for``) plus the work of every task provider (its Sources counted, not
    read, with the same limit as the inbox page; plain Tasks as they are), and ``notifications``, the unread
    ones of 我的提醒. Once per GET request (the dashboard's waiting count is the same figure)."""
    from committee.middleware import per_request

    return per_request(("inbox.badge_counts", getattr(user, "pk", None)), lambda: _badge_counts(user))


# The badge's SQL by the shape of its inputs (``_shape``), per process: building the querysets of every provider
# and compiling them costs about ten times more than running the query, on every page. A Source's queryset
# depends only on the user, their staff record, their roles today and the communities they see, so the same
# shape gives the same SQL and parameters; the counts themselves are read from the database each time.
_compiled: dict[tuple, tuple[str, tuple, tuple[str, ...]]] = {}
_COMPILED_MAX = 4096


def _shape(user) -> tuple:
    from django.utils import timezone

    from committee import scoping

    staff = scoping.staff_for(user)
    today = timezone.localdate()
    if staff is None:
        return (user.pk, None, today, tuple(map(id, _providers)))
    return (user.pk, staff.pk, staff.community_id, staff.street_office_id, today,
            frozenset(scoping.roles_on(staff, today)), tuple(scoping.community_ids(user)),
            tuple(map(id, _providers)))


def _badge_counts(user) -> dict[str, int]:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from committee import approvals, digest

    if not getattr(user, "is_authenticated", False):
        return _badges({})
    key = _shape(user)
    compiled = _compiled.get(key)
    if compiled is None:
        subqueries = {"unread": _count(digest.unread(user)), "waiting": _count(approvals.waiting_for(user))}
        plain = 0
        for i, item in enumerate(_items(user)):
            if isinstance(item, Source):
                subqueries[f"s{i}"] = _count(item.queryset, item.limit)
            else:
                plain += 1
        query = get_user_model()._default_manager.filter(pk=user.pk).annotate(**subqueries).values(*subqueries)
        if plain:  # plain Tasks are counted as they are, not in SQL: nothing to remember
            return _badges(query.first() or {}, plain)
        sql, params = query.query.sql_with_params()
        compiled = (sql, tuple(params), tuple(subqueries))
        if len(_compiled) >= _COMPILED_MAX:
            _compiled.clear()
        _compiled[key] = compiled
    sql, params, names = compiled
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        values = cursor.fetchone()
    return _badges(dict(zip(names, values, strict=True)) if values is not None else {})  # {}: the user is gone


def _badges(row: dict, plain: int = 0) -> dict[str, int]:
    """The badges from the query's row (``unread``, ``waiting`` and one column per Source) and the plain
    Tasks counted as they are."""
    return {"inbox": plain + sum(v or 0 for k, v in row.items() if k != "unread"),
            "waiting": row.get("waiting") or 0, "notifications": row.get("unread") or 0}


# --- what an approval card shows -------------------------------------------------------------------


@dataclass
class Card:
    """What the inbox shows of the record behind an approval step, built at display time in the reader's
    language by the ``describe`` function the app registered with committee.approvals."""

    kind: str  # e.g. 请假, 支出 — the same word as the kind filter
    title: str  # the matter in one line (person and what is asked)
    url: str = ""  # the record's page
    fields: list[tuple[str, object]] = field(default_factory=list)  # what is asked: person, dates, amount, reason
    attachments: list[tuple[str, str]] = field(default_factory=list)  # (name, url of the serving view)
    figures: list[tuple[str, object]] = field(default_factory=list)  # related figures for the approver


def yuan(amount) -> str:
    """Money as every page shows it: 1,200.00 元."""
    from committee.templatetags.office import yuan as fmt

    return f"{fmt(amount)} 元"


def kind_key(content_type) -> str:
    """The value of the inbox's kind filter for approvals of a model: ``app_label.model``."""
    return f"{content_type.app_label}.{content_type.model}"


def kind_label(content_type) -> str:
    from committee import approvals

    registration = approvals._registry.get(kind_key(content_type))
    if registration is not None and registration.kind:
        return str(registration.kind)
    model = content_type.model_class()
    return str(model._meta.verbose_name) if model else content_type.model


def registered_kinds() -> list[tuple[str, str]]:
    """(filter value, label) of every kind of record that goes through approvals, by label."""
    from committee import approvals

    out = []
    for key, registration in approvals._registry.items():
        app_label, model_name = key.split(".", 1)
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            continue
        out.append((key, str(registration.kind or model._meta.verbose_name)))
    return sorted(out, key=lambda kv: kv[1])


def cards_for(steps, user) -> dict[int, Card]:
    """{approval pk: Card} for approval steps (with content_type loaded): one ``describe`` call per kind
    of record, so the number of queries does not grow with the number of steps. A step whose app
    registered no ``describe``, or whose record is gone, shows the summary stored with the request."""
    from django.urls import reverse

    from committee import approvals

    by_type: dict[int, list] = {}
    for step in steps:
        by_type.setdefault(step.content_type_id, []).append(step)
    out: dict[int, Card] = {}
    for group in by_type.values():
        ct = group[0].content_type
        registration = approvals._registry.get(kind_key(ct))
        model = ct.model_class()
        described: dict = {}
        if registration is not None and registration.describe is not None and model is not None:
            records = model._default_manager.filter(pk__in={s.object_id for s in group})
            described = registration.describe(records, user) or {}
        for step in group:
            card = described.get(step.object_id)
            if card is None:
                card = Card(kind=kind_label(ct), title=step.summary, url=reverse("approval_record", args=[step.pk]))
            out[step.pk] = card
    return out
