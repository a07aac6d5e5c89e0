from django.contrib import admin

from committee.admin import HistoryAdmin
from finance import models

# FIN-11, CTL-5: financial records are reversed, never deleted; the admin is read-only (committee.admin).
NoDeleteAdmin = HistoryAdmin


@admin.register(models.Budget)
class BudgetAdmin(NoDeleteAdmin):
    list_display = ["community", "year", "fund_type"]
    list_filter = ["year", "fund_type", "community"]


@admin.register(models.BudgetLine)
class BudgetLineAdmin(NoDeleteAdmin):
    list_display = ["budget", "name", "amount"]
    list_filter = ["budget__year", "community"]


@admin.register(models.Expense)
class ExpenseAdmin(NoDeleteAdmin):
    list_display = ["purpose", "community", "amount", "method", "state", "requested_on", "paid_on"]
    list_filter = ["state", "method", "community"]
    search_fields = ["purpose", "payee"]


@admin.register(models.Cheque)
class ChequeAdmin(NoDeleteAdmin):
    list_display = ["number", "community", "project", "amount", "state", "issued_on", "due_on", "settled_on"]
    list_filter = ["state", "community"]


@admin.register(models.Receipt)
class ReceiptAdmin(NoDeleteAdmin):
    list_display = ["number", "community", "payer", "amount", "received_on", "reversed"]
    list_filter = ["community", "source"]


@admin.register(models.Audit)
class AuditAdmin(NoDeleteAdmin):
    list_display = ["community", "kind", "done_on", "auditors"]


for model in (models.Reimbursement, models.Invoice, models.Reversal):
    admin.site.register(model, NoDeleteAdmin)
