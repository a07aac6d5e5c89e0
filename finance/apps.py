from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "finance"
    verbose_name = _("Finance")

    def ready(self):
        from committee import approvals, inbox, navigation
        from finance import services, tasks
        from finance.models import Expense

        approvals.register(Expense, on_decided=services.on_expense_decided)
        inbox.register_tasks(tasks.finance_tasks)
        navigation.register(_("Finance"), "finance_home", order=40, prefix="/finance/")
