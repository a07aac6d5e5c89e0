"""The main navigation. Each app registers its entries in its AppConfig.ready, so the base layout never
needs editing when an app is added."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class NavItem:
    label: object  # a lazy translated string
    url_name: str
    order: int
    visible: Callable | None = None  # (user) -> bool
    prefix: str = ""  # URL prefix that marks the entry active


_items: list[NavItem] = []


def register(label, url_name: str, *, order: int, visible: Callable | None = None, prefix: str = "") -> None:
    if any(i.url_name == url_name for i in _items):
        return
    _items.append(NavItem(label, url_name, order, visible, prefix))
    _items.sort(key=lambda i: i.order)


def items() -> list[NavItem]:
    return list(_items)


# Pages that not everyone on staff may open, by URL name: ``check(request) -> bool``, the view's own test.
# Pages that link to other apps' pages generically (the rule book's "applied in") link only when it passes.
_access: dict[str, Callable] = {}


def register_access(url_name: str, check: Callable) -> None:
    _access[url_name] = check


def may_open(request, url_name: str | None) -> bool:
    check = _access.get(url_name or "")
    return check is None or bool(check(request))
