"""Product-wide invariants: every model keeps history, and no admin page can revert or delete history."""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from committee.admin import ReadOnlyHistoryMixin

# The project's own apps: those whose package lives in the repository (a new chapter is covered at once).
PROJECT_APPS = {config.name for config in apps.get_app_configs()
                if Path(config.path).parent == Path(settings.BASE_DIR)}


def _project_models():
    for config in apps.get_app_configs():
        if config.name.split(".")[0] not in PROJECT_APPS:
            continue
        for model in config.get_models():
            if model.__name__.startswith("Historical"):
                continue
            yield model


def test_every_project_model_keeps_history():
    missing = [m._meta.label for m in _project_models() if not hasattr(m, "history")]
    assert not missing, f"models without HistoricalRecords(): {missing}"


def test_no_admin_page_can_revert_history():
    offenders = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, SimpleHistoryAdmin) and not isinstance(model_admin, ReadOnlyHistoryMixin)
    ]
    assert not offenders, f"admins that could revert history (use committee.admin.HistoryAdmin): {offenders}"
