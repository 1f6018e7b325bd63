"""The canonical form of an entry that its hash covers, and masking of secrets."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

GENESIS = "0" * 64
HASHED_FIELDS = (
    "seq",
    "created_at",
    "action",
    "organization_id",
    "organization_code",
    "actor_id",
    "actor_name",
    "object_type",
    "object_id",
    "object_repr",
    "before",
    "after",
    "clause",
    "request_id",
)
# Issue #12: per-chain entries hash their chain and position in it instead of the global seq, which is
# only an ordering column now (taken from a sequence outside any lock, so it may have gaps).
CHAIN_HASHED_FIELDS = ("chain", "chain_seq", *(name for name in HASHED_FIELDS if name != "seq"))
_SECRET_KEY = re.compile(r"pass(word)?|secret|token|api[_-]?key|otp|totp|credential|private", re.I)
MASK = "********"


def mask_secrets(value: Any) -> Any:
    """Replace the values of secret-looking keys, at any depth; flags (``secret_changed: true``) stay."""
    if isinstance(value, dict):
        return {
            key: (
                MASK
                if _SECRET_KEY.search(str(key)) and item not in (None, "") and not isinstance(item, bool)
                else mask_secrets(item)
            )
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [mask_secrets(item) for item in value]
    return value


def canonical_json(fields: dict[str, Any] | list[Any]) -> str:
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def entry_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    payload = prev_hash + canonical_json(fields)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
