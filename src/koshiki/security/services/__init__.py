"""Service functions: the only code that changes credential records. Check, execute, audit, one transaction.

Helpers that skip the permission check (tasks_open.*_unchecked) stay private to the app.
"""

from .account_settings import set_two_step
from .devices import (
    attest_device,
    decide_device_access,
    register_device,
    report_lost_device,
    request_device_access,
)
from .holders import add_holder, remove_holder
from .rotations import record_rotation

__all__ = [
    "add_holder",
    "attest_device",
    "decide_device_access",
    "record_rotation",
    "register_device",
    "remove_holder",
    "report_lost_device",
    "request_device_access",
    "set_two_step",
]
