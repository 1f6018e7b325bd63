"""Credential hygiene of official accounts: who holds the login, when it was changed, which devices log in.

Koshiki never stores an SNS password. A rotation keeps only an HMAC of the new password under a
per-organization key that is itself sealed with the environment's key, so reuse can be detected
without anything in the database that reveals or confirms a password.
Models hold data only; every change goes through koshiki.security.services.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from koshiki.orgs.models import Organization, PersonnelChange, Staff
from koshiki.registry.models import OfficialAccount

from .lifecycle import AccessState, DeviceState, TaskState


class OrganizationKey(models.Model):
    """A random per-organization key, sealed (koshiki.core.crypto); used for password fingerprints."""

    scope_unscoped: ClassVar[str] = (
        "key material, read only by security.fingerprint for the organization in hand"  # orgs.scoping
    )

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(max_length=40)
    sealed_key = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "purpose"], name="security_one_key_per_purpose")
        ]

    def __str__(self) -> str:
        return f"{self.organization_id}:{self.purpose}"


class TwoStepMethod(models.TextChoices):
    NONE = "none", _("Not enabled")
    APP = "app", _("Authenticator app")
    SECURITY_KEY = "security_key", _("Security key")
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail code")
    UNSUPPORTED = "unsupported", _("Not offered by the platform")


class AccountSecurity(models.Model):
    """An account's two-step login and recovery contact, as last confirmed by its manager."""

    scope_path: ClassVar[str] = "account__organization"  # orgs.scoping: the way to Organization

    account = models.OneToOneField(OfficialAccount, on_delete=models.PROTECT, related_name="security")
    two_step_method = models.CharField(
        _("two-step login"), max_length=20, choices=TwoStepMethod.choices, default=TwoStepMethod.NONE
    )
    recovery_contact = models.EmailField(_("recovery contact"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.account_id}:{self.two_step_method}"

    @property
    def two_step_enabled(self) -> bool:
        return self.two_step_method not in (TwoStepMethod.NONE, TwoStepMethod.UNSUPPORTED)


class CredentialHolder(models.Model):
    """A named staff member who knows an account's password, from ``added_at`` until ``removed_at``."""

    scope_path: ClassVar[str] = "account__organization"  # orgs.scoping: the way to Organization

    account = models.ForeignKey(OfficialAccount, on_delete=models.PROTECT, related_name="credential_holders")
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="held_credentials")
    added_at = models.DateTimeField(auto_now_add=True)
    added_reason = models.CharField(max_length=300)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["account", "added_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "staff"],
                condition=models.Q(removed_at__isnull=True),
                name="security_one_current_holding",
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff_id}@{self.account_id}"


class Rotation(models.Model):
    """A password change recorded by staff. ``fingerprint`` is an HMAC, never the password or a plain hash."""

    scope_path: ClassVar[str] = "account__organization"  # orgs.scoping: the way to Organization

    class Reason(models.TextChoices):
        SCHEDULED = "scheduled", _("Regular change")
        STAFF_CHANGE = "staff_change", _("Change of staff")
        LOST_DEVICE = "lost_device", _("Lost or stolen device")
        INCIDENT = "incident", _("Suspected takeover or leak")
        OTHER = "other", _("Other")

    account = models.ForeignKey(OfficialAccount, on_delete=models.PROTECT, related_name="rotations")
    rotated_on = models.DateField(_("changed on"))
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    recorded_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    fingerprint = models.CharField(max_length=64, blank=True, db_index=True)
    strength_score = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="zxcvbn 0–4, when checked."
    )
    sessions_reviewed = models.BooleanField(_("other sessions signed out"), default=False)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["account", "-rotated_on", "-id"]

    def __str__(self) -> str:
        return f"{self.account_id} {self.rotated_on}"


class RotationTask(models.Model):
    """'Rotate now': opened by a personnel change, a new holder or a lost device; closed by a rotation."""

    scope_path: ClassVar[str] = "account__organization"  # orgs.scoping: the way to Organization

    class Cause(models.TextChoices):
        PERSONNEL = "personnel", _("Personnel change")
        NEW_HOLDER = "new_holder", _("New credential holder")
        LOST_DEVICE = "lost_device", _("Lost or stolen device")

    State = TaskState

    account = models.ForeignKey(OfficialAccount, on_delete=models.PROTECT, related_name="rotation_tasks")
    cause = models.CharField(max_length=20, choices=Cause.choices)
    detail = models.CharField(max_length=300)
    personnel_change = models.ForeignKey(
        PersonnelChange, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    device_report = models.ForeignKey(
        "DeviceLossReport", on_delete=models.PROTECT, null=True, blank=True, related_name="tasks"
    )
    review_sessions = models.BooleanField(
        default=False, help_text="Also sign out other sessions (lost device)."
    )
    due_on = models.DateField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    closed_by = models.ForeignKey(
        Rotation, on_delete=models.PROTECT, null=True, blank=True, related_name="closed_tasks"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["account", "state"])]

    def __str__(self) -> str:
        return f"{self.account_id} {self.cause} {self.state}"


class Device(models.Model):
    """A device used to log in to official accounts: official (公用) or personal (私物)."""

    scope_path: ClassVar[str] = "organization"  # orgs.scoping: the way to Organization

    class Kind(models.TextChoices):
        OFFICIAL = "official", _("Official device")
        PERSONAL = "personal", _("Personal device")

    class Antivirus(models.TextChoices):
        ACTIVE = "active", _("Active and up to date")
        OUTDATED = "outdated", _("Installed but out of date")
        NONE = "none", _("None")

    State = DeviceState

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="devices")
    owner = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="devices")
    label = models.CharField(_("device"), max_length=100, help_text="e.g. 広報課 iPad 2号機")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    os_name = models.CharField(_("OS and version"), max_length=100)
    os_patched_on = models.DateField(_("OS last updated on"))
    antivirus = models.CharField(_("anti-virus"), max_length=10, choices=Antivirus.choices)
    attested_on = models.DateField(_("confirmed on"))
    state = models.CharField(max_length=10, choices=State.choices, default=State.IN_USE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organization", "owner", "label"]

    def __str__(self) -> str:
        return self.label

    def audit_repr(self) -> str:
        """The audit chain names a device by number: its label is free text and may hold personal data."""
        return f"device #{self.pk}"


class DeviceAccess(models.Model):
    """A device's use for one account. A personal device needs the responsible person's prior approval."""

    scope_path: ClassVar[str] = "account__organization"  # orgs.scoping: the way to Organization

    State = AccessState

    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="accesses")
    account = models.ForeignKey(OfficialAccount, on_delete=models.PROTECT, related_name="device_accesses")
    state = models.CharField(max_length=10, choices=State.choices)
    reason = models.CharField(_("why this device is needed"), max_length=300, blank=True)
    decided_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["device", "account"]
        constraints = [
            models.UniqueConstraint(fields=["device", "account"], name="security_one_access_per_account")
        ]

    def __str__(self) -> str:
        return f"{self.device_id}@{self.account_id} {self.state}"


class DeviceLossReport(models.Model):
    scope_path: ClassVar[str] = "device__organization"  # orgs.scoping: the way to Organization
    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="loss_reports")
    reported_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    happened_on = models.DateField(_("lost on"))
    circumstances = models.TextField(_("what happened"))
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.device_id} {self.happened_on}"
