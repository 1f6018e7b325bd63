"""The filter forms of the posts list and the accounts list (parse and validate only; the querysets are
built by koshiki.posts.search / koshiki.registry.search).

Why forms: a value from the URL is checked against the user's own body (another body's account id is an
error, never a row of theirs), a reversed date range is a Japanese error beside its field, and an invalid
filter is not applied at all rather than half-applied.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from koshiki.orgs.models import Department, Staff
from koshiki.posts.lifecycle import PostState
from koshiki.posts.models import Category
from koshiki.posts.search import PostCriteria
from koshiki.registry.lifecycle import AccountState
from koshiki.registry.models import OfficialAccount, Platform
from koshiki.registry.search import AccountCriteria

from .dates import TiedErrorsForm, day_field

NOT_YOURS = _("Choose one of your organization's entries from the list.")


class PostFilterForm(TiedErrorsForm):
    q = forms.CharField(label=_("Text contains"), required=False, max_length=200)
    account = forms.ModelChoiceField(
        label=_("Account"),
        queryset=OfficialAccount.objects.none(),
        required=False,
        empty_label=_("All accounts"),
        error_messages={"invalid_choice": NOT_YOURS},
    )
    state = forms.MultipleChoiceField(
        label=_("State"), choices=PostState.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    author = forms.ModelChoiceField(
        label=_("Author"),
        queryset=Staff.objects.none(),
        required=False,
        empty_label=_("Everyone"),
        error_messages={"invalid_choice": NOT_YOURS},
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    date_from = day_field(_("Scheduled or published from"))
    date_to = day_field(_("Scheduled or published until"))

    def __init__(self, data: Any, *, accounts: QuerySet[Any], authors: QuerySet[Any]) -> None:
        super().__init__(data, label_suffix="", auto_id="f-%s")
        self.fields["account"].queryset = accounts  # type: ignore[attr-defined]
        self.fields["author"].queryset = authors  # type: ignore[attr-defined]
        self.fields["author"].label_from_instance = lambda s: s.display_name  # type: ignore[attr-defined]
        self.fields["category"].choices = [("", _("All categories")), *Category.choices]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The start date is after the end date."))
        return cleaned

    def criteria(self) -> PostCriteria:
        """The valid filter, or no filter at all when any field is wrong (nothing half-applied)."""
        if not self.is_valid():
            return PostCriteria()
        data = self.cleaned_data
        return PostCriteria(
            text=data["q"] or "",
            account_id=data["account"].pk if data["account"] else None,
            states=tuple(data["state"] or ()),
            author_id=data["author"].pk if data["author"] else None,
            category=data["category"] or "",
            date_from=data["date_from"],
            date_to=data["date_to"],
        )


class AccountFilterForm(TiedErrorsForm):
    q = forms.CharField(label=_("Name, ID, URL or department contains"), required=False, max_length=200)
    platform = forms.ChoiceField(label=_("Platform"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False)
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("All departments"),
        error_messages={"invalid_choice": NOT_YOURS},
    )

    def __init__(self, data: Any, *, departments: QuerySet[Any]) -> None:
        super().__init__(data, label_suffix="", auto_id="f-%s")
        self.fields["platform"].choices = [("", _("All")), *Platform.choices]  # type: ignore[attr-defined]
        self.fields["state"].choices = [("", _("All")), *AccountState.choices]  # type: ignore[attr-defined]
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]

    def criteria(self) -> AccountCriteria:
        if not self.is_valid():
            return AccountCriteria()
        data = self.cleaned_data
        return AccountCriteria(
            text=data["q"] or "",
            platform=data["platform"] or "",
            state=data["state"] or "",
            department_id=data["department"].pk if data["department"] else None,
        )
