"""The dashboard's security items look each line's account up by id, not by walking every account again
(issue #12 P: O(lines × accounts) for 横浜市's 428 accounts, ~400 lines each)."""

from __future__ import annotations

from typing import Any

import pytest

from koshiki.core.attention import Viewer
from koshiki.security import attention as security_attention
from koshiki.security import status as security_status
from koshiki.security.recipients import recipients
from koshiki.security.status import board_lines, organization_security

from .conftest import SeedBody


class CountingList(list):  # type: ignore[type-arg]
    """A list that counts how often it is walked from the start."""

    walks = 0

    def __iter__(self) -> Any:
        CountingList.walks += 1
        return super().__iter__()


def _counting(monkeypatch: pytest.MonkeyPatch) -> None:
    real = security_status.organization_security

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        state = real(*args, **kwargs)
        state.accounts = CountingList(state.accounts)
        return state

    monkeypatch.setattr(security_attention, "organization_security", wrapped)
    CountingList.walks = 0


def test_items_walk_the_accounts_a_fixed_number_of_times(
    iwaki_body: SeedBody, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = board_lines(organization_security(iwaki_body.organization))
    assert len([line for line in lines if line.account_id]) >= 2  # two accounts without two-step login
    _counting(monkeypatch)
    items = list(security_attention.security_items(Viewer(iwaki_body.manager.user, iwaki_body.manager)))
    assert items
    assert CountingList.walks <= 2  # board_lines once; not once more per line


def test_recipients_by_id_are_the_same_people(iwaki_body: SeedBody) -> None:
    state = organization_security(iwaki_body.organization)
    for line in board_lines(state):
        status = state.status_of(line.account_id)
        expected = next((s for s in state.accounts if s.account.pk == line.account_id), None)
        assert status is expected
        assert iwaki_body.manager in recipients(state, line)


def test_board_lines_resolve_no_url_until_one_is_shown(
    iwaki_body: SeedBody, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The dashboard keeps only the lines its viewer hears of: the others' links are never worked out."""
    state = organization_security(iwaki_body.organization)
    resolved: list[Any] = []
    real = security_status.reverse

    def counting(*args: Any, **kwargs: Any) -> str:
        resolved.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(security_status, "reverse", counting)
    lines = board_lines(state)
    assert len(lines) >= 2 and resolved == []
    assert lines[0].url == real("account-security", args=[lines[0].account_id])
