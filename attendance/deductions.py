"""Wage deductions other apps add to the monthly attendance figures (e.g. MTG-5: unapproved absence from
a regular meeting). The month page and the monthly sheet include these lines in each person's deductions
and totals.

Contract: a provider is a callable ``(staff_list, year, month) -> list[dict]``; each dict has the keys
``staff_id`` (int), ``reason`` (str, translated), ``rule`` (str, e.g. "MTG-5") and ``amount`` (Decimal
yuan). A provider should read with a fixed number of queries for the whole staff list. Register it once,
e.g. in the providing app's ``AppConfig.ready``: ``deductions.register(my_provider)``.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

Provider = Callable[[list, int, int], list[dict]]

_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def unregister(provider: Provider) -> None:
    if provider in _providers:
        _providers.remove(provider)


def extra_lines(staff_list, year: int, month: int) -> list[dict]:
    """Every registered provider's lines for these staff and this month."""
    staff_list = list(staff_list)
    out: list[dict] = []
    for provider in _providers:
        for line in provider(staff_list, year, month) or ():
            out.append({
                "staff_id": int(line["staff_id"]),
                "reason": str(line["reason"]),
                "rule": str(line.get("rule", "")),
                "amount": Decimal(line["amount"]),
            })
    return out
