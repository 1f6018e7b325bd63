"""Posts, their approvals, standing approvals, after-the-fact reports, publish
attempts and channel credentials.

Models hold data only; every change goes through koshiki.posts.services.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from koshiki.core.approvals import ApprovalDecision
from koshiki.orgs.models import Organization, Staff
from koshiki.registry.models import OfficialAccount

from .lifecycle import PostState


class Category(models.TextChoices):
    NOTICE = "notice", _("Notice")
    EVENT = "event", _("Event")
    EMERGENCY = "emergency", _("Disaster and emergency")
    TOURISM = "tourism", _("Tourism")
    RECRUITMENT = "recruitment", _("Recruitment")
    OTHER = "other", _("Other")


class ChannelCredential(models.Model):
    """How Koshiki publishes for an account. Secrets are sealed (KOSHIKI_ENCRYPTION_KEY) and never logged."""

    scope_path: ClassVar[str] = "account__organization"  # orgs.scoping: the way to Organization

    class Kind(models.TextChoices):
        MANUAL = "manual", _("Manual (staff post by hand and record the URL)")
        BLUESKY = "bluesky", _("Bluesky (AT Protocol)")

    account = models.OneToOneField(OfficialAccount, on_delete=models.PROTECT, related_name="channel")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    service_url = models.URLField(blank=True)
    identifier = models.CharField(max_length=200, blank=True)
    sealed_secret = models.TextField(blank=True)
    sealed_session = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.account_id}:{self.kind}"


class StandingApproval(models.Model):
    """包括許可 (いわき市 第5 1(4) ただし書): posts within this scope need no per-post approval."""

    scope_path: ClassVar[str] = "organization"  # orgs.scoping: the way to Organization

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey(OfficialAccount, on_delete=models.PROTECT, related_name="standing_approvals")
    categories = models.JSONField(default=list)
    description = models.CharField(_("scope"), max_length=300)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    granted_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return self.description


class Post(models.Model):
    scope_path: ClassVar[str] = "organization"  # orgs.scoping: the way to Organization
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey(OfficialAccount, on_delete=models.PROTECT, related_name="posts")
    author = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="posts")
    edited_by = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who last changed the text: like the author, they may not approve it (four-eyes).",
    )
    submitted_by = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who sent it for approval or published it under an exemption.",
    )
    text = models.TextField(_("text"))
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default=Category.NOTICE
    )
    state = models.CharField(max_length=20, choices=PostState.choices, default=PostState.DRAFT)
    version = models.PositiveIntegerField(
        default=1, help_text="Bumped on every edit: approvals are for one version."
    )
    scheduled_at = models.DateTimeField(_("publish at"), null=True, blank=True)
    exemption = models.CharField(_("after-the-fact exemption"), max_length=60, blank=True)
    hours_exception = models.CharField(max_length=60, blank=True)
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    correction_action = models.CharField(
        max_length=20, blank=True, help_text="'delete' or 'annotate' the original."
    )
    findings = models.JSONField(default=list, blank=True)
    acknowledged = models.JSONField(
        default=list, blank=True, help_text="Keys of warnings the author acknowledged."
    )
    override_reason = models.TextField(blank=True)
    override_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    approval_round = models.PositiveIntegerField(default=0)
    standing_approval = models.ForeignKey(
        StandingApproval, on_delete=models.PROTECT, null=True, blank=True, related_name="posts"
    )
    idempotency_key = models.CharField(max_length=80, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    remote_id = models.CharField(max_length=300, blank=True)
    remote_url = models.URLField(max_length=500, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who recorded a manual publication (and may correct its URL).",
    )
    deletion_reason = models.CharField(max_length=300, blank=True)
    state_changed_at = models.DateTimeField(null=True, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    archive_file = models.CharField(max_length=300, blank=True, help_text="where the text went (archive)")
    retry_at = models.DateTimeField(
        null=True, blank=True, help_text="After a platform error: not before this time (the sweep queues it)."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["state", "scheduled_at"]),
            models.Index(fields=["account", "state"]),
            # issue #12: what the pages of one body filter and order on
            models.Index(fields=["organization", "state", "scheduled_at"], name="post_org_state_scheduled"),
            models.Index(fields=["organization", "-created_at"], name="post_org_created"),
            models.Index(fields=["account", "-created_at"], name="post_account_created"),
        ]

    def __str__(self) -> str:
        return self.text[:30]

    def audit_repr(self) -> str:
        """The audit chain names a post by number: its text may hold personal data (retained aside)."""
        return f"post #{self.pk}"

    @property
    def has_unresolved_blocks(self) -> bool:
        """Block findings nobody has overridden in writing: the post cannot be submitted as it is."""
        return not self.override_reason and any(f.get("severity") == "block" for f in self.findings or [])

    @property
    def state_badge(self) -> str:
        """The state as the lists show it: a checked post with blocks is not 'checked' to a reader (#13)."""
        if self.state == PostState.CHECKED and self.has_unresolved_blocks:
            return pgettext("post state", "Has blocks")
        return str(self.get_state_display())


class PostImage(models.Model):
    scope_path: ClassVar[str] = "post__organization"  # orgs.scoping: the way to Organization
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="images")
    data = models.BinaryField()
    mime_type = models.CharField(max_length=40)
    alt = models.CharField(_("alt text"), max_length=1000)

    def __str__(self) -> str:
        return self.alt[:30]

    def audit_repr(self) -> str:
        return f"image #{self.pk}"


