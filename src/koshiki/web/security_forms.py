"""Security forms: parse and label only; koshiki.security.services decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koshiki.orgs.models import Organization, Staff
from koshiki.orgs.scoping import of_organization
from koshiki.registry.models import OfficialAccount
from koshiki.security.models import Device, Rotation, TwoStepMethod
from koshiki.security.status import TRACKED_STATES

DATE = forms.DateInput(attrs={"type": "date"})


class HolderForm(forms.Form):
    staff = forms.ModelChoiceField(label=_("Staff"), queryset=Staff.objects.none())
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["staff"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = of_organization(Staff.objects.filter(status=Staff.Status.ACTIVE), organization)


class HolderAddForm(HolderForm):
    confirm_moved = forms.BooleanField(
        label=_(
            "I confirm: this person moved out of the account's department (異動) but still needs the login"
        ),
        required=False,
    )


class RotationForm(forms.Form):
    rotated_on = forms.DateField(label=_("Changed on"), widget=DATE, initial=timezone.localdate)
    reason = forms.ChoiceField(label=_("Reason"), choices=Rotation.Reason.choices)
    new_password = forms.CharField(
        label=_("New password (optional: checked for strength and reuse, then discarded)"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    sessions_reviewed = forms.BooleanField(
        label=_("I signed out every other session on the platform"), required=False
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class TwoStepForm(forms.Form):
    two_step_method = forms.ChoiceField(label=_("Two-step login"), choices=TwoStepMethod.choices)
    recovery_contact = forms.EmailField(
        label=_("Recovery contact (an address on your body's own domain)"), required=False
    )


class DeviceForm(forms.Form):
    label = forms.CharField(label=_("Device"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=Device.Kind.choices)
    os_name = forms.CharField(label=_("OS and version"), max_length=100)
    os_patched_on = forms.DateField(label=_("OS last updated on"), widget=DATE)
    antivirus = forms.ChoiceField(label=_("Anti-virus"), choices=Device.Antivirus.choices)


class AttestForm(forms.Form):
    os_patched_on = forms.DateField(label=_("OS last updated on"), widget=DATE)
    antivirus = forms.ChoiceField(label=_("Anti-virus"), choices=Device.Antivirus.choices)


class AccessForm(forms.Form):
    account = forms.ModelChoiceField(label=_("Account"), queryset=OfficialAccount.objects.none())
    reason = forms.CharField(label=_("Why this device is needed"), max_length=300, required=False)

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["account"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = of_organization(
            OfficialAccount.objects.filter(state__in=TRACKED_STATES), organization
        )


class LossForm(forms.Form):
    happened_on = forms.DateField(label=_("Lost on"), widget=DATE, initial=timezone.localdate)
    circumstances = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 2}))


class AccessDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("refuse", _("Refuse"))])
    comment = forms.CharField(label=_("Comment"), required=False)
