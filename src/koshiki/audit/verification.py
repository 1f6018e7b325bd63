"""Incremental verification by the worker (issue #12): per chain, from the last verified point.

Each chain has a ChainVerification row: verified up to (position, hash) at a time, and the last
result. The sweep verifies only the entries appended since, at most every
KOSHIKI_AUDIT_VERIFY_MINUTES per chain, and at once for a chain whose run someone asked for (the web
button, ``request_run``). A break is recorded, shown on the audit page and told once to the body's
audit readers. The row is a record of work done, not evidence: ``koshiki audit verify`` re-reads
everything, and the signed checkpoints do not trust it.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django_tasks import task

from koshiki.core import jobs
from koshiki.core.errors import NotPermitted
from koshiki.notify import messages

from .canonical import GENESIS
from .chain import chain_key, verify_segment
from .models import ChainHead, ChainVerification

logger = logging.getLogger(__name__)

JOB = "audit.verify_chain"
BROKEN = messages.define(
    "audit.chain_broken",
    gettext_lazy("The audit log does not verify: entry #%(seq)s"),
    gettext_lazy(
        "The worker's verification of this organization's audit log found entry #%(seq)s broken: %(reason)s. "
        "Run `koshiki audit verify` and compare with a checkpoint kept outside the database."
    ),
)


def verify_every() -> dt.timedelta:
    return dt.timedelta(minutes=int(getattr(settings, "KOSHIKI_AUDIT_VERIFY_MINUTES", 60)))


def _state(key: str) -> ChainVerification:
    organization_id = int(key[4:]) if key.startswith("org-") else None
    state, _ = ChainVerification.objects.get_or_create(
        chain=key, defaults={"organization_id": organization_id}
    )
    return state


def verify_incremental(key: str, now: dt.datetime | None = None) -> ChainVerification:
    """Verify chain ``key`` from its last verified point to its head now; record and tell the result."""
    moment = now or timezone.now()
    _state(key)
    with transaction.atomic():
        state = ChainVerification.objects.select_for_update(of=("self",), no_key=True).get(chain=key)
        head = ChainHead.objects.filter(chain=key).first()
        until = (head.seq, head.last_hash) if head is not None else (0, GENESIS)
        if state.verified_seq > until[0]:
            result = verify_segment(key, 0, GENESIS, until=until)  # the head went back: from the start
            state.verified_count = 0
        else:
            result = verify_segment(key, state.verified_seq, state.verified_hash, until=until)
        was_ok = state.ok
        state.verified_at, state.requested_at, state.requested_by_id = moment, None, None
        if result.ok and result.last is not None:
            state.verified_seq, state.verified_hash = result.last
            state.verified_count += result.checked
            state.ok, state.broken_seq, state.reason = True, None, ""
        else:
            state.ok, state.broken_seq, state.reason = False, result.broken_seq, result.reason[:300]
        state.save()
        if was_ok and not state.ok:
            _tell_break(state)
    return state


def _tell_break(state: ChainVerification) -> None:
    from koshiki.guidelines.permissions import roles_with
    from koshiki.notify.service import tell
    from koshiki.orgs.models import Organization
    from koshiki.orgs.profiles import profile_for

    logger.error("audit chain %s broken at #%s: %s", state.chain, state.broken_seq, state.reason)
    organization = (
        Organization.objects.filter(pk=state.organization_id).first() if state.organization_id else None
    )
    if organization is None:
        return
    roles = roles_with(profile_for(organization), "read_audit_log")
    tell(
        message=BROKEN,
        context={"seq": str(state.broken_seq or "-"), "reason": state.reason},
        role=roles,
        organization=organization,
        link="/audit/",
    )


@task()
def verify_chain_task(key: str) -> bool:
    return verify_incremental(key).ok


jobs.register_job(JOB, verify_chain_task)


@jobs.sweep("audit.verify_chains")
def verify_due(now: dt.datetime | None = None) -> int:
    """Chains whose head moved and whose last run is older than the interval, or whose run was asked for."""
    moment = now or timezone.now()
    states = {s.chain: s for s in ChainVerification.objects.all()}
    done = 0
    for key, seq in ChainHead.objects.values_list("chain", "seq"):
        state = states.get(key)
        asked = state is not None and state.requested_at is not None
        moved = state is None or state.verified_seq != seq
        stale = state is None or state.verified_at is None or moment - state.verified_at >= verify_every()
        if asked or (moved and stale):
            try:
                verify_incremental(key, moment)
            except Exception:  # one chain's failure (e.g. a lock timeout) must not stop the others
                logger.exception("incremental verification of %s failed; the next sweep retries", key)
                continue
            done += 1
    return done


def status_for(organization: Any) -> ChainVerification | None:
    """The last result for the organization's own chain (None before its first run)."""
    return ChainVerification.objects.filter(chain=chain_key(organization.pk)).first()


def request_run(*, actor: Any, organization: Any) -> bool:
    """Queue a verification of the organization's chain after commit; False if one is already waiting.

    Audited (audit.verification.requested). A second click before the worker ran changes nothing."""
    from koshiki.orgs.permissions import can_read_audit

    from .services import log_action

    if not can_read_audit(actor, organization):
        raise NotPermitted(str(gettext_lazy("You may not read this organization's audit log.")))
    key = chain_key(organization.pk)
    _state(key)
    with transaction.atomic():
        state = ChainVerification.objects.select_for_update(of=("self",), no_key=True).get(chain=key)
        if state.requested_at is not None:
            return False
        state.requested_at, state.requested_by_id = timezone.now(), getattr(actor, "pk", None)
        state.save(update_fields=["requested_at", "requested_by_id"])
        log_action(
            "audit.verification.requested",
            actor=actor,
            organization=organization,
            after={"chain": key, "from_seq": state.verified_seq},
        )
        jobs.enqueue_after_commit(JOB, key)
    return True
