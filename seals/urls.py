from django.urls import path

from seals import views

urlpatterns = [
    path("", views.home, name="seals_home"),
    path("new/", views.seal_new, name="seals_seal_new"),
    path("<int:pk>/", views.seal_detail, name="seals_seal"),
    path("<int:pk>/custodian/", views.seal_custodian, name="seals_seal_custodian"),
    path("<int:pk>/loss/", views.seal_loss, name="seals_seal_loss"),
    path("<int:pk>/replace/", views.seal_replace, name="seals_seal_replace"),
    path("<int:pk>/notice/", views.seal_notice, name="seals_seal_notice"),
    path("<int:pk>/handover/", views.handover_new, name="seals_handover_new"),
    path("notices/<int:pk>.pdf", views.notice_pdf, name="seals_notice_pdf"),
    path("handovers/<int:pk>/", views.handover_detail, name="seals_handover"),
    path("handovers/<int:pk>/give/", views.handover_give, name="seals_handover_give"),
    path("handovers/<int:pk>/receive/", views.handover_receive, name="seals_handover_receive"),
    path("uses/new/", views.use_new, name="seals_use_new"),
    path("uses/<int:pk>/", views.use_detail, name="seals_use"),
    path("uses/<int:pk>/stamp/", views.use_stamp, name="seals_use_stamp"),
    path("uses/<int:pk>/withdraw/", views.use_withdraw, name="seals_use_withdraw"),
    path("uses/<int:pk>/void/", views.use_void, name="seals_use_void"),
    path("uses/<int:pk>/document/", views.use_document, name="seals_use_document"),
    path("certificates/new/", views.certificate_new, name="seals_certificate_new"),
    path("certificates/<int:pk>/", views.certificate_detail, name="seals_certificate"),
    path("certificates/<int:pk>.pdf", views.certificate_pdf, name="seals_certificate_pdf"),
    path("certificates/<int:pk>/void/", views.certificate_void, name="seals_certificate_void"),
    path("templates/", views.templates, name="seals_templates"),
    path("templates/<slug:kind>/", views.template_edit, name="seals_template_edit"),
    path("register/", views.register, name="seals_register"),
    path("register.pdf", views.register_pdf, name="seals_register_pdf"),
    path("register.xlsx", views.register_xlsx, name="seals_register_xlsx"),
    # public, no login: the page a certificate's QR code opens
    path("verify/", views.verify, name="seals_verify"),
    path("v/<str:code>/", views.verify_code, name="seals_verify_code"),
]
