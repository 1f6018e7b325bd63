"""The check API answers 400 with a JSON error for any body it cannot use, never 500."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ..conftest import signed_in_client

BODIES = [
    b"[]",
    b'"text"',
    b"1",
    b"null",
    b"true",
    b"[1, 2]",
    b'["text", "x"]',
    b"[" * 100_000 + b"]" * 100_000,
    b'{"text": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    b'{"text": "ok", "platform": {"x": 1}}',
    b'{"text": "ok", "platform": null}',
    b"\xff\xfe\x00",
    b"NaN",
    b'{"text": 1e999}',
]


@pytest.mark.parametrize("body", BODIES, ids=range(len(BODIES)))
def test_unusable_body_is_a_json_400(iwaki: Any, body: bytes) -> None:
    response = signed_in_client(iwaki.tanto.user).post("/check/api/", body, content_type="application/json")
    assert response.status_code == 400
    assert isinstance(response.json()["error"], str) and response.json()["error"]


def test_lone_surrogate_text_is_checked_not_a_500(iwaki: Any) -> None:
    body = b'{"text": "\\ud800 090-1234-5678", "platform": "x"}'
    response = signed_in_client(iwaki.tanto.user).post("/check/api/", body, content_type="application/json")
    assert response.status_code == 200 and response.json()["findings"]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=10,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    payload=json_values
    | st.fixed_dictionaries(
        {}, optional={"text": json_values, "platform": json_values, "is_correction": json_values}
    )
)
def test_fuzzed_json_never_answers_500(iwaki: Any, payload: Any) -> None:
    client = signed_in_client(iwaki.tanto.user)
    response = client.post("/check/api/", json.dumps(payload), content_type="application/json")
    assert response.status_code in (200, 400)
    assert response["Content-Type"] == "application/json"
