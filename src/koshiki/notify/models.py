"""In-app notifications (お知らせ): one row per recipient per event, written by the notify delivery.

The row keeps the message key and its parameters, not rendered text, so the list shows each message in the
language of whoever reads it at that moment. ``event`` makes delivery idempotent: a retried job finds the
row it wrote and neither lists nor e-mails the event twice.
"""

from __future__ import annotations

from typing import ClassVar

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from koshiki.orgs.models import Staff


class Notification(models.Model):
    scope_path: ClassVar[str] = "recipient__organization"  # orgs.scoping: the way to Organization

    recipient = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="notifications")
    key = models.CharField(max_length=80, help_text="A message key of koshiki.notify.messages.")
    params = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    link = models.CharField(max_length=300, blank=True)
    event = models.CharField(max_length=120, help_text="One event, told once to each recipient.")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "event"], name="notify_one_row_per_event"),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notify_unread_idx")]

    def __str__(self) -> str:
        return f"{self.recipient_id}:{self.key}"
