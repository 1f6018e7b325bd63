"""Service functions: the only code that changes credential records. Check, execute, audit, one transaction."""

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
from .tasks_open import open_rotation_task, rotate_for_personnel_change

__all__ = [
    "add_holder",
    "attest_device",
    "decide_device_access",
    "open_rotation_task",
    "record_rotation",
    "register_device",
    "remove_holder",
    "report_lost_device",
    "request_device_access",
    "rotate_for_personnel_change",
    "set_two_step",
]
