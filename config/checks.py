"""Start-up checks of the production configuration.

With DEBUG off the static files are served by WhiteNoise from STATIC_ROOT with hashed names (a manifest
written by ``collectstatic``). Without that manifest every page would answer 500 ("Missing staticfiles
manifest entry"); the WSGI application refuses to start instead, saying what to run. ``make serve`` runs
collectstatic before gunicorn, so this only fires on a start path that skipped it."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def require_collected_static() -> None:
    if settings.DEBUG:
        return
    from django.contrib.staticfiles.storage import staticfiles_storage

    manifest_name = getattr(staticfiles_storage, "manifest_name", None)
    if manifest_name is None:  # a storage without a manifest
        return
    if not (Path(settings.STATIC_ROOT) / manifest_name).is_file():
        raise ImproperlyConfigured(
            f"DEBUG is off and {Path(settings.STATIC_ROOT) / manifest_name} does not exist: run "
            "`python manage.py collectstatic --noinput` before starting the server (`make serve` does).")
