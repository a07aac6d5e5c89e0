from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class WelfareConfig(AppConfig):
    name = "welfare"
    verbose_name = _("Public-welfare projects")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import pre_save

        from committee import approvals, indicators, navigation
        from disclosure import composers
        from finance import services as fin
        from meetings import kinds
        from meetings.models import BodyMember
        from welfare import inbox, notices, services
        from welfare import reminders as wel_reminders
        from welfare.models import Change, Plan

        approvals.register(Plan, on_decided=services.on_plan_decided, describe=inbox.describe_plan,
                           kind=_("Public-welfare plan"))  # WEL-2
        approvals.register(Change, on_decided=services.on_change_decided, describe=inbox.describe_change,
                           kind=_("Welfare project change"))  # WEL-8
        fin.register_expense_check(services.expense_check)  # WEL-5, WEL-6
        fin.register_reimbursement_check(services.reimbursement_check)  # WEL-9
        # WEL-10: the two groups are meetings bodies meeting at least quarterly (MTG-11 shows them overdue).
        kinds.register(services.MANAGEMENT_GROUP, _("Public-welfare project management group"), cadence_months=3,
                       rule="WEL-10")
        kinds.register(services.SUPERVISION_GROUP, _("Public-welfare project supervision group"), cadence_months=3,
                       rule="WEL-10")
        pre_save.connect(_check_member, sender=BodyMember, dispatch_uid="welfare_group_member")
        composers.register(composers.Composer(  # WEL-11
            key="welfare.quarter", label=_("Quarterly notice of the public-welfare projects"),
            category=composers.WELFARE, rule="WEL-11", subjects=notices.subjects, compose=notices.compose, order=30))
        indicators.register("wel_spent", _("Welfare fund spent"), wel_reminders.spent_indicator, order=70,
                            url=lambda c: reverse("welfare_home"))
        indicators.register("wel_completed", _("Welfare projects completed"), wel_reminders.completed_indicator,
                            order=71, url=lambda c: reverse("welfare_home"))
        navigation.register(_("Public welfare"), "welfare_home", order=42, prefix="/welfare/")


def _check_member(sender, instance, raw=False, **kwargs):
    if raw:
        return
    from welfare.services import check_member

    check_member(instance)
