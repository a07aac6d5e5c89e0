"""Saving a record through a service: the one place that names who acted, so its history row says who
changed what (every model keeps history: django-simple-history reads ``_history_user``)."""

from __future__ import annotations


def save(obj, acting_user, *, clean: bool = False, **kwargs):
    """Save ``obj`` as ``acting_user`` (its history row names them); ``clean`` runs the model's validation
    first. ``kwargs`` go to ``Model.save`` (e.g. ``update_fields``). Returns ``obj``."""
    obj._history_user = acting_user
    if clean:
        obj.full_clean()
    obj.save(**kwargs)
    return obj
