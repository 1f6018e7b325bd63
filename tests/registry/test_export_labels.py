"""The 台帳 export looks each choice label up once per export, not once per row (issue #12 P: Django's
get_FOO_display translates every choice again on each call: 11 translations per row for 横浜市's 428
accounts)."""

from __future__ import annotations

from typing import Any

import pytest

from koshiki.registry.io import export_rows
from koshiki.registry.models import OfficialAccount

from .test_io_roundtrip import ledger  # noqa: F401  (fixture)


def test_rows_carry_the_same_labels_without_a_display_call_per_row(
    iwaki: Any,
    ledger: dict[str, OfficialAccount],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    accounts = list(
        OfficialAccount.objects.filter(organization=iwaki.organization).select_related("department")
    )
    expected = {a.pk: (a.get_platform_display(), str(a.get_state_display())) for a in accounts}
    calls: list[str] = []
    for name in ("get_platform_display", "get_state_display"):
        real = getattr(OfficialAccount, name)

        def counting(self: Any, real: Any = real, name: str = name) -> Any:
            calls.append(name)
            return real(self)

        monkeypatch.setattr(OfficialAccount, name, counting)
    rows = list(export_rows(accounts))[1:]
    assert {int(r[-1]): (r[2], r[10]) for r in rows} == expected
    assert calls == []
