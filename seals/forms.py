"""Forms of the seal pages. They parse; the rules are decided in seals.services."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from committee.forms import DateInput
from committee.models import Role, RoleAssignment, Staff
from committee.uploads import AttachmentField
from seals import rules
from seals.models import Seal


def custodians(community):
    """Staff of the community holding the seal-custodian role today (SEAL-1)."""
    ids = RoleAssignment.objects.on(timezone.localdate()).filter(
        community=community, role=Role.SEAL_CUSTODIAN).values("staff_id")
    return Staff.objects.filter(pk__in=ids, community=community)


class SealForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=Seal.Kind.choices)
    name = forms.CharField(label=_("wording of the seal"), max_length=120)
    place = forms.CharField(label=_("fixed place"), max_length=120)
    issued_on = forms.DateField(label=_("issued by the street office on"), widget=DateInput)
    custodian = forms.ModelChoiceField(label=_("custodian"), queryset=Staff.objects.none(), required=False)
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, community=None, **kwargs):
        super().__init__(*args, **kwargs)
        if community is not None:
            self.fields["custodian"].queryset = custodians(community)
        self.fields["issued_on"].initial = timezone.localdate()


class ReplaceForm(forms.Form):
    name = forms.CharField(label=_("wording of the new seal"), max_length=120)
    place = forms.CharField(label=_("fixed place"), max_length=120)
    issued_on = forms.DateField(label=_("new seal issued on"), widget=DateInput)
    custodian = forms.ModelChoiceField(label=_("custodian"), queryset=Staff.objects.none(), required=False)
    collected_on = forms.DateField(label=_("old seal collected on"), widget=DateInput, required=False,
                                   help_text=_("Empty for a lost seal (it cannot be collected)."))

    def __init__(self, *args, community=None, **kwargs):
        super().__init__(*args, **kwargs)
        if community is not None:
            self.fields["custodian"].queryset = custodians(community)
        self.fields["issued_on"].initial = timezone.localdate()


class CustodianForm(forms.Form):
    custodian = forms.ModelChoiceField(label=_("custodian"), queryset=Staff.objects.none())
    place = forms.CharField(label=_("fixed place"), max_length=120, required=False)

    def __init__(self, *args, community=None, **kwargs):
        super().__init__(*args, **kwargs)
        if community is not None:
            self.fields["custodian"].queryset = custodians(community)


class UseForm(forms.Form):
    seal = forms.ModelChoiceField(label=_("seal"), queryset=Seal.objects.none())
    use_kind = forms.ChoiceField(label=_("use"), choices=())
    matter = forms.CharField(label=_("matter"), max_length=300)
    address = forms.CharField(label=_("address"), max_length=200, required=False)
    copies = forms.IntegerField(label=_("copies"), min_value=1, max_value=999, initial=1)
    major = forms.BooleanField(label=_("major matter (重大事项)"), required=False,
                               help_text=_("Needs an adopted decision of a convened representatives' meeting (SEAL-4)."))
    decision = forms.ModelChoiceField(label=_("decision of the representatives' meeting"), queryset=None,
                                      required=False)
    document = AttachmentField(label=_("document"), required=False)

    def __init__(self, *args, community=None, **kwargs):
        from meetings.models import BodyKind, Decision

        super().__init__(*args, **kwargs)
        self.fields["use_kind"].choices = rules.work_choices()
        self.fields["seal"].queryset = Seal.objects.filter(community=community, status=Seal.Status.IN_USE)
        self.fields["decision"].queryset = (
            Decision.objects.filter(meeting__community=community, meeting__body__kind=BodyKind.REPRESENTATIVES,
                                    voided=False, adopted=True).select_related("meeting").order_by("-meeting__date")
        )


class CertificateForm(forms.Form):
    kind = forms.ChoiceField(label=_("certificate"), choices=())
    purpose = forms.CharField(label=_("purpose"), max_length=200,
                              help_text=_("e.g. 办理入学手续 — printed on the certificate"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = rules.certificate_choices()


class TemplateForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=100)
    body = forms.CharField(label=_("text"), widget=forms.Textarea(attrs={"rows": 6}),
                           help_text=_("Placeholders: {name} {gender} {id_number} {birth_date} {address} {community} "
                                       "{committee} {purpose} {moved_out_on} {today}"))
    validity_days = forms.IntegerField(label=_("valid for (days)"), min_value=1, max_value=3650)


class HandoverForm(forms.Form):
    took_office_on = forms.DateField(label=_("new committee took office on"), widget=DateInput)
    new_custodian = forms.ModelChoiceField(label=_("new custodian"), queryset=Staff.objects.none())
    note = forms.CharField(label=_("note"), max_length=300, required=False)

    def __init__(self, *args, community=None, **kwargs):
        super().__init__(*args, **kwargs)
        if community is not None:
            self.fields["new_custodian"].queryset = custodians(community)


class NoticeForm(forms.Form):
    posted_from = forms.DateField(label=_("posted from"), widget=DateInput)
    posted_until = forms.DateField(label=_("posted until"), widget=DateInput)
    text = forms.CharField(label=_("text"), widget=forms.Textarea(attrs={"rows": 4}), required=False,
                           help_text=_("Empty: the standard wording."))


class RegisterFilter(forms.Form):
    start = forms.DateField(label=_("from"), required=False, widget=DateInput)
    end = forms.DateField(label=_("until"), required=False, widget=DateInput)
    seal = forms.ModelChoiceField(label=_("seal"), queryset=Seal.objects.none(), required=False)
    use_kind = forms.ChoiceField(label=_("use"), choices=(), required=False)
    q = forms.CharField(label=_("number or matter"), max_length=60, required=False)

    def __init__(self, *args, seals=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["use_kind"].choices = [("", "—")] + [(u.key, u.label) for u in rules.USES.values()]
        if seals is not None:
            self.fields["seal"].queryset = seals


class VerifyForm(forms.Form):
    code = forms.CharField(label=_("verification code"), max_length=40)
