"""Service functions: the only code that changes posts. Check, execute, audit, one transaction."""

from .approval import decide, pending_step, pending_steps, schedule, submit, withdraw
from .compose import acknowledge_warning, correction_template, create_post, edit_post, override_blocks
from .published_url import can_correct_published_url, correct_published_url
from .publishing import publish_due, reconcile_stuck, record_manual_publication, retry_failed
from .reschedule import may_reschedule, move_needs_approval, reschedule_post
from .standing import acknowledge_after_report, grant_standing_approval, revoke_standing_approval

__all__ = [
    "acknowledge_after_report",
    "acknowledge_warning",
    "can_correct_published_url",
    "correct_published_url",
    "correction_template",
    "create_post",
    "decide",
    "edit_post",
    "grant_standing_approval",
    "override_blocks",
    "pending_step",
    "pending_steps",
    "publish_due",
    "reconcile_stuck",
    "record_manual_publication",
    "reschedule_post",
    "may_reschedule",
    "move_needs_approval",
    "retry_failed",
    "revoke_standing_approval",
    "schedule",
    "submit",
    "withdraw",
]
