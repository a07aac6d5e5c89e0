from django.contrib import admin

from committee.admin import HistoryAdmin  # CTL-5: read-only, nothing deleted
from dibao.models import Access, Case, CaseMember, Document, PanelSeat, Review, Standard, Transition, Visit

for model in (Access, Case, CaseMember, Document, PanelSeat, Review, Standard, Transition, Visit):
    admin.site.register(model, HistoryAdmin)
