from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    """Street-office oversight: every chapter's overdue items and figures per community (issue 17)."""

    name = "oversight"
    verbose_name = _("Oversight")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from committee import navigation, scoping

        navigation.register(_("Oversight"), "oversight_overview", order=95, prefix="/street/",
                            visible=scoping.is_street_staff)
