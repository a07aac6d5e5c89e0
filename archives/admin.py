from django.contrib import admin

from archives.models import (
    Cabinet,
    Category,
    Handover,
    IntegrityFailure,
    Item,
    ItemFile,
    Loan,
    Volume,
    YearFiled,
)
from committee.admin import HistoryAdmin  # CTL-5: read-only, nothing deleted


@admin.register(Item)
class ItemAdmin(HistoryAdmin):
    list_display = ["title", "community", "volume", "seq", "date", "medium", "late"]
    list_filter = ["medium", "late"]
    search_fields = ["title", "text"]


for model in (Cabinet, Category, Handover, IntegrityFailure, ItemFile, Loan, Volume, YearFiled):
    admin.site.register(model, HistoryAdmin)
