"""The account's operating policy: versioned, with the profile's required items (守谷市議会 3(3) has 14)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _

from koshiki.audit.services import log_action
from koshiki.core.errors import InvalidInput, InvalidTransition, NotPermitted
from koshiki.guidelines import cite
from koshiki.guidelines.schema import PolicyItem
from koshiki.orgs.profiles import profile_for
from koshiki.orgs.scoping import staff_of

from ..lifecycle import AccountState
from ..models import OfficialAccount, PolicyVersion
from ..roles import can_edit
from ..signals import policy_completed

MAX_ITEM_CHARS = 5000


@dataclass(frozen=True)
class ItemStatus:
    item: PolicyItem
    text: str
    citation: str

    @property
    def filled(self) -> bool:
        return bool(self.text.strip())


def current_policy(account: OfficialAccount) -> PolicyVersion | None:
    return account.policies.order_by("-version").first()


def current_policies(accounts: Iterable[OfficialAccount]) -> dict[int, PolicyVersion]:
    """``current_policy`` of many accounts in one query (list pages: the homepage listing, issue #12);
    accounts without a policy are absent."""
    latest = PolicyVersion.objects.filter(account_id=OuterRef("account_id")).order_by("-version")
    rows = PolicyVersion.objects.filter(
        account_id__in=[a.pk for a in accounts], version=Subquery(latest.values("version")[:1])
    )
    return {p.account_id: p for p in rows}


def policy_completeness(account: OfficialAccount) -> list[ItemStatus]:
    """Each required item of the profile, with the current text and the clause that requires it."""
    profile = profile_for(account.organization)
    policy = current_policy(account)
    texts = policy.items if policy else {}
    return [
        ItemStatus(item, str(texts.get(item.id, "")), cite(profile, item))
        for item in profile.operating_policy.items
    ]


@transaction.atomic
def save_policy(*, actor: Any, account: OfficialAccount, items: dict[str, str]) -> PolicyVersion:
    """Save a new version; earlier versions stay for the record."""
    account = OfficialAccount.objects.select_for_update(of=("self",), no_key=True).get(pk=account.pk)
    if not can_edit(actor, account):
        raise NotPermitted(_("Only the account's manager and operators can edit its policy."))
    if account.state in (AccountState.CLOSED, AccountState.REJECTED):
        raise InvalidTransition(_("A closed or rejected account's policy cannot change."))
    known = {item.id for item in profile_for(account.organization).operating_policy.items}
    unknown = set(items) - known
    if unknown:
        raise InvalidInput(
            _("Unknown policy items: %(items)s") % {"items": ", ".join(sorted(unknown))}, field="items"
        )
    cleaned = {key: value.strip() for key, value in items.items() if value.strip()}
    if any(len(value) > MAX_ITEM_CHARS for value in cleaned.values()):
        raise InvalidInput(
            _("Each item must be at most %(n)d characters.") % {"n": MAX_ITEM_CHARS}, field="items"
        )
    previous = current_policy(account)
    if previous is not None and previous.items == cleaned:
        return previous
    was_complete = all(c.filled for c in policy_completeness(account))
    version = PolicyVersion.objects.create(
        account=account,
        version=(previous.version + 1) if previous else 1,
        items=cleaned,
        created_by=staff_of(actor),
    )
    log_action(
        "registry.policy.saved",
        actor=actor,
        obj=account,
        before={"version": previous.version, "items": previous.items} if previous else None,
        after={"version": version.version, "items": cleaned},
    )
    if not was_complete and all(c.filled for c in policy_completeness(account)):
        policy_completed.send(sender=PolicyVersion, account=account)  # approvers can act from now on
    return version
