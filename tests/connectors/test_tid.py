"""Deterministic TIDs: valid AT Protocol syntax, stable, distinct."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime

import pytest

from koshiki.connectors.tid import TID_RE, decode, encode, is_valid_tid, tid_for_key, tid_timestamp

KEYS = ["post-42-attempt-1", "post-42-attempt-2", "投稿-1", "", "x" * 10_000]


@pytest.mark.parametrize("key", [k for k in KEYS if k])
def test_valid_tid(key: str) -> None:
    tid = tid_for_key(key)
    assert len(tid) == 13 and TID_RE.match(tid) and is_valid_tid(tid)
    assert decode(tid) >> 63 == 0  # top bit 0
    assert datetime(2000, 1, 1, tzinfo=UTC) <= tid_timestamp(tid) < datetime(2018, 1, 1, tzinfo=UTC)


def test_empty_key_refused() -> None:
    with pytest.raises(ValueError):
        tid_for_key("")


def test_stable_across_processes() -> None:
    """Not Python's hash() (salted per process): a retry in another worker must find the post."""
    code = "from koshiki.connectors.tid import tid_for_key; print(tid_for_key('post-42-attempt-1'))"
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert other.stdout.strip() == tid_for_key("post-42-attempt-1")
    assert tid_for_key("post-42-attempt-1") == "2ypljisqq66di"  # pinned: changing it re-posts everything


def test_distinct_keys_distinct_tids() -> None:
    tids = {tid_for_key(f"post-{n}-attempt-{n % 7}") for n in range(20_000)}
    assert len(tids) == 20_000


def test_encoding_round_trip_and_order() -> None:
    now = int(datetime.now(UTC).timestamp() * 1_000_000) << 10
    assert decode(encode(now)) == now
    assert encode(0) == "2222222222222"
    assert encode(now) < encode(now + 1)  # sortable as strings
    assert not is_valid_tid("kzzzzzzzzzzzz") and not is_valid_tid("3jzfcijpj2z2")
    with pytest.raises(ValueError):
        encode(1 << 63)
