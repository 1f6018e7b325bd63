"""The registry's notification texts (gettext_lazy: rendered in each
recipient's language by koshiki.notify)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koshiki.notify import messages
from koshiki.notify.service import tell

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

APPROVAL_REQUESTED = messages.define(
    "registry.approval_requested",
    gettext_lazy("Approval requested: official account %(account)s"),
    gettext_lazy(
        "The request to open %(account)s is waiting for your decision (%(role)s). Its operating policy is"
        " complete. Open it to approve or reject it."
    ),
)
APPROVED_TO_ACTIVATE = messages.define(
    "registry.approved_to_activate",
    gettext_lazy("Your account request was approved, now mark it in operation: %(account)s"),
    gettext_lazy(
        "The opening of %(account)s has been approved. Open the account on the platform, then mark it"
        " 運用中 (in operation) on its page in Koshiki."
    ),
)


def approval_requested(account: Any, step: Any, round_: int, role_name: str) -> None:
    """Those who may take the opening chain's pending step (the approval engine's ``waiting_for``), once per
    step and round. The caller checks that the operating policy is complete (nobody can approve before)."""
    if step is None or not step.waiting_for:
        return
    tell(
        message=APPROVAL_REQUESTED,
        context={"account": str(account), "role": role_name},
        staff=step.waiting_for,
        link=reverse("account-detail", args=[account.pk]),
        event=f"account:{account.pk}:r{round_}:s{step.index}:requested",
    )


def tell_requester_to_activate(account: Any) -> None:
    """The requester: approved, now open it and mark it 運用中."""
    if account.requested_by_id is None:
        return
    tell(
        message=APPROVED_TO_ACTIVATE,
        context={"account": str(account)},
        staff=[account.requested_by],
        link=reverse("account-detail", args=[account.pk]),
        event=f"account:{account.pk}:approved_to_activate",
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
