"""The suite compiles its own translations: bare `pytest` works without `make messages` first."""

from __future__ import annotations

import gettext
import os
import shutil
from pathlib import Path

from .messages import LOCALE_DIR, ensure_compiled

PO = LOCALE_DIR / "ja" / "LC_MESSAGES" / "django.po"


def _copy_locale(tmp_path: Path) -> Path:
    target = tmp_path / "locale" / "ja" / "LC_MESSAGES"
    target.mkdir(parents=True)
    shutil.copy(PO, target / "django.po")
    return tmp_path / "locale"


def test_a_missing_mo_is_compiled(tmp_path: Path) -> None:
    locale = _copy_locale(tmp_path)
    assert ensure_compiled(locale) == [locale / "ja" / "LC_MESSAGES" / "django.mo"]
    catalog = gettext.GNUTranslations((locale / "ja" / "LC_MESSAGES" / "django.mo").open("rb"))
    assert catalog.gettext("Encryption key does not match") == "暗号鍵が一致しません"


def test_an_mo_older_than_its_po_is_recompiled_and_a_fresh_one_is_left_alone(tmp_path: Path) -> None:
    locale = _copy_locale(tmp_path)
    mo = locale / "ja" / "LC_MESSAGES" / "django.mo"
    mo.write_bytes(b"stale")
    os.utime(mo, (1, 1))
    assert ensure_compiled(locale) == [mo]
    assert mo.read_bytes() != b"stale"
    assert ensure_compiled(locale) == []
