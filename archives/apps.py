from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchivesConfig(AppConfig):
    name = "archives"
    verbose_name = _("Archives")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        # The seed rows of the rule book, after every migrate (idempotent): a database built without
        # migrations (the fast test run, `pytest --nomigrations`) has them as well as a migrated one.
        post_migrate.connect(_seed, sender=self, dispatch_uid="archives.seed")
        from archives import product_sources
        from committee import navigation

        product_sources.register_all()  # ARC-7: minutes, attendance sheets, audits, seal register, certificates
        navigation.register(_("Archives"), "archives_home", order=47, prefix="/archives/")


def _seed(sender, apps=None, **kwargs) -> None:
    # `flush` (a transactional test's teardown) sends post_migrate without `apps`: the project's models.
    if apps is None:
        from django.apps import apps
    from archives.migrations import seed

    try:
        seed(apps)
    except LookupError:  # migrated back to before the table
        pass
