from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CommitteeConfig(AppConfig):
    name = "committee"
    verbose_name = _("Committee (shared core)")

    def ready(self):
        from committee import audit, controls, inputs, navigation, reminders, scoping  # noqa: F401 (audit: login signals)

        inputs.install_form_validators()  # CTL-8: every form field of every app
        self._guard_models(inputs)

        reminders.autodiscover()
        navigation.register(_("Dashboard"), "dashboard", order=0, prefix="/dashboard/")
        navigation.register_access("audit_list", lambda r: controls.can_read_audit(scoping.staff_for(r.user)))
        navigation.register(_("Waiting for me"), "inbox", order=1, prefix="/inbox/")
        navigation.register(pgettext_lazy("inbox", "Done"), "inbox_done", order=2, prefix="/done/")
        navigation.register(_("My reminders"), "notification_list", order=3, prefix="/notifications/")
        navigation.register(_("Residents"), "person_list", order=10, prefix="/residents/")
        navigation.register(_("In the office"), "whereabouts", order=5, prefix="/office/")
        navigation.register(_("Staff"), "staff_list", order=80, prefix="/staff/")
        navigation.register(_("Roles"), "role_list", order=81, prefix="/roles/")
        navigation.register(_("Rules in force"), "policy", order=90, prefix="/policy/")
        navigation.register(_("Calendar"), "calendar", order=91, prefix="/calendar/")
        navigation.register(_("Audit trail"), "audit_list", order=95, prefix="/audit/",
                            visible=lambda user: controls.can_read_audit(scoping.staff_for(user)))
        from committee import views_access

        navigation.register_access("access_records", lambda r: views_access.may_read(r.user))
        navigation.register(_("Access records"), "access_records", order=96, prefix="/access-records/",
                            visible=views_access.may_read)

    @staticmethod
    def _guard_models(inputs):
        """CTL-8 behind the forms: every model of the project's own apps (not Django's, not the libraries')."""
        from pathlib import Path

        from django.apps import apps
        from django.conf import settings
        from django.db.models.signals import pre_save

        base = Path(settings.BASE_DIR).resolve()
        for config in apps.get_app_configs():
            if Path(config.path).resolve().is_relative_to(base) and ".venv" not in Path(config.path).parts:
                for model in config.get_models():
                    pre_save.connect(inputs.guard_text_fields, sender=model,
                                     dispatch_uid=f"ctl8-text-{model._meta.label_lower}")
