"""Forms only parse input; the services decide and change."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from koshiki.guidelines import Profile, cite
from koshiki.orgs.models import Department, Organization, PersonnelChange
from koshiki.orgs.scoping import of_organization


def _limit_departments(form: forms.Form, organization: Organization) -> None:
    """The department choice lists only this organization's active departments."""
    field = form.fields["department" if "department" in form.fields else "to_department"]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = of_organization(Department.objects.filter(is_active=True), organization)


class PersonnelChangeForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(PersonnelChange.Kind.MOVE, _("Move")), (PersonnelChange.Kind.LEAVE, _("Leave"))],
    )
    effective_date = forms.DateField(
        label=_("Effective date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    to_department = forms.ModelChoiceField(
        label=_("To department"), queryset=Department.objects.none(), required=False
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit_departments(self, organization)


class RoleAssignForm(forms.Form):
    role_id = forms.ChoiceField(label=_("Role"))
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )
    start_date = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"}), required=False
    )

    def __init__(self, *args: Any, organization: Organization, profile: Profile, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role_field = self.fields["role_id"]
        assert isinstance(role_field, forms.ChoiceField)
        role_field.choices = [
            (role.id, f"{role.name}（{cite(profile, role)}）" if cite(profile, role) else role.name)
            for role in profile.roles
        ]
        _limit_departments(self, organization)


class StaffAddForm(forms.Form):
    display_name = forms.CharField(label=_("Name"), max_length=100)
    username = forms.CharField(label=_("Login name"), max_length=150)
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )
    title = forms.CharField(label=_("Title"), max_length=100, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    language = forms.ChoiceField(label=_("Language"), choices=[("ja", "日本語"), ("en", "English")])
    password = forms.CharField(
        label=_("Initial password"),
        widget=forms.PasswordInput,
        required=False,
        help_text=_("Leave empty to create the login without a password (set it later)."),
    )
    is_org_admin = forms.BooleanField(label=_("Organization administrator"), required=False)

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit_departments(self, organization)


class DepartmentAddForm(forms.Form):
    code = forms.CharField(label=_("Department code"), max_length=40)
    name = forms.CharField(label=_("Department name"), max_length=100)
