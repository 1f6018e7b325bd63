"""継続の検討: review an account against the profile's closure criteria and record the decision."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from koshiki.audit.services import log_action
from koshiki.core.errors import InvalidInput, InvalidTransition
from koshiki.guidelines import cite
from koshiki.orgs.profiles import profile_for
from koshiki.orgs.scoping import acting_staff

from ..lifecycle import LIVE_STATES
from ..models import ContinuationReview, OfficialAccount
from .lifecycle_ops import _locked_for_manager


@transaction.atomic
def record_review(
    *, actor: Any, account: OfficialAccount, answers: dict[str, bool], decision: str, note: str = ""
) -> ContinuationReview:
    account = _locked_for_manager(actor, account)
    if account.state not in LIVE_STATES:
        raise InvalidTransition(_("Only a live account is reviewed."))
    profile = profile_for(account.organization)
    criteria = {c.id: c for c in profile.closure.criteria}
    unknown = set(answers) - set(criteria)
    if unknown:
        raise InvalidInput(_("Unknown criteria: %(ids)s") % {"ids": ", ".join(sorted(unknown))})
    if decision not in ContinuationReview.Decision.values:
        raise InvalidInput(_("Choose to continue or to close."), field="decision")
    met = [criteria[k] for k, v in answers.items() if v]
    if met and decision == ContinuationReview.Decision.CONTINUE and not note.strip():
        raise InvalidInput(
            _("A closure criterion applies (%(items)s): explain why the account continues.")
            % {"items": "、".join(c.label for c in met)},
            field="note",
        )
    review = ContinuationReview.objects.create(
        account=account,
        answers={k: bool(v) for k, v in answers.items()},
        decision=decision,
        note=note.strip(),
        reviewer=acting_staff(actor),
    )
    clauses = [cite(profile, c) for c in profile.closure.criteria if cite(profile, c)]
    log_action(
        "registry.account.reviewed",
        actor=actor,
        obj=account,
        after={"answers": review.answers, "decision": decision, "note": review.note},
        clause=clauses[0] if clauses else "",
    )
    return review
