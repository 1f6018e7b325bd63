"""Official accounts, their approvals, operating-policy versions and change/closure notices.

Models hold data only; every change goes through koshiki.registry.services.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from koshiki.core.approvals import ApprovalDecision
from koshiki.orgs.models import Department, Organization, Staff

from .lifecycle import AccountState, NoticeState


class Platform(models.TextChoices):
    X = "x", "X (Twitter)"
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    LINE = "line", "LINE"
    YOUTUBE = "youtube", "YouTube"
    TIKTOK = "tiktok", "TikTok"
    BLUESKY = "bluesky", "Bluesky"
    THREADS = "threads", "Threads"
    NOTE = "note", "note"
    BLOG = "blog", _("Blog")
    OTHER = "other", _("Other")


class OfficialAccount(models.Model):
    scope_path: ClassVar[str] = "organization"  # orgs.scoping: the way to Organization
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="accounts")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="accounts")
    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices)
    account_name = models.CharField(_("account name"), max_length=100)
    handle = models.CharField(_("ID / handle"), max_length=100, blank=True)
    url = models.URLField(_("URL"), max_length=300, blank=True)
    purpose = models.TextField(_("purpose"))
    audience = models.CharField(_("audience"), max_length=200, blank=True)
    manager = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="managed_accounts", null=True, blank=True
    )
    operators = models.ManyToManyField(Staff, related_name="operated_accounts", blank=True)
    verified = models.BooleanField(_("verified by the platform"), default=False)
    login_email = models.EmailField(_("login e-mail"), blank=True)
    operating_hours = models.CharField(_("operating hours"), max_length=100, blank=True)
    reply_policy = models.TextField(_("reply policy"), blank=True)
    state = models.CharField(max_length=20, choices=AccountState.choices, default=AccountState.REQUESTED)
    state_changed_at = models.DateTimeField(null=True, blank=True)
    requested_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    last_post_at = models.DateTimeField(null=True, blank=True, help_text="For the dormant-account review.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organization", "department", "platform", "account_name"]
        indexes = [models.Index(fields=["organization", "state"])]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "platform", "handle"],
                condition=~models.Q(handle=""),
                name="registry_unique_handle",
            )
        ]

    def __str__(self) -> str:
        return f"{self.account_name} ({self.get_platform_display()})"


class Approval(ApprovalDecision):
    """One approver's decision on one step of a chain (open, change or
    close); fields from ApprovalDecision."""

    scope_path: ClassVar[str] = "account__organization"  # orgs.scoping: the way to Organization

    account = models.ForeignKey(OfficialAccount, on_delete=models.PROTECT, related_name="approvals")
    workflow = models.CharField(max_length=20)

    class Meta:
        ordering = ["account", "workflow", "round", "step", "decided_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "workflow", "round", "step", "approver"],
                name="registry_one_decision_per_step",
            )
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.workflow} {self.step} {self.decision}"


class PolicyVersion(models.Model):
    """The account's operating policy (運用方針), one row per saved version."""

    scope_path: ClassVar[str] = "account__organization"  # orgs.scoping: the way to Organization

    account = models.ForeignKey(OfficialAccount, on_delete=models.PROTECT, related_name="policies")
    version = models.PositiveIntegerField()
    items = models.JSONField(default=dict, help_text="Profile policy item id → text.")
    created_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["account", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["account", "version"], name="registry_unique_policy_version")
        ]

    def __str__(self) -> str:
        return f"{self.account} v{self.version}"


class Notice(models.Model):
    """An announced change or closure: when it was announced, takes effect, and stays posted until."""

    scope_path: ClassVar[str] = "account__organization"  # orgs.scoping: the way to Organization

    class Kind(models.TextChoices):
        CHANGE = "change", _("Change")
        CLOSURE = "closure", _("Closure")

    State = NoticeState

    account = models.ForeignKey(OfficialAccount, on_delete=models.PROTECT, related_name="notices")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    description = models.TextField(_("what changes"))
    announced_on = models.DateField(_("announced on"))
    effective_on = models.DateField(_("takes effect on"))
    keep_until = models.DateField(_("keep the notice until"), null=True, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.SCHEDULED)
    # A change of the account's URL (issue #13): applied when the change is carried out, not before.
    new_url = models.URLField(_("new URL"), max_length=300, blank=True)
    new_handle = models.CharField(_("new ID / handle"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-effective_on"]

    def __str__(self) -> str:
        return f"{self.account} {self.kind} {self.effective_on}"


class ContinuationReview(models.Model):
    """継続の検討: the account checked against the profile's closure criteria (守谷市議会 7(1) ア–エ)."""

    scope_path: ClassVar[str] = "account__organization"  # orgs.scoping: the way to Organization

    class Decision(models.TextChoices):
        CONTINUE = "continue", _("Continue")
        CLOSE = "close", _("Close")

    account = models.ForeignKey(OfficialAccount, on_delete=models.PROTECT, related_name="reviews")
    answers = models.JSONField(default=dict, help_text="criterion id → whether it applies")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    note = models.TextField(blank=True)
    reviewer = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["account", "-reviewed_at"]

    def __str__(self) -> str:
        return f"{self.account} {self.decision}"


class ImportUpload(models.Model):
    """A 台帳 file held between its preview and its confirmation, so the confirm applies exactly the
    bytes that were previewed (their SHA-256 is ``digest``) and applies them once (``applied_at``)."""

    scope_path: ClassVar[str] = "organization"  # orgs.scoping: the way to Organization

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=200)
    digest = models.CharField(max_length=64)
    data = models.BinaryField(help_text="The uploaded file; emptied once applied.")
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} {self.digest[:12]}"
