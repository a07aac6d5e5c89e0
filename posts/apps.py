from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PostsConfig(AppConfig):
    name = "posts"
    verbose_name = _("Posts and evaluation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate
        from django.urls import reverse

        # The seed rows of the rule book, after every migrate (idempotent): a database built without
        # migrations (the fast test run, `pytest --nomigrations`) has them as well as a migrated one.
        post_migrate.connect(_seed, sender=self, dispatch_uid="posts.seed")
        from committee import inbox, indicators, navigation, scoping
        from posts import evaluation, reminders, services  # noqa: F401  (evaluation: the POST-6 registry)

        inbox.register_tasks(reminders.street_tasks)  # POST-4 grades, POST-5 badges wait for the street office
        navigation.register(_("Posts"), "posts_home", order=47, prefix="/posts/")
        navigation.register_access("posts_compare", lambda request: scoping.is_street_staff(request.user))
        # POST-6: the street comparison table shows each community's latest closed evaluation (one query)
        indicators.register("posts.evaluation", _("Evaluation score"), reminders.latest_scores, order=90,
                            url=lambda c: reverse("posts_compare"))
        try:  # POST-2: the candidates' announcement, composed by the disclosure app (DIS-4)
            from disclosure import composers  # noqa: F401
        except ImportError:
            pass
        else:
            from posts import disclosure

            disclosure.register()


def _seed(sender, apps=None, **kwargs) -> None:
    # `flush` (a transactional test's teardown) sends post_migrate without `apps`: the project's models.
    if apps is None:
        from django.apps import apps
    from posts.migrations import seed

    try:
        seed(apps)
    except LookupError:  # migrated back to before the table
        pass
