"""Audit entries and the chain head.

Entries refer to users and organizations by id without foreign-key constraints: the
trail must outlive what it describes, and an ON DELETE SET NULL would be an UPDATE,
which the log refuses.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models


class AppendOnlyQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("audit entries are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("audit entries are append-only")


class AuditEntry(models.Model):
    # orgs.scoping
    scope_unscoped: ClassVar[str] = (
        "read only through audit.queries.entries_visible_to, which also checks the audit-read permission"
    )
    seq = models.BigIntegerField(
        unique=True,
        help_text="Global order for pages and history (gaps possible since #12; not read by verification).",
    )
    chain = models.CharField(
        max_length=40, help_text="The chain the entry belongs to: org-<id>, national, or legacy (before #12)."
    )
    chain_seq = models.BigIntegerField(
        null=True,
        blank=True,
        help_text="Position in its chain, from 1 (legacy entries: none; seq is theirs).",
    )
    created_at = models.DateTimeField()
    action = models.CharField(max_length=100, db_index=True, help_text="e.g. orgs.staff.joined")
    organization_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    organization_code = models.CharField(max_length=40, blank=True)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_name = models.CharField(max_length=150, blank=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=300, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    clause = models.CharField(max_length=120, blank=True, help_text="The guideline clause applied.")
    request_id = models.CharField(max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-seq"]
        indexes = [
            models.Index(fields=["organization_id", "-seq"]),
            # An object's history panel (audit/queries.py history_for filters on all three,
            # orders by seq; #12).
            models.Index(
                fields=["object_type", "object_id", "organization_id", "seq"],
                name="audit_entry_object_history",
            ),
        ]
        constraints = [
            # One entry per position of a chain; also the index verification walks (chain, chain_seq).
            models.UniqueConstraint(fields=["chain", "chain_seq"], name="audit_entry_chain_position"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None or not kwargs.pop("_append", False):
            raise PermissionError("audit entries are written only by koshiki.audit.chain.append")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("audit entries are append-only")

    @property
    def label(self) -> str:
        """The action's label in the viewer's language (audit/catalog.py); the raw code if retired."""
        from .catalog import label

        return label(self.action)


class ChainHead(models.Model):
    """One row per chain (issue #12: per organization, plus national and the closed legacy chain):
    the last entry's position in its chain and its hash, moved by compare-and-set on every append."""

    scope_unscoped: ClassVar[str] = (
        "one row per chain; written by audit.chain.append, read by verification, never listed"  # orgs.scoping
    )

    id = models.BigAutoField(primary_key=True)
    chain = models.CharField(max_length=40, unique=True)
    seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"head {self.chain} #{self.seq}"


class ChainVerification(models.Model):
    """Per chain: verified up to (seq, hash) at a time, the last result, and a run someone asked for.

    A work record, not evidence: it only saves re-reading verified entries. The full
    ``koshiki audit verify`` and the signed checkpoints do not trust it.
    """

    scope_unscoped: ClassVar[str] = (
        "read through audit.verification.status_for, which checks the audit-read permission"  # orgs.scoping
    )

    chain = models.CharField(max_length=40, unique=True)
    organization_id = models.BigIntegerField(null=True, blank=True)
    verified_seq = models.BigIntegerField(default=0)
    verified_hash = models.CharField(max_length=64, default="0" * 64)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_count = models.BigIntegerField(default=0, help_text="Entries of the chain verified so far.")
    ok = models.BooleanField(default=True)
    broken_seq = models.BigIntegerField(null=True, blank=True, help_text="Global seq of the first bad entry.")
    reason = models.CharField(max_length=300, blank=True)
    requested_at = models.DateTimeField(null=True, blank=True)
    requested_by_id = models.BigIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return f"verification {self.chain} #{self.verified_seq}"


class CheckpointQuerySet(models.QuerySet["Checkpoint"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("audit checkpoints are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("audit checkpoints are append-only")


class Checkpoint(models.Model):
    """A signed statement "chain <chain> had entry <seq> with hash <entry_hash> at <signed_at>".

    The signing key lives outside the database, so someone who can rewrite the tables cannot
    forge one; copies kept elsewhere (by the CISO) survive a deleted table.
    """

    scope_unscoped: ClassVar[str] = (
        "checkpoints cover the whole chain; read by audit verification, never by organization"  # orgs.scoping
    )

    format = models.PositiveSmallIntegerField(default=1)
    chain = models.CharField(max_length=40, default="national")
    seq = models.BigIntegerField()
    entry_hash = models.CharField(max_length=64)
    signed_at = models.CharField(max_length=40, help_text="ISO 8601 UTC, exactly as signed.")
    public_key = models.CharField(max_length=80)
    signature = models.CharField(max_length=120)
    heads = models.JSONField(
        null=True,
        blank=True,
        help_text="Format 2: the sorted [chain, seq, hash] leaves under the signed root.",
    )

    objects = CheckpointQuerySet.as_manager()

    class Meta:
        ordering = ["-seq"]
        indexes = [models.Index(fields=["chain", "-seq"])]

    def __str__(self) -> str:
        return f"checkpoint {self.chain} #{self.seq}"

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("audit checkpoints are append-only")


class RetainedText(models.Model):
    """Free text an audit entry refers to by id and salted digest; deletable when its retention ends.

    The chain keeps only {"$text": id, "sha256": sha256(salt + text)}: it proves what was written
    while the text exists, and never holds personal data itself.
    """

    scope_unscoped: ClassVar[str] = (
        "free text behind audit entries; shown only with its entry via entries_visible_to"  # orgs.scoping
    )

    id = models.CharField(primary_key=True, max_length=32)
    salt = models.CharField(max_length=32)
    text = models.TextField()
    organization_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"retained text {self.id}"
