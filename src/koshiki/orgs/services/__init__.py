"""Service functions: the only code that changes organizations, staff, roles and 異動.

Each checks (permission, state, profile rule), executes, and writes its audit entry in
one transaction, in the manner of Zulip's actions.
"""

from .organizations import (
    adopt_profile_version,
    create_department,
    create_organization,
    set_public_entries,
    set_records_retention_years,
    set_require_two_step,
    set_web_domains,
)
from .people import add_staff
from .personnel import (
    apply_due_personnel_changes,
    cancel_personnel_change,
    record_personnel_change,
)
from .personnel_effects import PersonnelPreview
from .personnel_preview import preview_personnel_change
from .roles import assign_role, decide_role, end_role

__all__ = [
    "add_staff",
    "adopt_profile_version",
    "apply_due_personnel_changes",
    "assign_role",
    "decide_role",
    "cancel_personnel_change",
    "PersonnelPreview",
    "preview_personnel_change",
    "create_department",
    "create_organization",
    "end_role",
    "record_personnel_change",
    "set_public_entries",
    "set_records_retention_years",
    "set_require_two_step",
    "set_web_domains",
]
