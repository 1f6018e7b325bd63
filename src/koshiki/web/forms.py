"""Forms only parse input; the services decide and change."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from koshiki.guidelines import Profile
from koshiki.orgs.models import Department, Organization, PersonnelChange


class PersonnelChangeForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(PersonnelChange.Kind.MOVE, _("Move")), (PersonnelChange.Kind.LEAVE, _("Leave"))],
    )
    effective_date = forms.DateField(label=_("Effective date"), widget=forms.DateInput(attrs={"type": "date"}))
    to_department = forms.ModelChoiceField(label=_("To department"), queryset=Department.objects.none(), required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to_department"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Department.objects.filter(organization=organization, is_active=True)


class RoleAssignForm(forms.Form):
    role_id = forms.ChoiceField(label=_("Role"))
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none(), required=False)
    start_date = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}), required=False)

    def __init__(self, *args: Any, organization: Organization, profile: Profile, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role_field = self.fields["role_id"]
        assert isinstance(role_field, forms.ChoiceField)
        role_field.choices = [
            (role.id, f"{role.name}（{profile.cite(role.clause)}）" if role.clause else role.name)
            for role in profile.roles
        ]
        dept_field = self.fields["department"]
        assert isinstance(dept_field, forms.ModelChoiceField)
        dept_field.queryset = Department.objects.filter(organization=organization, is_active=True)
