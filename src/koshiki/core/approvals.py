"""Decision rows and the Django side of the one approval engine (koshiki.guidelines.workflows).

Every domain with an approval chain (registry accounts, posts; later replies and incidents) stores its
decisions in a model that inherits ``ApprovalDecision`` and describes one subject to the engine as a
``Subject``: the chain, the decisions of the current round, who holds a role for it, who is excluded.
The writer is koshiki.core.services.approvals.record_decision.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from koshiki.guidelines.schema import ApprovalStep
from koshiki.guidelines.workflows import Chain, Decided, Escalation, Progress, escalation, progress


class ApprovalDecision(models.Model):
    """One approver's decision on one step of one round of a chain, with the clause the chain cites."""

    class Decision(models.TextChoices):
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    round = models.PositiveIntegerField(
        default=1, help_text="A new request or submission starts a new round."
    )
    step = models.PositiveSmallIntegerField()
    role_id = models.CharField(max_length=60)
    approver = models.ForeignKey("orgs.Staff", on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    comment = models.TextField(blank=True)
    clause = models.CharField(
        max_length=300, blank=True, default="", help_text="The chain's citation when decided."
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


@dataclass
class Subject:
    """One thing on a chain, as the engine sees it. ``holders`` answers "who holds role R for it"."""

    chain: Chain
    decisions: Iterable[ApprovalDecision]  # the current round's rows
    holders: Callable[[str], list[Any]]  # role id → Staff
    excluded: frozenset[int] = frozenset()  # staff ids who may not decide (four-eyes)
    round: int = 1
    _people: dict[int, Any] = field(default_factory=dict, repr=False)
    _roles: dict[str, list[int]] = field(default_factory=dict, repr=False)

    def holder_ids(self, role_id: str) -> list[int]:
        """The engine's callback, once per role; remembers the Staff rows to hand back. A step role that
        nobody (but the excluded) holds is routed to the chain's escalation role (issue #13)."""
        if role_id not in self._roles:
            found = self.holders(role_id)
            self._people.update((s.pk, s) for s in found)
            ids = [s.pk for s in found]
            escalate_to = self.chain.escalate_to
            if (
                escalate_to
                and role_id != escalate_to
                and not any(i not in self.excluded for i in ids)
                and any(step.role == role_id for step in self.chain.steps)
            ):
                ids = self.holder_ids(escalate_to)
            self._roles[role_id] = ids
        return self._roles[role_id]

    def progress(self) -> Progress:
        made = [
            Decided(d.step, d.approver_id, d.decision == ApprovalDecision.Decision.APPROVED)
            for d in self.decisions
        ]
        return progress(self.chain.steps, made, self.holder_ids, self.excluded)

    def staff(self, ids: Iterable[int]) -> list[Any]:
        return [self._people[i] for i in ids if i in self._people]


@dataclass(frozen=True)
class PendingStep:
    """The step waiting for a decision, with the people who may take it (Staff, in holder order)."""

    index: int
    step: ApprovalStep
    approved_by: list[int]
    waiting_for: list[Any]
    escalation: Escalation | None


def pending_step(subject: Subject, state: Progress | None = None) -> PendingStep | None:
    state = state or subject.progress()
    pending = state.pending
    if pending is None:
        return None
    return PendingStep(
        pending.index,
        pending.step,
        list(pending.approved_by),
        subject.staff(pending.waiting_for),
        escalation(state, subject.chain.escalate_to),
    )
