"""The credential rules of an organization's guideline, each with the citation staff see.

Where the guideline is silent the schema's documented default applies and ``citation`` is empty;
the UI then says so instead of inventing a clause.
"""

from __future__ import annotations

from dataclasses import dataclass

from koshiki.guidelines import Profile
from koshiki.guidelines import cite as _cite


@dataclass(frozen=True)
class CredentialRules:
    max_age_days: int | None
    max_age_citation: str
    rotate_on_staff_change: bool
    staff_change_citation: str
    max_holders: int
    holders_citation: str
    strong_passwords_citation: str
    no_reuse_citation: str
    two_step_required: bool
    two_step_citation: str
    personal_devices: str  # forbidden, prior_approval, allowed
    device_approver_role: str
    devices_citation: str
    hygiene_citation: str
    attestation_max_age_days: int
    patch_max_age_days: int
    escalate_to: str | None


def credential_rules(profile: Profile) -> CredentialRules:
    c = profile.credentials
    staff_change_rule = c.rotate_on_transfer if not c.rotate_on_transfer.silent else c.rotation
    return CredentialRules(
        max_age_days=c.rotation.max_age_days,
        max_age_citation=_cite(profile, c.rotation),
        rotate_on_staff_change=c.rotation.on_staff_change or not c.rotate_on_transfer.silent,
        staff_change_citation=_cite(profile, staff_change_rule),
        max_holders=c.holders.max_holders,
        holders_citation=_cite(profile, c.holders),
        strong_passwords_citation=_cite(profile, c.strong_passwords),
        no_reuse_citation=_cite(profile, c.no_reuse),
        two_step_required=c.two_step_login.required,
        two_step_citation=_cite(profile, c.two_step_login),
        personal_devices=c.devices.personal_devices,
        device_approver_role=c.devices.approver_role or profile.account.manager_role,
        devices_citation=_cite(profile, c.devices),
        hygiene_citation=_cite(profile, c.device_hygiene),
        attestation_max_age_days=c.device_hygiene.attestation_max_age_days,
        patch_max_age_days=c.device_hygiene.patch_max_age_days,
        escalate_to=c.escalate_to,
    )