class PostApproval(ApprovalDecision):
    """One approver's decision on one step of a post's chain; fields from ApprovalDecision."""

    scope_path: ClassVar[str] = "post__organization"  # orgs.scoping: the way to Organization

    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="approvals")

    class Meta:
        ordering = ["post", "round", "step", "decided_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "round", "step", "approver"], name="posts_one_decision_per_step"
            )
        ]

    def __str__(self) -> str:
        return f"{self.post_id} {self.step} {self.decision}"


class AfterReport(models.Model):
    """事後報告: a post that went out without per-post approval, until the approver acknowledges it."""

    scope_path: ClassVar[str] = "post__organization"  # orgs.scoping: the way to Organization

    post = models.OneToOneField(Post, on_delete=models.PROTECT, related_name="after_report")
    reason = models.CharField(max_length=60, help_text="exemption id, or 'standing'")
    due_on = models.DateField()
    acknowledged_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        indexes = [
            # issue #12: the reports still to acknowledge (dashboard, after-the-fact list), a small part
            models.Index(
                fields=["due_on"], condition=models.Q(acknowledged_at__isnull=True), name="after_report_open"
            )
        ]

    def __str__(self) -> str:
        return f"{self.post_id} {self.reason}"


class PublishAttempt(models.Model):
    """The intent, recorded and committed before the platform is called; settled afterwards."""

    scope_path: ClassVar[str] = "post__organization"  # orgs.scoping: the way to Organization

    class Outcome(models.TextChoices):
        PENDING = "pending", _("In progress")
        PUBLISHED = "published", _("Published")
        RECONCILED = "reconciled", _("Found published after a crash")
        RETRY = "retry", _("Will retry")
        FAILED = "failed", _("Failed")

    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="publish_attempts")
    idempotency_key = models.CharField(max_length=80)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.PENDING)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["post", "started_at"]

    def __str__(self) -> str:
        return f"{self.post_id} {self.outcome}"


class PostTemplate(models.Model):
    """A reusable text (防災, イベント ...) for one account, or for every account of the organization when
    ``account`` is empty. Checked like a post when saved; the composer copies its text into a new draft,
    which is then checked as usual. Archived templates are kept (history) but no longer offered."""

    scope_path: ClassVar[str] = "organization"  # orgs.scoping: the way to Organization

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey(
        OfficialAccount,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="post_templates",
        verbose_name=_("account"),
        help_text="Empty: the template is for every account of the organization.",
    )
    name = models.CharField(_("template name"), max_length=100)
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default=Category.NOTICE
    )
    text = models.TextField(_("text"))
    findings = models.JSONField(default=list, help_text="The checker's warnings on the saved text.")
    created_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    archived = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1, help_text="Compare-and-set: each change adds one.")
    request_key = models.CharField(
        max_length=64, blank=True, default="", help_text="The create form's one-time key (double clicks)."
    )

    class Meta:
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["organization", "archived", "name"], name="posttemplate_org_list")]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "request_key"],
                condition=~models.Q(request_key=""),
                name="posts_unique_template_request_key",
            )
        ]

    def __str__(self) -> str:
        return self.name


class CalendarFeed(models.Model):
    """A member of staff's secret calendar (ICS) feed URL: only the SHA-256 of its token is kept, so a
    copy of the database does not open anyone's feed; rotating replaces the hash, revoking deletes the row."""

    scope_path: ClassVar[str] = "staff__organization"  # orgs.scoping: the way to Organization

    staff = models.OneToOneField(Staff, on_delete=models.CASCADE, related_name="calendar_feed")
    token_hash = models.CharField(max_length=64, unique=True)
    request_key = models.CharField(
        max_length=64, blank=True, default="", help_text="The one-time form key of the last issue."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"feed of {self.staff_id}"
