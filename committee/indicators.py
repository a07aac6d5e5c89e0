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
    # optional link target of a figure: ``url(community) -> str``, the list of the records behind it (the
    # street office's overview narrows it to the community with ?community=<id>); None: no link
    url: Callable | None = None


_indicators: dict[str, Indicator] = {}


def register(key: str, label, fn: Callable, *, order: int, url: Callable | None = None) -> None:
    _indicators[key] = Indicator(key, label, fn, order, url)


def columns() -> list[Indicator]:
    return sorted(_indicators.values(), key=lambda i: i.order)


def table(communities, day) -> tuple[list[Indicator], list[tuple]]:
    """(columns, rows): each row is (community, [value per column])."""
    columns = sorted(_indicators.values(), key=lambda i: i.order)
    values = {i.key: i.fn(communities, day) for i in columns}
    rows = [(c, [values[i.key].get(c.pk, 0) for i in columns]) for c in communities]
    return columns, rows


def _core(communities, day) -> dict[int, dict]:
    """The core's four columns (staff in post, residents, households, steps waiting) in one query: a count
    subquery each, grouped by community. Read once per GET request for the same communities and day."""
    from committee.middleware import per_request

    communities = list(communities)
    return per_request(("indicators.core", tuple(c.pk for c in communities), day),
                       lambda: _core_counts(communities, day))


def _core_counts(communities, day) -> dict[int, dict]:
    from django.db.models import IntegerField, OuterRef, Subquery, Value
    from django.db.models.functions import Coalesce

    from committee.models import Approval, Community, Household, Person, Staff

    def count(qs):
        grouped = (qs.filter(community=OuterRef("pk")).order_by().values("community")
                   .annotate(n=Count("pk")).values("n")[:1])
        return Coalesce(Subquery(grouped, output_field=IntegerField()), Value(0))

    rows = Community.objects.filter(pk__in=[c.pk for c in communities]).annotate(
        n_staff=count(Staff.objects.filter(Q(left_on__isnull=True) | Q(left_on__gte=day))),
        n_residents=count(Person.objects.filter(moved_out_on__isnull=True)),
        n_households=count(Household.objects.all()),
        n_pending=count(Approval.objects.filter(status=Approval.Status.PENDING)),
    ).values_list("pk", "n_staff", "n_residents", "n_households", "n_pending")
    return {pk: {"staff": a, "residents": b, "households": c, "pending": d} for pk, a, b, c, d in rows}


def _staff(communities, day):
    return {pk: v["staff"] for pk, v in _core(communities, day).items()}


def _residents(communities, day):
    return {pk: v["residents"] for pk, v in _core(communities, day).items()}


def _households(communities, day):
    return {pk: v["households"] for pk, v in _core(communities, day).items()}


def _pending_approvals(communities, day):
    return {pk: v["pending"] for pk, v in _core(communities, day).items()}


def _link(url_name):
    def url(community):
        from django.urls import reverse

        return reverse(url_name)  # the overview adds ?community=<id> (oversight.services.for_community)

    return url


register("staff", _("Staff in post"), _staff, order=10, url=_link("staff_list"))
register("residents", _("Residents registered"), _residents, order=20, url=_link("person_list"))
register("households", _("Households"), _households, order=30, url=_link("building_list"))  # per building
# no list of every pending step of a community (the inbox shows the reader's own): a plain number
register("pending", _("Approval steps waiting"), _pending_approvals, order=90)
