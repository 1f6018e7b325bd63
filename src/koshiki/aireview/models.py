"""A body's AI reviewer settings and the reviews it gave. Models hold data; services change them."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from koshiki.orgs.models import Organization, Staff
from koshiki.posts.models import Post

from .lifecycle import ReviewState


class AIReviewSettings(models.Model):
    """Per body: off by default. The API key is sealed (KOSHIKI_ENCRYPTION_KEY), bound to the endpoint
    (a new address needs the key entered again), never shown back and never audited."""

    scope_path: ClassVar[str] = "organization"  # orgs.scoping: the way to Organization
    organization = models.OneToOneField(Organization, on_delete=models.PROTECT, related_name="ai_review")
    enabled = models.BooleanField(_("use the AI reviewer"), default=False)
    base_url = models.CharField(_("endpoint base URL"), max_length=500, blank=True)
    model_name = models.CharField(_("model name"), max_length=200, blank=True)
    sealed_api_key = models.TextField(blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("AI reviewer settings")

    def __str__(self) -> str:
        return f"AI reviewer settings of organization {self.organization_id}"

    @property
    def usable(self) -> bool:
        return self.enabled and bool(self.base_url and self.model_name and self.sealed_api_key)


class AIReview(models.Model):
    """The AI's second opinion on one text version of a post: created pending (once per version), then
    done with its suggestions or failed with a message. ``claimed_at``: when a worker took it (a worker
    that died leaves it pending; the sweep takes it again after the lease)."""

    scope_path: ClassVar[str] = "post__organization"  # orgs.scoping: the way to Organization
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="ai_reviews")
    post_version = models.PositiveIntegerField()
    text_sha256 = models.CharField(max_length=64)
    prompt_version = models.CharField(max_length=40)
    model_name = models.CharField(max_length=200, blank=True)
    state = models.CharField(max_length=10, choices=ReviewState.choices, default=ReviewState.PENDING)
    suggestions = models.JSONField(default=list, blank=True)
    error = models.CharField(max_length=500, blank=True)
    requested_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    attempts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("AI review")
        constraints = [
            models.UniqueConstraint(fields=["post", "post_version"], name="aireview_once_per_version"),
        ]
        indexes = [models.Index(fields=["state", "claimed_at"], name="aireview_state_claimed")]

    def __str__(self) -> str:
        return f"AI review of post {self.post_id} v{self.post_version}"
