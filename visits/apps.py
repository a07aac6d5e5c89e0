from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "visits"
    verbose_name = _("Grids and visits")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from committee import inbox, indicators, navigation, scoping
        from meetings import kinds
        from visits import reminders

        # GRID-4: the grid work meeting at the end of every quarter; MTG-11 reminds when a quarter passes.
        kinds.register("grid_work", _("Grid work meeting"), cadence_months=3, quorum=False, rule="GRID-4")
        navigation.register(_("Visits"), "visits_home", order=47, prefix="/visits/")
        inbox.register_tasks(reminders.request_tasks)  # GRID-6: requests assigned to me
        indicators.register("visits_overdue_requests", _("Requests overdue"), reminders.overdue_requests, order=70,
                            url=lambda c: reverse("visits_home"))
        # only a community's own staff log visits and receive requests (the street office reads)
        navigation.register_access("visits_visit_new", lambda request: bool(
            getattr(scoping.staff_for(request.user), "community_id", None)))
