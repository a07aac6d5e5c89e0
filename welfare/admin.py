from django.contrib import admin

from committee.admin import HistoryAdmin  # CTL-5: read-only, nothing deleted
from welfare.models import (
    Activity,
    Category,
    Change,
    InvoiceSignature,
    Plan,
    Project,
    QuarterMoney,
    RefusedUse,
    Spending,
    Survey,
)

for model in (Activity, Category, Change, InvoiceSignature, Plan, Project, QuarterMoney, RefusedUse, Spending,
              Survey):
    admin.site.register(model, HistoryAdmin)
