"""Uploaded 台帳 files are not kept for ever: a file may hold names and staff e-mail addresses, and it is
held only between its preview and its confirmation (registry/io_apply.py).

- a preview nobody confirmed goes after UNCONFIRMED_FOR (its confirm then asks for the file again);
- an applied upload's row (its bytes already emptied) goes after APPLIED_FOR: it only answers a late
  double submit with "already imported"; the import itself stays in the audit log.
"""

from __future__ import annotations

import datetime as dt

from koshiki.core import jobs

UNCONFIRMED_FOR = dt.timedelta(days=1)
APPLIED_FOR = dt.timedelta(days=30)


@jobs.sweep("registry.prune_import_uploads")
def prune_import_uploads(now: dt.datetime) -> int:
    """Delete expired uploads; returns how many went. Idempotent: a second pass finds nothing."""
    from django.db.models import Q

    from .models import ImportUpload

    expired = Q(applied_at__isnull=True, created_at__lt=now - UNCONFIRMED_FOR) | Q(
        applied_at__lt=now - APPLIED_FOR
    )
    return ImportUpload.objects.filter(expired).delete()[0]
