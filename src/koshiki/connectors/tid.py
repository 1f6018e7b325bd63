"""Deterministic AT Protocol TIDs: the record key of a post, derived from its idempotency key.

A TID is 13 characters of "base32-sortable" (``234567abcdefghijklmnopqrstuvwxyz``) encoding a
64-bit integer: top bit 0, then 53 bits of microseconds since the UNIX epoch, then a 10-bit
clock id. Clients normally take the current time; here every bit comes from SHA-256 of the key,
so the same key gives the same record key in every process and on every retry, and the PDS
itself refuses a second post under it (see ``bluesky.BlueskyConnector.publish``).

Choice of timestamp: the key's hash picks a microsecond between 2000-01-01 and 2017-10 (2**49 µs),
and another 10 bits the clock id, 59 bits in all. Collisions between two keys of one account are
out of reach (birthday bound ~7 * 10**8 keys), and a deterministic key never collides with the
clock-based TIDs the Bluesky app gives an account's other posts (those are all after 2023). The
TID only orders ``listRecords``; feeds and the post's displayed time use the record's
``createdAt``, which stays the real time. The caller needs nothing but the key to find the post
again, which is the point: no timestamp to store and pass back identically on a retry.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime

ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
TID_RE = re.compile(r"^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$")

_EPOCH_2000_US = 946_684_800_000_000  # 2000-01-01T00:00:00Z in microseconds
_WINDOW_BITS = 49  # ~17.8 years of microseconds
_CLOCK_BITS = 10
_DOMAIN = b"koshiki-tid-v1\x00"  # version the derivation: changing it would re-post everything


def encode(value: int) -> str:
    """The 13-character base32-sortable form of a non-negative 63-bit integer."""
    if not 0 <= value < 1 << 63:
        raise ValueError("a TID holds a 63-bit non-negative integer")
    chars = []
    for _ in range(13):
        chars.append(ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def decode(tid: str) -> int:
    """The integer behind a TID (inverse of ``encode``)."""
    if not is_valid_tid(tid):
        raise ValueError(f"not a TID: {tid!r}")
    value = 0
    for char in tid:
        value = value << 5 | ALPHABET.index(char)
    return value


def is_valid_tid(value: str) -> bool:
    """Whether ``value`` has the syntax the AT Protocol requires of a TID."""
    return bool(TID_RE.match(value))


def tid_timestamp(tid: str) -> datetime:
    """The timestamp part of a TID as an aware UTC datetime."""
    micros = decode(tid) >> _CLOCK_BITS
    return datetime.fromtimestamp(micros / 1_000_000, tz=UTC)


def tid_for_key(key: str) -> str:
    """The record key for ``key``: stable across processes (SHA-256, not ``hash()``)."""
    if not key:
        raise ValueError("an idempotency key must not be empty")
    digest = int.from_bytes(hashlib.sha256(_DOMAIN + key.encode("utf-8")).digest()[:8], "big")
    offset = digest >> (64 - _WINDOW_BITS)
    clock_id = digest & ((1 << _CLOCK_BITS) - 1)
    return encode((_EPOCH_2000_US + offset) << _CLOCK_BITS | clock_id)
