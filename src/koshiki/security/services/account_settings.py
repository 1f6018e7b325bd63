"""An account's two-step login method and recovery contact (which must be on the body's own domain)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from koshiki.audit.services import log_action
from koshiki.core.errors import InvalidInput
from koshiki.orgs.profiles import profile_for
from koshiki.registry.models import OfficialAccount

from ..models import AccountSecurity, TwoStepMethod
from ..permissions import require_manager
from ..rules import credential_rules


def on_own_domain(email: str, domains: list[str]) -> bool:
    host = email.rpartition("@")[2].lower().rstrip(".")
    return any(host == d.lower() or host.endswith("." + d.lower()) for d in domains)


@transaction.atomic
def set_two_step(
    *, actor: Any, account: OfficialAccount, method: str, recovery_contact: str = ""
) -> AccountSecurity:
    account = (
        OfficialAccount.objects.select_for_update(of=("self",), no_key=True)
        .select_related("organization")
        .get(pk=account.pk)
    )
    require_manager(actor, account)
    if method not in TwoStepMethod.values:
        raise InvalidInput(_("Choose a two-step login method."), field="two_step_method")
    contact = recovery_contact.strip()
    domains = account.organization.web_domains
    if contact and not on_own_domain(contact, domains):
        raise InvalidInput(
            _(
                "Use an address on your body's own domain (%(domains)s), so recovery mail does not go to a person's private box."  # noqa: E501
            )
            % {"domains": ", ".join(domains) or _("none registered: add them in Settings")},
            field="recovery_contact",
        )
    security, _created = AccountSecurity.objects.select_for_update(of=("self",), no_key=True).get_or_create(
        account=account
    )
    before = {"two_step_method": security.two_step_method, "recovery_contact": security.recovery_contact}
    if before == {"two_step_method": method, "recovery_contact": contact}:
        return security  # the same values again: nothing changes, nothing to audit
    security.two_step_method = method
    security.recovery_contact = contact
    security.save()
    rules = credential_rules(profile_for(account.organization))
    log_action(
        "security.account.two_step_set",
        actor=actor,
        obj=account,
        before=before,
        after={"two_step_method": method, "recovery_contact": contact},
        clause=rules.two_step_citation,
    )
    return security
