from django.contrib import admin

from committee.admin import HistoryAdmin  # CTL-5: read-only, nothing deleted
from seals.models import (
    Certificate,
    CertificateTemplate,
    Counter,
    Handover,
    LossReport,
    Seal,
    SealNotice,
    SealUse,
)


@admin.register(Seal)
class SealAdmin(HistoryAdmin):
    list_display = ["name", "community", "kind", "status", "custodian", "issued_on"]
    list_filter = ["kind", "status"]


@admin.register(SealUse)
class SealUseAdmin(HistoryAdmin):
    list_display = ["number", "community", "use_kind", "matter", "status", "stamped_at"]
    list_filter = ["status", "use_kind"]


@admin.register(Certificate)
class CertificateAdmin(HistoryAdmin):
    list_display = ["number", "community", "kind", "status", "issued_on"]
    list_filter = ["status", "kind"]


for model in (CertificateTemplate, Counter, Handover, LossReport, SealNotice):
    admin.site.register(model, HistoryAdmin)
