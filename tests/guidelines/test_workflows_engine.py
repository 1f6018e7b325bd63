"""The one approval engine (koshiki.guidelines.workflows): pure functions over
steps, decisions and role holders."""

from __future__ import annotations

from collections.abc import Sequence

from koshiki.guidelines import get_profile
from koshiki.guidelines.schema import ApprovalStep
from koshiki.guidelines.workflows import Decided, chain, escalation, may_act, progress, unstaffed_steps

HOLDERS = {"manager": [1, 2], "director": [3], "nobody": []}


def holders_of(role: str) -> Sequence[int]:
    return HOLDERS[role]


def test_any_mode_one_holder_completes_the_step() -> None:
    steps = [ApprovalStep(role="manager", mode="any")]
    assert progress(steps, [], holders_of).pending is not None
    done = progress(steps, [Decided(step=0, person=2, approved=True)], holders_of)
    assert done.complete and done.pending is None and not done.rejected


def test_all_mode_waits_for_every_holder() -> None:
    steps = [ApprovalStep(role="manager", mode="all"), ApprovalStep(role="director")]
    half = progress(steps, [Decided(0, 1, True)], holders_of)
    assert half.pending is not None and half.pending.index == 0 and half.pending.waiting_for == (2,)
    both = progress(steps, [Decided(0, 1, True), Decided(0, 2, True)], holders_of)
    assert both.pending is not None and both.pending.index == 1 and both.pending.waiting_for == (3,)
    assert [s.status for s in both.steps] == ["done", "pending"]


def test_the_default_chain_where_the_guideline_names_none() -> None:
    ashibetsu = get_profile("ashibetsu")
    opening = chain(ashibetsu, "open_account")
    assert opening.defaulted and [s.role for s in opening.steps] == [ashibetsu.account.manager_role]
    iwaki_posts = chain(get_profile("iwaki"), "post")
    assert [s.role for s in iwaki_posts.steps] == ["account_manager"] and iwaki_posts.citation.startswith(
        "「いわき市"
    )
    iwaki_open = chain(get_profile("iwaki"), "open_account")
    assert not iwaki_open.defaulted and [s.role for s in iwaki_open.steps] == [
        "info_manager",
        "policy_director",
    ]


def test_excluded_people_are_not_eligible_and_may_not_act() -> None:
    steps = [ApprovalStep(role="manager", mode="all")]
    state = progress(steps, [], holders_of, excluded={1})
    assert state.pending is not None and state.pending.eligible == (2,) and state.pending.waiting_for == (2,)
    assert may_act(state, 1, excluded={1}) == "self"
    assert may_act(state, 3, excluded={1}) == "not_holder"
    assert may_act(state, None, excluded={1}) == "not_holder"
    assert may_act(state, 2, excluded={1}) == "ok"
    # the only other holder approving completes an all-mode step: the excluded writer is not waited for
    assert progress(steps, [Decided(0, 2, True)], holders_of, excluded={1}).complete


def test_a_closed_chain_refuses_everyone_before_naming_them() -> None:
    steps = [ApprovalStep(role="manager")]
    state = progress(steps, [Decided(0, 2, True)], holders_of, excluded={1})
    assert may_act(state, 1, excluded={1}) == "closed" and may_act(state, 2) == "closed"


def test_a_rejection_ends_the_chain() -> None:
    steps = [ApprovalStep(role="manager"), ApprovalStep(role="director")]
    state = progress(steps, [Decided(0, 1, False)], holders_of)
    assert state.rejected and not state.complete and state.pending is None
    assert [s.status for s in state.steps] == ["rejected", "waiting"]


def test_escalation_when_a_step_has_no_holder() -> None:
    steps = [ApprovalStep(role="manager"), ApprovalStep(role="nobody")]
    state = progress(steps, [Decided(0, 1, True)], holders_of)
    assert state.pending is not None and state.pending.waiting_for == ()
    assert escalation(state, "director") is not None and escalation(state, "director").role == "director"
    # the documented default: nobody named (or the stuck role itself) → the body's administrators
    assert escalation(state, None).role is None and escalation(state, "nobody").role is None
    assert escalation(progress(steps, [], holders_of), "director") is None


def test_a_step_held_only_by_excluded_people_is_unstaffed() -> None:
    steps = [ApprovalStep(role="director"), ApprovalStep(role="manager")]
    assert unstaffed_steps(steps, holders_of, excluded={3}) == [0]
    assert unstaffed_steps(steps, holders_of, excluded={1}) == []


def test_escalation_role_comes_from_the_profile_chain() -> None:
    assert chain(get_profile("iwaki"), "open_account").escalate_to is None  # silent → administrators
