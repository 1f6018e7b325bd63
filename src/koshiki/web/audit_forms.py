"""The audit log's filter form (parse only): JST dates, a person, an account and an action by its label.

Why a form: a bad date is a Japanese error beside its field and filters nothing, and the same parsing
serves the page, its paging links and the export.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koshiki.audit import catalog
from koshiki.orgs.models import Staff
from koshiki.registry.models import OfficialAccount

from .dates import TiedErrorsForm, day_field

NAMES = ("date_from", "date_to", "actor", "account", "action")


class AuditFilterForm(TiedErrorsForm):
    error_prefix = "audit"

    date_from = day_field(_("From (date)"))
    date_to = day_field(_("To (date)"))
    actor = forms.TypedChoiceField(label=_("Person"), required=False, coerce=int, empty_value=None)
    account = forms.TypedChoiceField(label=_("Account"), required=False, coerce=int, empty_value=None)
    action = forms.ChoiceField(label=_("Action"), required=False)

    def __init__(self, data: Any, *, organization: Any) -> None:
        super().__init__(data, label_suffix="")
        everyone = [("", _("Everyone"))]
        staff = Staff.objects.filter(organization=organization).order_by("display_name", "pk")
        self.fields["actor"].choices = everyone + [  # type: ignore[attr-defined]
            (s.user_id, s.display_name) for s in staff.only("user_id", "display_name")
        ]
        accounts = OfficialAccount.objects.filter(organization=organization).order_by("account_name", "pk")
        self.fields["account"].choices = [("", _("All accounts"))] + [  # type: ignore[attr-defined]
            (a.pk, f"{a.account_name} ({a.get_platform_display()})")
            for a in accounts.only("pk", "account_name", "platform")
        ]
        self.fields["action"].choices = [("", _("All actions")), *catalog.grouped_choices()]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        return cleaned

    def query(self) -> dict[str, Any]:
        """Keyword arguments for ``audit.queries.filtered`` (dates as the JST day's bounds)."""
        data = self.cleaned_data
        zone = timezone.get_current_timezone()
        start: dt.date | None = data.get("date_from")
        end: dt.date | None = data.get("date_to")
        return {
            "start": dt.datetime.combine(start, dt.time.min, tzinfo=zone) if start else None,
            "end": dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone) if end else None,
            "actor_id": data.get("actor"),
            "object_type": "registry.officialaccount" if data.get("account") else "",
            "object_id": str(data["account"]) if data.get("account") else "",
            "action": data.get("action") or "",
        }

    def params(self) -> dict[str, str]:
        """The non-empty filters as typed: for the paging links, the export form and its audit entry."""
        return {name: str(self.data.get(name, "")).strip() for name in NAMES if self.data.get(name, "")}
