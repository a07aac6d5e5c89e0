"""Figures per community for the street office's comparison table. Each app may register columns in its
AppConfig.ready: ``indicators.register(key, label, fn, order=…)`` where ``fn(communities, day)`` returns
``{community_id: value}`` with a fixed number of queries."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from committee import counts


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
    """The core's four columns (staff in post, residents, households, steps waiting): counts of the one
    per-community counts query (``committee.counts``), read once per GET request."""
    return {pk: {name: values.get(f"core.{name}", 0) for name in ("staff", "residents", "households", "pending")}
            for pk, values in counts.of(communities, day).items()}


@counts.register
def _core_sources(communities, day):
    from committee.models import Approval, Household, Person, Staff

    return {"core.staff": Staff.objects.filter(Q(left_on__isnull=True) | Q(left_on__gte=day)),
            "core.residents": Person.objects.filter(moved_out_on__isnull=True),
            "core.households": Household.objects.all(),
            "core.pending": Approval.objects.filter(status=Approval.Status.PENDING)}


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
