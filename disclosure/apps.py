from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "disclosure"
    verbose_name = _("Public disclosure")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        # The seed rows of the rule book, after every migrate (idempotent): a database built without
        # migrations (the fast test run, `pytest --nomigrations`) has them as well as a migrated one.
        post_migrate.connect(_seed, sender=self, dispatch_uid="disclosure.seed")
        from committee import approvals, inbox, navigation
        from disclosure import reminders, services
        from disclosure.inbox import describe
        from disclosure.models import Notice

        approvals.register(Notice, on_decided=services.on_decided, describe=describe,
                           kind=_("Notice"))  # DIS-3: the committee approver approves a notice
        inbox.register_tasks(reminders.issue_tasks)  # approved notices wait to be issued
        navigation.register(_("Disclosure"), "disclosure_home", order=47, prefix="/disclosure/")
        for name in ("disclosure_compose", "disclosure_new"):  # drafting: the community's own staff only
            navigation.register_access(name, _drafts)


def _drafts(request) -> bool:
    from committee.scoping import staff_for

    staff = staff_for(request.user)
    return staff is not None and staff.community_id is not None


def _seed(sender, apps=None, **kwargs) -> None:
    # `flush` (a transactional test's teardown) sends post_migrate without `apps`: the project's models.
    if apps is None:
        from django.apps import apps
    from disclosure.migrations import seed

    try:
        seed(apps)
    except LookupError:  # migrated back to before the table
        pass
