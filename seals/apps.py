from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SealsConfig(AppConfig):
    name = "seals"
    verbose_name = _("Seals")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from committee import approvals, inbox, navigation
        from seals import reminders, services
        from seals.models import SealUse

        approvals.register(SealUse, on_decided=services.on_use_decided)  # SEAL-4
        inbox.register_tasks(reminders.stamping_tasks)  # SEAL-1: approved uses wait for the custodian
        navigation.register(_("Seals"), "seals_home", order=45, prefix="/seals/")
