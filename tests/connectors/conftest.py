"""A local AT Protocol network for the connector tests, and fresh accounts on it.

With ``KOSHIKI_BSKY_PDS_URL`` set (scripts/run-tests.sh starts one network for the whole run),
that network is used; otherwise the session starts its own through scripts/bsky-network.sh and
stops it at the end. These tests need no Django database.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from koshiki.connectors.devnet import DevAccount


@pytest.fixture
def bsky_account(make_account: Callable[[str], DevAccount]) -> DevAccount:
    return make_account("koshiki")
