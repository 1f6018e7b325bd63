"""Registry forms: parse and label only; the registry services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from koshiki.guidelines import Profile, cite
from koshiki.orgs.models import Department, Organization, Staff
from koshiki.orgs.scoping import of_organization
from koshiki.registry.fields import TEXT_LIMITS
from koshiki.registry.models import Notice, OfficialAccount, Platform


class AccountRequestForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none())
    platform = forms.ChoiceField(label=_("Platform"), choices=Platform.choices)
    account_name = forms.CharField(label=_("Account name"), max_length=100)
    handle = forms.CharField(label=_("ID / handle"), max_length=100, required=False)
    purpose = forms.CharField(
        label=_("Purpose"), max_length=TEXT_LIMITS["purpose"], widget=forms.Textarea(attrs={"rows": 3})
    )
    audience = forms.CharField(label=_("Audience"), max_length=200, required=False)
    login_email = forms.EmailField(label=_("Login e-mail"), required=False)
    operating_hours = forms.CharField(label=_("Operating hours"), max_length=100, required=False)
    reply_policy = forms.CharField(
        label=_("Reply policy"),
        max_length=TEXT_LIMITS["reply_policy"],
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["department"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = of_organization(Department.objects.filter(is_active=True), organization)


class PolicyForm(forms.Form):
    """One text field per required item of the body's profile, labelled with its clause."""

    def __init__(self, *args: Any, profile: Profile, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for item in profile.operating_policy.items:
            citation = cite(profile, item)
            self.fields[item.id] = forms.CharField(
                label=f"{item.label} {citation}".strip(),
                required=False,
                help_text=item.hint or "",
                widget=forms.Textarea(attrs={"rows": 2}),
            )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("reject", _("Reject"))], widget=forms.HiddenInput
    )
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ActivateForm(forms.Form):
    url = forms.CharField(label=_("Account URL"), max_length=300)
    handle = forms.CharField(label=_("ID / handle"), max_length=100, required=False)
    verified = forms.BooleanField(label=_("Verified by the platform"), required=False)


class AccountUrlForm(forms.Form):
    """Correct the account's URL; for an active account, a change taking effect after the notice period."""

    url = forms.CharField(label=_("Correct account URL"), max_length=300)
    handle = forms.CharField(label=_("ID / handle"), max_length=100, required=False)
    reason = forms.CharField(label=_("Why it is corrected"), max_length=500)
    effective_on = forms.DateField(
        label=_("Takes effect on (active accounts; empty: the earliest date)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "correct_%s")  # the activation form on the same page has id_url
        super().__init__(*args, **kwargs)


class AnnounceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Notice.Kind.choices)
    effective_on = forms.DateField(label=_("Takes effect on"), widget=forms.DateInput(attrs={"type": "date"}))
    description = forms.CharField(label=_("What changes and why"), widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class EmergencyStopForm(ReasonForm):
    """The reason and a confirmation box; left unticked, the service refuses (and says why)."""

    confirm = forms.BooleanField(
        label=_(
            "I confirm: the account stops at once, without notice, and its scheduled notices are cancelled."
        ),
        required=False,
    )


class ReviewForm(forms.Form):
    """One checkbox per closure criterion of the profile, and the decision."""

    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("continue", _("Continue")), ("close", _("Close"))]
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, profile: Profile, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for criterion in profile.closure.criteria:
            citation = cite(profile, criterion)
            self.fields[f"c_{criterion.id}"] = forms.BooleanField(
                label=f"{criterion.label} {citation}".strip(), required=False
            )
        self.order_fields([*(f"c_{c.id}" for c in profile.closure.criteria), "decision", "note"])


class ManagerForm(forms.Form):
    """Name the account's manager again: active staff of its department or one above it
    (the service checks)."""

    manager = forms.ModelChoiceField(label=_("New manager"), queryset=Staff.objects.none())

    def __init__(self, *args: Any, account: OfficialAccount, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["manager"].queryset = Staff.objects.filter(  # type: ignore[attr-defined]
            organization_id=account.organization_id,
            status=Staff.Status.ACTIVE,
            department_id__in=account.department.lineage_ids(),
        ).order_by("display_name")
