"""Post forms: parse and label only; koshiki.posts.services decides."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koshiki.core.errors import InvalidInput
from koshiki.guidelines import Profile, cite
from koshiki.posts.models import Category, ChannelCredential
from koshiki.posts.rules import posting_rules
from koshiki.posts.services.approval import refuse_past
from koshiki.registry.lifecycle import LIVE_STATES
from koshiki.registry.models import OfficialAccount

LOCAL_DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _label(profile: Profile, item: Any) -> str:
    citation = cite(profile, item)
    return f"{item.label} {citation}".strip()


class ComposeForm(forms.Form):
    account = forms.ModelChoiceField(label=_("Account"), queryset=OfficialAccount.objects.none())
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    text = forms.CharField(
        label=_("Post text"), widget=forms.Textarea(attrs={"rows": 8, "id": "post-text"}), max_length=10000
    )
    image = forms.FileField(label=_("Image (optional)"), required=False)
    alt = forms.CharField(label=_("Alternative text for the image"), required=False, max_length=1000)

    def __init__(self, *args: Any, accounts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["account"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = accounts.filter(state__in=LIVE_STATES)


class EditForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    text = forms.CharField(
        label=_("Post text"), widget=forms.Textarea(attrs={"rows": 8, "id": "post-text"}), max_length=10000
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class SubmitForm(forms.Form):
    scheduled_at = forms.DateTimeField(
        label=_("Publish at (empty: as soon as approved)"),
        required=False,
        widget=LOCAL_DT,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    exemption = forms.ChoiceField(label=_("After-the-fact report instead of approval"), required=False)
    hours_exception = forms.ChoiceField(label=_("Outside operating hours because"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, profile: Profile, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rules = posting_rules(profile)
        exemption = self.fields["exemption"]
        assert isinstance(exemption, forms.ChoiceField)
        exemption.choices = [("", _("No: ask for approval"))] + [
            (e.id, _label(profile, e)) for e in rules.exemptions
        ]
        hours = self.fields["hours_exception"]
        assert isinstance(hours, forms.ChoiceField)
        hours.choices = [("", "—")] + [(e.id, _label(profile, e)) for e in rules.hours_exceptions]

    def clean_scheduled_at(self) -> dt.datetime | None:
        """The service refuses a past time too; the form says so beside the field."""
        value: dt.datetime | None = self.cleaned_data.get("scheduled_at")
        try:
            refuse_past(value, timezone.now())
        except InvalidInput as exc:
            raise forms.ValidationError(exc.message) from exc
        return value


class DecisionForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    # The version the approver saw: a post moved since is refused, not approved unseen (#13).
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class WithdrawForm(forms.Form):
    """The reason is required by the service when the post is someone else's (it tells them why)."""

    reason = forms.CharField(
        label=_("Reason for withdrawing"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class UrlForm(forms.Form):
    # A plain field: the service checks the URL against the account's platform and says what it expects.
    url = forms.CharField(label=_("Live URL of the post"), max_length=500)


class UrlCorrectionForm(forms.Form):
    url = forms.CharField(label=_("Correct URL of the post"), max_length=500)
    reason = forms.CharField(label=_("Why it is corrected"), max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "correct_%s")  # ids apart from the recording form's
        super().__init__(*args, **kwargs)


class StandingForm(forms.Form):
    categories = forms.MultipleChoiceField(
        label=_("Categories"), choices=Category.choices, widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(label=_("Scope"), max_length=300)
    starts_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))


class ChannelForm(forms.Form):
    kind = forms.ChoiceField(label=_("Publishing"), choices=ChannelCredential.Kind.choices)
    service_url = forms.CharField(label=_("PDS address"), required=False, max_length=200)
    identifier = forms.CharField(label=_("Handle"), required=False, max_length=200)
    secret = forms.CharField(
        label=_("App password (stored encrypted; leave empty to keep)"),
        required=False,
        help_text=_(
            "If you change the server address or the handle, enter the app password "
            "again: a stored password is never sent to a new address."
        ),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
