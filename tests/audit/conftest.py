"""Codes the chain tests write: declared for the test that uses them, so
log_action's catalog check stays on."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils.translation import gettext_lazy

from koshiki.audit import catalog

TEST_CODES: dict[str, tuple[str, ...]] = {
    "test.after_head_lost": (),
    "test.append": (),
    "test.first": (),
    "test.flush": (),
    "test.outside": (),
    "test.rollback": (),
    "test.later": ("i",),
    "test.secret": ("app_password", "handle", "nested"),
    "test.free_text": ("comment", "reason", "step", "text"),
    "test.old": ("text",),
    "test.other": ("text",),
    "test.recent": ("text",),
    "test.page": ("comment",),
}


@pytest.fixture
def test_action_codes(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for code, after in TEST_CODES.items():
        monkeypatch.setitem(
            catalog.ACTIONS, code, catalog.Action(code, gettext_lazy(code), "test", (), after)
        )
    yield
