"""Dashboard items from the security board: the lines whose recipients include the signed-in person."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from koshiki.orgs.models import Staff
from koshiki.registry.roles import HolderIndex
from koshiki.web.attention import Attention, provider

from .recipients import recipients
from .status import board_lines, organization_security


@provider
def security_items(user: Any, staff: Staff) -> Iterator[Attention]:
    state = organization_security(staff.organization)
    index = HolderIndex(staff.organization)
    for line in board_lines(state):
        if staff in recipients(state, line, index):
            escalated = line.level == "danger" and state.rules.escalate_to and not (
                line.account_id and any(s.account.pk == line.account_id and (
                    s.account.manager_id == staff.pk or any(h.staff_id == staff.pk for h in s.holders))
                    for s in state.accounts))
            detail = _("%(detail)s (escalated to you)") % {"detail": line.detail} if escalated else line.detail
            yield Attention(line.title, detail, line.url, due=line.due, clause=line.clause, level=line.level)
