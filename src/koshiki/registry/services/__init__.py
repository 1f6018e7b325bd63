"""Service functions of the registry: check (permission, state, profile rule), execute, audit."""

from .corrections import can_correct_url, correct_account_url, earliest_change
from .lifecycle_ops import (
    activate,
    announce,
    cancel_notice,
    complete_notice,
    emergency_stop,
    resume,
    take_down_notice,
)
from .manager import can_reassign_manager, reassign_manager
from .policy import policy_completeness, save_policy
from .requests import decide, pending_step, pending_steps, request_account, subject
from .review import record_review

__all__ = [
    "activate",
    "announce",
    "can_correct_url",
    "cancel_notice",
    "correct_account_url",
    "earliest_change",
    "complete_notice",
    "decide",
    "emergency_stop",
    "pending_step",
    "pending_steps",
    "subject",
    "record_review",
    "policy_completeness",
    "can_reassign_manager",
    "reassign_manager",
    "request_account",
    "resume",
    "save_policy",
    "take_down_notice",
]
