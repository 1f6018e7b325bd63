"""Dashboard items from the security board: the lines whose recipients include the signed-in person.

Each board line kind is an item kind (core/attention.py); the board recomputes from row state, so a line
clears as soon as what it asks for is done."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koshiki.core import attention
from koshiki.core.attention import Item, Viewer
from koshiki.registry.roles import shared_index

from .recipients import recipients
from .status import AccountStatus, board_lines, organization_security

KINDS = {
    "overdue_rotation": attention.kind(
        "security.overdue_rotation",
        role="manage_credentials",
        closes_when=gettext_lazy("The password is changed and the change recorded."),
    ),
    "rotate_now": attention.kind(
        "security.rotate_now",
        role="manage_credentials",
        closes_when=gettext_lazy("The password is changed and the change recorded."),
    ),
    "too_many_holders": attention.kind(
        "security.too_many_holders",
        role="manage_credentials",
        closes_when=gettext_lazy("People are removed until the guideline's limit is kept."),
    ),
    "missing_two_step": attention.kind(
        "security.missing_two_step",
        role="manage_credentials",
        closes_when=gettext_lazy(
            "Two-step login is recorded for the account (or that the platform lacks it)."
        ),
    ),
    "personal_device": attention.kind(
        "security.personal_device",
        role="manage_credentials",
        closes_when=gettext_lazy("The personal device's access is approved or refused."),
    ),
    "stale_device": attention.kind(
        "security.stale_device",
        role="manage_credentials",
        closes_when=gettext_lazy("The device's owner confirms its patches and anti-virus again."),
    ),
    "unhealthy_device": attention.kind(
        "security.unhealthy_device",
        role="manage_credentials",
        closes_when=gettext_lazy("The device's owner confirms its patches and anti-virus again."),
    ),
}


def _own(status: AccountStatus | None, staff_id: int) -> bool:
    """The viewer manages or holds the login of the line's account (then a danger line is not escalated)."""
    if status is None:
        return False
    return status.account.manager_id == staff_id or any(h.staff_id == staff_id for h in status.holders)


@attention.provider
def security_items(viewer: Viewer) -> Iterator[Item]:
    staff = viewer.staff
    state = organization_security(staff.organization, today=viewer.today)
    index = shared_index(viewer)
    for line in board_lines(state):
        if staff in recipients(state, line, index):
            escalated = (
                line.level == "danger"
                and state.rules.escalate_to
                and not _own(state.status_of(line.account_id), staff.pk)
            )
            detail = (
                _("%(detail)s (escalated to you)") % {"detail": line.detail} if escalated else line.detail
            )
            yield KINDS[line.kind].item(
                line.title, detail, line.url, due=line.due, clause=line.clause, severity=line.level
            )
