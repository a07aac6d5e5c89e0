from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DibaoConfig(AppConfig):
    name = "dibao"
    verbose_name = _("Dibao")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from committee import navigation
        from dibao import posting, reminders, services  # noqa: F401  (reminders register themselves)
        from meetings import kinds

        # DB-1 / DB-2: the review panel is a meetings body that meets monthly with a 2/3 quorum (MTG-6).
        kinds.register(services.PANEL_KIND, _("Dibao review panel"), cadence_key="db.panel_months", quorum=True,
                       rule="DB-2")
        posting.register()  # DB-5 through the disclosure chapter (DIS-4)
        navigation.register(_("Dibao"), "dibao_home", order=55, prefix="/dibao/",
                            visible=services.may_see_list)
        navigation.register_access("dibao_home", lambda request: services.may_see_list(request.user))
