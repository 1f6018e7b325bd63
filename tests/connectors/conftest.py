"""A local AT Protocol network for the connector tests, and fresh accounts on it.

With ``KOSHIKI_BSKY_PDS_URL`` set (scripts/run-tests.sh starts one network for the whole run),
that network is used; otherwise the session starts its own through scripts/bsky-network.sh and
stops it at the end. These tests need no Django database.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from koshiki.connectors.devnet import DevAccount, create_test_account

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "bsky-network.sh"


@pytest.fixture(scope="session")
def bsky_pds_url() -> Iterator[str]:
    url = os.environ.get("KOSHIKI_BSKY_PDS_URL")
    if url:
        yield url.rstrip("/")
        return
    directory = tempfile.mkdtemp(prefix="koshiki-bsky.")
    try:
        started = subprocess.run(
            [str(SCRIPT), "start", directory], capture_output=True, text=True, timeout=400, check=False
        )
        if started.returncode != 0:
            pytest.fail(f"could not start the AT Protocol network:\n{started.stderr}", pytrace=False)
        yield started.stdout.strip().splitlines()[-1]
    finally:
        subprocess.run([str(SCRIPT), "stop", directory], capture_output=True, timeout=60, check=False)


@pytest.fixture
def make_account(bsky_pds_url: str) -> Callable[[str], DevAccount]:
    """Creates further accounts (e.g. someone who replies)."""

    def make(prefix: str = "other") -> DevAccount:
        return create_test_account(bsky_pds_url, prefix)

    return make


@pytest.fixture
def bsky_account(make_account: Callable[[str], DevAccount]) -> DevAccount:
    return make_account("koshiki")
