from django.urls import path

from archives import views

urlpatterns = [
    path("", views.home, name="archives_home"),
    path("catalogue.xlsx", views.catalogue_xlsx, name="archives_catalogue_xlsx"),
    path("items/new/", views.item_new, name="archives_item_new"),
    path("items/<int:pk>/", views.item_detail, name="archives_item"),
    path("items/<int:pk>/version/", views.item_version, name="archives_item_version"),
    path("items/<int:pk>/copy.pdf", views.item_copy_pdf, name="archives_item_copy"),
    path("items/<int:pk>/lend/", views.lend, name="archives_lend"),
    path("files/<int:pk>/", views.file_download, name="archives_file"),
    path("volumes/", views.volumes, name="archives_volumes"),
    path("volumes/<int:pk>/", views.volume_detail, name="archives_volume"),
    path("volumes/<int:pk>.pdf", views.volume_pdf, name="archives_volume_pdf"),
    path("cabinets/", views.cabinets, name="archives_cabinets"),
    path("cabinets/new/", views.cabinet_new, name="archives_cabinet_new"),
    path("filing/", views.offers, name="archives_offers"),
    path("filing/file/", views.offer_file, name="archives_offer_file"),
    path("filing/done/", views.year_filed, name="archives_year_filed"),
    path("loans/", views.loans, name="archives_loans"),
    path("loans.pdf", views.loans_pdf, name="archives_loans_pdf"),
    path("loans.xlsx", views.loans_xlsx, name="archives_loans_xlsx"),
    path("loans/<int:pk>/return/", views.loan_return, name="archives_loan_return"),
    path("handovers/", views.handovers, name="archives_handovers"),
    path("handovers/new/", views.handover_new, name="archives_handover_new"),
    path("handovers/<int:pk>/", views.handover_detail, name="archives_handover"),
    path("handovers/<int:pk>/sign/", views.handover_sign, name="archives_handover_sign"),
    path("handovers/<int:pk>.pdf", views.handover_pdf, name="archives_handover_pdf"),
]
