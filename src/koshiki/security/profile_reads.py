"""The profile fields credential hygiene acts on (security/rules.py
credential_rules; Django-free declaration)."""

from koshiki.guidelines.components import Component

COMPONENTS = (
    Component(
        "koshiki.security",
        "アカウントの安全管理",
        "Rotation due dates, holder limits, password strength and reuse, two-step login,"
        " devices, escalation.",
        reads=(
            "credentials.rotation.max_age_days",
            "credentials.rotation.on_staff_change",
            "credentials.rotate_on_transfer.silent",
            "credentials.holders.max_holders",
            "credentials.strong_passwords.clause",
            "credentials.no_reuse.clause",
            "credentials.two_step_login.required",
            "credentials.devices.personal_devices",
            "credentials.devices.approver_role",
            "credentials.device_hygiene.attestation_max_age_days",
            "credentials.device_hygiene.patch_max_age_days",
            "credentials.escalate_to",
        ),
    ),
)
