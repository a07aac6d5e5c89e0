from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "finance"
    verbose_name = _("Finance")

    def ready(self):
        from committee import approvals, navigation
        from finance import inbox, services
        from finance.models import Expense

        approvals.register(Expense, on_decided=services.on_expense_decided, describe=inbox.describe, kind=_("Expense"))
        navigation.register(_("Finance"), "finance_home", order=40, prefix="/finance/")
