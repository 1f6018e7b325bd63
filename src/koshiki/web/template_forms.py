"""The post template form: parse and label only; koshiki.posts.services.templates decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from koshiki.posts.models import Category
from koshiki.registry.models import OfficialAccount


class TemplateForm(forms.Form):
    name = forms.CharField(label=_("Template name"), max_length=100)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    account: forms.ModelChoiceField[OfficialAccount] = forms.ModelChoiceField(
        label=_("For"),
        queryset=OfficialAccount.objects.none(),
        required=False,
        empty_label=_("Every account of the organization"),
    )
    text = forms.CharField(
        label=_("Template text"), widget=forms.Textarea(attrs={"rows": 8}), max_length=10000
    )
    # the create form's one-time key (a double click saves once); the edit page's version (compare-and-set)
    request_key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, accounts: Any, org_wide: bool, editing: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["account"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = accounts
        field.required = not org_wide
        if not org_wide:
            field.empty_label = None
        if editing:
            del self.fields["account"]  # the scope is fixed once the template exists
            del self.fields["request_key"]
        else:
            del self.fields["version"]
