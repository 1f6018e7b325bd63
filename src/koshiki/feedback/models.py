"""One approver's judgment on the checker's result for one version of a post's text.

Models hold data only; every change goes through koshiki.feedback.services.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koshiki.orgs.models import Organization, Staff
from koshiki.posts.models import Post


class CheckFeedback(models.Model):
    """誤検知 (a finding that is wrong) or 見逃し (a category the checker missed), on the text whose
    SHA-256 is ``text_sha256`` (version ``post_version``). ``key`` names what it is about, so the same
    judgment on the same text is recorded once while it stands (a double click, two tabs); a retracted
    one may be given again."""

    scope_path: ClassVar[str] = "organization"  # orgs.scoping: the way to Organization

    class Kind(models.TextChoices):
        FALSE_POSITIVE = "false_positive", _("Wrong finding (false positive)")
        MISSED = "missed", _("Missed category")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="check_feedback")
    post_version = models.PositiveIntegerField()
    text_sha256 = models.CharField(max_length=64)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    category = models.CharField(_("category"), max_length=40)
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    detector = models.CharField(
        max_length=40, blank=True, help_text="The finding's detector (rule detectors, or 'learned')."
    )
    key = models.CharField(max_length=120)
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    retracted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "text_sha256", "key"],
                condition=Q(retracted_at__isnull=True),
                name="feedback_once_per_text",
            )
        ]
        indexes = [models.Index(fields=["organization", "created_at"], name="feedback_org_created")]

    def __str__(self) -> str:
        return f"{self.post_id}:{self.key}"

    @property
    def span(self) -> tuple[int, int] | None:
        return None if self.start is None or self.end is None else (self.start, self.end)
