"""The registry's notification texts (gettext_lazy: rendered in each
recipient's language by koshiki.notify)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koshiki.notify import messages

messages.define(
    "registry.approved",
    gettext_lazy("Official account approved: %(account)s"),
    gettext_lazy("The opening of %(account)s has been approved. You are notified as the guideline requires."),
)
messages.define(
    "registry.change_before",
    gettext_lazy("An official account will change on %(date)s: %(account)s"),
    gettext_lazy(
        "%(account)s will change on %(date)s. The guideline asks that you hear of it before it is announced."
    ),
)
messages.define(
    "registry.change_after",
    gettext_lazy("An official account change has been announced: %(account)s"),
    gettext_lazy("The change of %(account)s on %(date)s has been announced."),
)
messages.define(
    "registry.closure_before",
    gettext_lazy("An official account will close on %(date)s: %(account)s"),
    gettext_lazy(
        "%(account)s will close on %(date)s. The guideline asks that you hear of it before it is announced."
    ),
)
messages.define(
    "registry.closure_after",
    gettext_lazy("An official account closure has been announced: %(account)s"),
    gettext_lazy("The closure of %(account)s on %(date)s has been announced."),
)
messages.define(
    "registry.emergency_stop",
    gettext_lazy("Official account stopped in an emergency: %(account)s"),
    gettext_lazy("%(account)s was stopped without notice. Reason: %(reason)s"),
)

NOTICE_REMINDER = "registry.notice_reminder"


@messages.renderer(NOTICE_REMINDER)
def notice_reminder(
    recipient: Any, context: Mapping[str, Any], cache: dict[Any, Any]
) -> tuple[str, str] | None:
    """A notice coming due, or one that may come down (the subject is the whole message)."""
    from .models import Notice

    notice = Notice.objects.select_related("account").filter(pk=context["notice_id"]).first()
    if notice is None:
        return None
    if context["action"] == "carry_out":
        subject = _("Reminder: %(kind)s of %(account)s on %(date)s") % {
            "kind": notice.get_kind_display(),
            "account": notice.account,
            "date": notice.effective_on,
        }
    else:
        subject = _("The notice for %(account)s may come down") % {"account": notice.account}
    return subject, subject
