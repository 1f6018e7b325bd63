"""The signed-in user's Staff row is looked up once per request (request.staff), not by every helper."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ..conftest import signed_in_client

STAFF_BY_USER = re.compile(r'FROM "orgs_staff".*WHERE "orgs_staff"\."user_id" = ', re.S)


def _staff_lookups(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return sum(1 for q in queries.captured_queries if STAFF_BY_USER.search(q["sql"]))


@pytest.mark.parametrize("url", ["/", "/posts/", "/accounts/", "/people/", "/posts/approvals/"])
def test_staff_is_resolved_once_per_request(iwaki: Any, url: str) -> None:
    assert _staff_lookups(signed_in_client(iwaki.kacho.user), url) == 1


def test_the_staff_is_not_carried_over_to_the_next_request(iwaki: Any) -> None:
    client = signed_in_client(iwaki.kacho.user)
    assert _staff_lookups(client, "/posts/") == 1
    assert _staff_lookups(client, "/posts/") == 1
