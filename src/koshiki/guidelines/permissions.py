"""What each role of a profile may do in Koshiki: capabilities, and the ONE table of defaults (Django-free).

Guidelines name their roles in their own words (アカウント管理者, 所属長, 運用責任者 ...), so Koshiki never
checks a role id in code. A role declares its *kind* (what sort of role it is) and, where the guideline says
what it may do, its ``may`` list with the clause; where the guideline is silent, the kind's default below
applies. This module is the only place in src/koshiki that maps role kinds to capabilities.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, get_args

if TYPE_CHECKING:
    from .schema import Profile, Role

Capability = Literal[
    "write_posts",
    "approve_posts",
    "manage_accounts",
    "manage_credentials",
    "approve_devices",
    "read_audit_log",
]

#: What each capability lets a holder do (shown in docs/PROFILES.md and the JSON schema).
CAPABILITIES: dict[str, str] = {
    "write_posts": "Write, check and submit the posts of the accounts of the role's 所属 (or every account).",
    "approve_posts": "Approve posts; needed by every role named in posting.approval"
    " (steps or approver_role).",
    "manage_accounts": "Manage an account: its policy, lifecycle, operators and notices; account.manager_role"
    " must hold it.",
    "manage_credentials": "Change an account's platform credentials and credential records (no administrator"
    " bypass).",
    "approve_devices": "Approve personal devices; credentials.devices.approver_role"
    " (default: the manager role) must hold it.",
    "read_audit_log": "Read the organization's audit log (its administrators always may).",
}

RoleKind = Literal["manager", "writer", "supervisor", "security_officer", "public_relations", "other"]

#: What sort of role a role is; a role's default capabilities follow from its kind.
ROLE_KINDS: dict[str, str] = {
    "manager": "Responsible for an account (アカウント管理者, 所属長, 運用責任者).",
    "writer": "Staff who operate an account and write its posts (担当者, 運用に携わる職員).",
    "supervisor": "A higher officer who approves in account workflows (部等の長, 議長); the workflow steps"
    " give the approval.",
    "security_officer": "Oversees information security (情報統括管理者, 情報化担当窓口).",
    "public_relations": "The body's public relations division (広報主管課).",
    "other": "Anyone else the guideline names (委託業者, 協議会 ...): no capability by default.",
}

#: THE defaults table. Where a guideline is silent on what a role may do, its kind decides.
DEFAULT_CAPABILITIES: dict[str, frozenset[str]] = {
    "manager": frozenset(
        {"write_posts", "approve_posts", "manage_accounts", "manage_credentials", "approve_devices"}
    ),
    "writer": frozenset({"write_posts"}),
    "supervisor": frozenset(),
    "security_officer": frozenset({"read_audit_log"}),
    "public_relations": frozenset({"read_audit_log"}),
    "other": frozenset(),
}

assert set(CAPABILITIES) == set(get_args(Capability)), "CAPABILITIES must describe every capability"
assert set(ROLE_KINDS) == set(get_args(RoleKind)) == set(DEFAULT_CAPABILITIES), "one default per role kind"


def role_capabilities(role: Role) -> frozenset[str]:
    """The role's own ``may`` list when the profile gives one, else its kind's documented default."""
    if role.may is not None:
        return frozenset(role.may.capabilities)
    if role.kind is not None:
        return DEFAULT_CAPABILITIES[role.kind]
    return frozenset()


def roles_with(profile: Profile, capability: str) -> list[str]:
    """Ids of the profile's roles that hold ``capability``, in profile order."""
    return [role.id for role in profile.roles if capability in role_capabilities(role)]


def capability_citation(profile: Profile, role: Role) -> str:
    """The clause that grants the role its capabilities, or '' when the documented default applies."""
    if role.may is None or role.may.silent or not role.may.clause:
        return ""
    return profile.cite(role.may.clause)
