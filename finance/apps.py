from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "finance"
    verbose_name = _("Finance")

    def ready(self):
        from committee import approvals, navigation, scoping
        from committee import inbox as committee_inbox
        from finance import inbox, services, tasks
        from finance.models import Expense

        approvals.register(Expense, on_decided=services.on_expense_decided, describe=inbox.describe, kind=_("Expense"))
        committee_inbox.register_tasks(tasks.finance_tasks)
        navigation.register(_("Finance"), "finance_home", order=40, prefix="/finance/")
        navigation.register_access("finance_splitting", lambda r: scoping.is_street_staff(r.user))
        from finance import disclosure

        disclosure.register()  # FIN-10, FIN-7: the notices of the disclosure board (DIS-2, DIS-4)
