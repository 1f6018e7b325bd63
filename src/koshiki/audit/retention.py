"""Free text in audit entries lives beside the chain, under a retention rule; the chain keeps a digest.

Which values are "free text that may hold personal data" is decided by key, at any depth of
``before``/``after`` (see FREE_TEXT_KEYS): post texts (a draft blocked for a phone number is still
a phone number), comments, reasons, notes, descriptions, device labels, findings with excerpts,
e-mail addresses and recovery contacts. Staff display names (actor_name, object_repr of staff) stay
in the chain: who decided what is the point of the trail.

In the chain such a value becomes ``{"$text": <random id>, "sha256": sha256(salt + text)}``; the
salt is random per value, so hashing a guessed phone number confirms nothing. The text itself is a
RetainedText row that ``shred`` deletes after KOSHIKI_AUDIT_TEXT_RETENTION_DAYS; the chain still
verifies, and pages show 「保存期間経過により削除」 in its place.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .canonical import canonical_json
from .models import AuditEntry, RetainedText

FREE_TEXT_KEYS = frozenset(
    {
        "text",
        "comment",
        "reason",
        "note",
        "detail",
        "description",
        "label",
        "alt",
        "findings",
        "email",
        "recovery_contact",
        "override_reason",
        "deletion_reason",
        "items",  # an operating policy's answers, typed by staff
        "purpose",
        "audience",
        "reply_policy",
    }
)
_FREE_TEXT_SUFFIX = re.compile(r"(_(text|comment|reason|note)|email)$")  # login_email, contact_email, ...
REF = "$text"
SHREDDED = _("Deleted after its retention period")
ALTERED = _("(the kept text does not match the audit log's digest)")


class ShredError(ValueError):
    """Bad arguments to shred (unknown organization code)."""


def is_free_text(key: Any) -> bool:
    name = str(key)
    return name in FREE_TEXT_KEYS or bool(_FREE_TEXT_SUFFIX.search(name))


def digest(salt: str, text: str) -> str:
    return hashlib.sha256((salt + text).encode("utf-8")).hexdigest()


def _retain(value: Any, organization_id: int | None, now: dt.datetime) -> dict[str, Any]:
    is_json = not isinstance(value, str)
    text = canonical_json({"v": value}) if is_json else value
    held = RetainedText.objects.create(
        id=secrets.token_hex(16),
        salt=secrets.token_hex(16),
        text=text,
        organization_id=organization_id,
        created_at=now,
    )
    ref: dict[str, Any] = {REF: held.id, "sha256": digest(held.salt, text)}
    if is_json:
        ref["json"] = True
    return ref


def retain_free_text(value: Any, organization_id: int | None) -> Any:
    """``value`` with every free-text value replaced by a reference; the texts are stored aside."""
    now = timezone.now()

    def walk(item: Any) -> Any:
        if isinstance(item, dict):
            return {
                key: (
                    _retain(inner, organization_id, now)
                    if is_free_text(key) and inner not in (None, "", [], {})
                    else walk(inner)
                )
                for key, inner in item.items()
            }
        if isinstance(item, list):
            return [walk(inner) for inner in item]
        return item

    return walk(value)


def _refs(value: Any) -> Iterable[str]:
    if isinstance(value, dict):
        if isinstance(value.get(REF), str):
            yield value[REF]
            return
        for inner in value.values():
            yield from _refs(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _refs(inner)


def texts_for(values: Iterable[Any]) -> dict[str, RetainedText]:
    ids = {ref for value in values for ref in _refs(value)}
    return {held.id: held for held in RetainedText.objects.filter(id__in=ids)} if ids else {}


def reveal(value: Any, texts: dict[str, RetainedText] | None = None) -> Any:
    """``value`` for display: references replaced by their text, or the shredded mark."""
    if texts is None:
        texts = texts_for([value])
    if isinstance(value, dict):
        if isinstance(value.get(REF), str):
            held = texts.get(value[REF])
            if held is None:
                return str(SHREDDED)
            if digest(held.salt, held.text) != value.get("sha256"):
                return str(ALTERED)
            return json.loads(held.text)["v"] if value.get("json") else held.text
        return {key: reveal(inner, texts) for key, inner in value.items()}
    if isinstance(value, list):
        return [reveal(inner, texts) for inner in value]
    return value


def reveal_entries(entries: Iterable[AuditEntry]) -> list[AuditEntry]:
    """Attach ``shown_before``/``shown_after`` to each entry, with one query for the page."""
    entries = list(entries)
    texts = texts_for([value for e in entries for value in (e.before, e.after)])
    for entry in entries:
        entry.shown_before = reveal(entry.before, texts)  # type: ignore[attr-defined]
        entry.shown_after = reveal(entry.after, texts)  # type: ignore[attr-defined]
    return entries


def default_cutoff(today: dt.date | None = None) -> dt.date:
    days = int(getattr(settings, "KOSHIKI_AUDIT_TEXT_RETENTION_DAYS", 5 * 365 + 2))
    return (today or timezone.localdate()) - dt.timedelta(days=days)


def shred(
    *, actor: Any, before: dt.date | None = None, organization_code: str | None = None, dry_run: bool = False
) -> int:
    """Delete retained texts written before ``before`` (default: the retention
    cutoff); audit each body's count.

    One transaction per organization: its texts go and its audit entry is written together, so a
    crash leaves either both or neither.
    """
    from koshiki.orgs.models import Organization

    cutoff = before or default_cutoff()
    start = dt.datetime.combine(cutoff, dt.time.min, tzinfo=timezone.get_current_timezone())
    texts = RetainedText.objects.filter(created_at__lt=start)
    organizations: dict[int | None, Any] = {}
    if organization_code:
        organization = Organization.objects.filter(code=organization_code).first()
        if organization is None:
            raise ShredError(f"unknown organization code {organization_code!r}")
        texts = texts.filter(organization_id=organization.pk)
        organizations[organization.pk] = organization
    owners = sorted(
        set(texts.values_list("organization_id", flat=True)), key=lambda pk: (pk is None, pk or 0)
    )
    if dry_run:
        return texts.count()
    total = 0
    for owner in owners:
        if owner not in organizations:
            organizations[owner] = (
                Organization.objects.filter(pk=owner).first() if owner is not None else None
            )
        with transaction.atomic():
            mine = (
                texts.filter(organization_id=owner)
                if owner is not None
                else texts.filter(organization_id__isnull=True)
            )
            count = mine.delete()[0]
            if count:
                from .services import log_action

                log_action(
                    "audit.texts.shredded",
                    actor=actor,
                    organization=organizations[owner],
                    after={"count": count, "before": cutoff.isoformat()},
                )
            total += count
    return total
