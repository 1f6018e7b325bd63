"""Every UI string has its Japanese translation (the UI is Japanese first)."""

from __future__ import annotations

from pathlib import Path

import polib

import koshiki

PO = Path(koshiki.__file__).with_name("locale") / "ja" / "LC_MESSAGES" / "django.po"


def test_every_message_is_translated_to_japanese() -> None:
    po = polib.pofile(str(PO))
    assert [e.msgid for e in po if not e.msgstr or "fuzzy" in e.flags or e.obsolete] == []


def test_placeholders_survive_translation() -> None:
    import re

    pattern = re.compile(r"%\(\w+\)[sd]")
    for entry in polib.pofile(str(PO)):
        assert sorted(pattern.findall(entry.msgid)) == sorted(pattern.findall(entry.msgstr)), entry.msgid
