"""The one approval engine: every chain a profile sets, evaluated by pure functions (Django-free).

A chain is a list of steps (a role, and 'any' or 'all' of its holders). Account opening, change and
closure (profile.approvals) and post approval (posting.approval) use it today; replies, moderation and
incidents will add a chain name here and call the same functions. Callers supply the decisions made so far
and a "who holds role R for this subject" callback; the engine says which step is pending, who may act on
it (holders minus the excluded people: the four-eyes rule), whether the chain is complete or rejected, and
whom to tell when a step has nobody to decide it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from .citing import cite
from .schema import ApprovalStep, Profile, Workflow

WorkflowName = Literal["open_account", "change_account", "close_account"]
ChainName = Literal["open_account", "change_account", "close_account", "post"]
StepStatus = Literal["done", "pending", "waiting", "rejected"]
Verdict = Literal["ok", "closed", "self", "not_holder"]
HoldersOf = Callable[[str], Sequence[int]]


# --- the chains a profile sets --------------------------------------------------------------------


def workflow(profile: Profile, name: WorkflowName) -> Workflow:
    return getattr(profile.approvals, name)  # type: ignore[no-any-return]


def effective_steps(profile: Profile, name: WorkflowName) -> list[ApprovalStep]:
    """The chain's steps; where the guideline names none, the account manager approves alone."""
    steps = workflow(profile, name).steps
    return list(steps) if steps else [ApprovalStep(role=profile.account.manager_role)]


def post_steps(profile: Profile) -> list[ApprovalStep]:
    """The post approval chain: the profile's steps, else its approver role, else the account manager."""
    approval = profile.posting.approval
    if approval.steps:
        return list(approval.steps)
    return [ApprovalStep(role=approval.approver_role or profile.account.manager_role)]


def citation(profile: Profile, name: WorkflowName) -> str:
    return cite(profile, workflow(profile, name))


@dataclass(frozen=True)
class Chain:
    """A chain with its documented defaults applied: steps, the clause it cites, and its escalation role."""

    name: ChainName
    steps: tuple[ApprovalStep, ...]
    citation: str
    defaulted: bool  # True where the guideline names no steps (Koshiki's default chain applies)
    escalate_to: str | None  # None: the body's administrators (the documented default)


def chain(profile: Profile, name: ChainName) -> Chain:
    if name == "post":
        approval = profile.posting.approval
        cited = cite(profile, approval)
        return Chain(name, tuple(post_steps(profile)), cited, not approval.steps, approval.escalate_to)
    flow = workflow(profile, name)
    return Chain(
        name, tuple(effective_steps(profile, name)), citation(profile, name), not flow.steps, flow.escalate_to
    )


# --- evaluating a chain -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Decided:
    """One decision already recorded: on which step, by whom (a person id), approve or reject."""

    step: int
    person: int
    approved: bool


@dataclass(frozen=True)
class StepState:
    index: int
    step: ApprovalStep
    eligible: tuple[int, ...]  # holders of the step's role minus the excluded people
    approved_by: tuple[int, ...]
    waiting_for: tuple[int, ...]
    status: StepStatus


@dataclass(frozen=True)
class Progress:
    steps: tuple[StepState, ...]

    @property
    def pending(self) -> StepState | None:
        return next((s for s in self.steps if s.status == "pending"), None)

    @property
    def rejected(self) -> bool:
        return any(s.status == "rejected" for s in self.steps)

    @property
    def complete(self) -> bool:
        return all(s.status == "done" for s in self.steps)


def _eligible(step: ApprovalStep, holders_of: HoldersOf, excluded: Collection[int]) -> tuple[int, ...]:
    return tuple(dict.fromkeys(p for p in holders_of(step.role) if p not in excluded))


def progress(
    steps: Iterable[ApprovalStep],
    decisions: Iterable[Decided],
    holders_of: HoldersOf,
    excluded: Collection[int] = (),
) -> Progress:
    """Walk the steps in order: the first one not complete is pending, a rejection ends the chain.

    'any': one approval completes the step. 'all': every eligible holder approves (and there is one).
    """
    made = list(decisions)
    states: list[StepState] = []
    open_found = False
    for index, step in enumerate(steps):
        eligible = _eligible(step, holders_of, excluded)
        approved = tuple(dict.fromkeys(d.person for d in made if d.step == index and d.approved))
        waiting = tuple(p for p in eligible if p not in approved)
        if open_found:
            status: StepStatus = "waiting"
        elif any(d.step == index and not d.approved for d in made):
            status, open_found = "rejected", True
        elif bool(approved) if step.mode == "any" else bool(eligible) and not waiting:
            status = "done"
        else:
            status, open_found = "pending", True
        states.append(StepState(index, step, eligible, approved, waiting, status))
    return Progress(tuple(states))


def may_act(state: Progress, person: int | None, excluded: Collection[int] = ()) -> Verdict:
    """Whether ``person`` may decide the pending step: a closed chain first, then four-eyes, then the role."""
    pending = state.pending
    if pending is None:
        return "closed"
    if person is not None and person in excluded:
        return "self"
    if person is None or person not in pending.waiting_for:
        return "not_holder"
    return "ok"


@dataclass(frozen=True)
class Escalation:
    """A pending step nobody may decide. ``role`` is told; None means the body's administrators (default)."""

    step: int
    stuck_role: str
    role: str | None


def escalation(state: Progress, escalate_to: str | None) -> Escalation | None:
    pending = state.pending
    if pending is None or pending.waiting_for:
        return None
    target = escalate_to if escalate_to and escalate_to != pending.step.role else None
    return Escalation(pending.index, pending.step.role, target)


def unstaffed_steps(
    steps: Iterable[ApprovalStep], holders_of: HoldersOf, excluded: Collection[int] = ()
) -> list[int]:
    """Steps that nobody but the excluded people hold: such a chain could never be approved."""
    return [i for i, step in enumerate(steps) if not _eligible(step, holders_of, excluded)]


@dataclass(frozen=True)
class Unassignable:
    """A step nobody but the excluded people holds. ``routed_to``: the escalation role that takes it
    instead (someone holds it); None: nobody can take it, the request must be refused."""

    step: int
    role: str
    routed_to: str | None


def unassignable(
    steps: Iterable[ApprovalStep],
    holders_of: HoldersOf,
    excluded: Collection[int] = (),
    escalate_to: str | None = None,
) -> list[Unassignable]:
    """Checked at request time (issue #13): a chain with such a step would wait forever. A step is routed
    to ``escalate_to`` when the profile names one and someone (not excluded) holds it."""
    found: list[Unassignable] = []
    for index, step in enumerate(steps):
        if _eligible(step, holders_of, excluded):
            continue
        routed = escalate_to if escalate_to and escalate_to != step.role else None
        if routed and not _eligible(ApprovalStep(role=routed), holders_of, excluded):
            routed = None
        found.append(Unassignable(index, step.role, routed))
    return found
