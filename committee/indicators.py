"""Figures per community for the street office's comparison table. Each app may register columns in its
AppConfig.ready: ``indicators.register(key, label, fn, order=…)`` where ``fn(communities, day)`` returns
``{community_id: value}`` with a fixed number of queries."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Indicator:
    key: str
    label: object
    fn: Callable
    order: int


_indicators: dict[str, Indicator] = {}


def register(key: str, label, fn: Callable, *, order: int) -> None:
    _indicators[key] = Indicator(key, label, fn, order)


def table(communities, day) -> tuple[list[Indicator], list[tuple]]:
    """(columns, rows): each row is (community, [value per column])."""
    columns = sorted(_indicators.values(), key=lambda i: i.order)
    values = {i.key: i.fn(communities, day) for i in columns}
    rows = [(c, [values[i.key].get(c.pk, 0) for i in columns]) for c in communities]
    return columns, rows


def _staff(communities, day):
    from committee.models import Community

    return dict(
        Community.objects.filter(pk__in=[c.pk for c in communities])
        .annotate(n=Count("staff", filter=Q(staff__left_on__isnull=True) | Q(staff__left_on__gte=day)))
        .values_list("pk", "n")
    )


def _residents(communities, day):
    from committee.models import Person

    return dict(
        Person.objects.filter(community__in=communities, moved_out_on__isnull=True)
        .values("community_id").annotate(n=Count("pk")).values_list("community_id", "n")
    )


def _households(communities, day):
    from committee.models import Household

    return dict(
        Household.objects.filter(community__in=communities)
        .values("community_id").annotate(n=Count("pk")).values_list("community_id", "n")
    )


def _pending_approvals(communities, day):
    from committee.models import Approval

    return dict(
        Approval.objects.filter(community__in=communities, status=Approval.Status.PENDING)
        .values("community_id").annotate(n=Count("pk")).values_list("community_id", "n")
    )


register("staff", _("Staff in post"), _staff, order=10)
register("residents", _("Residents registered"), _residents, order=20)
register("households", _("Households"), _households, order=30)
register("pending", _("Approval steps waiting"), _pending_approvals, order=90)
