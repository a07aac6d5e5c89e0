from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class SealsConfig(AppConfig):
    name = "seals"
    verbose_name = _("Seals")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from committee import approvals, inbox, indicators, navigation
        from seals import inbox as inbox_cards
        from seals import reminders, services
        from seals.models import SealUse

        approvals.register(SealUse, on_decided=services.on_use_decided, describe=inbox_cards.describe_use,
                           kind=_("Seal use"))  # SEAL-4
        inbox.register_tasks(reminders.stamping_tasks)  # SEAL-1: approved uses wait for the custodian
        navigation.register(_("Seals"), "seals_home", order=45, prefix="/seals/")
        indicators.register("seal_uses_month", _("Seal uses this month"), reminders.uses_this_month, order=80,
                            url=lambda c: reverse("seals_home"))  # oversight (issue 17)
        from seals import disclosure

        disclosure.register()  # SEAL-8: the void seal's notice on the disclosure board
