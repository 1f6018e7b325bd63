"""The calendar feed's iCalendar writer: escaping and folding per RFC 5545, so post text cannot inject."""

from __future__ import annotations

import datetime as dt

from koshiki.posts import ics

NOW = dt.datetime(2026, 12, 1, 3, 0, tzinfo=dt.UTC)


def _event(**kw: object) -> ics.Event:
    fields: dict[str, object] = {
        "uid": "post-1@x",
        "start": NOW,
        "summary": "広報 予約済み",
        "description": "本文",
        "url": "https://koshiki.example/posts/1/",
        "stamp": NOW,
    }
    fields.update(kw)
    return ics.Event(**fields)  # type: ignore[arg-type]


def _unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def test_text_values_escape_backslash_semicolon_comma_and_newlines() -> None:
    assert ics.escape_text("a\\b;c,d\ne\r\nf\rg") == "a\\\\b\\;c\\,d\\ne\\nf\\ng"


def test_post_text_with_crlf_and_end_vevent_cannot_inject_properties() -> None:
    evil = "お知らせ\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:偽\nATTENDEE:mailto:x@example.com\x00"
    text = ics.calendar("K", [_event(description=evil, summary=evil)])
    lines = _unfold(text)
    assert lines.count("BEGIN:VEVENT") == 1 and lines.count("END:VEVENT") == 1
    assert not any(line.startswith(("ATTENDEE", "SUMMARY:偽")) for line in lines)
    assert "\x00" not in text


def test_every_line_is_at_most_75_octets_and_unfolds_to_the_original() -> None:
    long = "避難所の開設情報です、" * 30
    text = ics.calendar("K", [_event(description=long)])
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    for line in text.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75
        line.encode("utf-8").decode("utf-8")  # no UTF-8 character split across lines
    [description] = [line for line in _unfold(text) if line.startswith("DESCRIPTION:")]
    assert description == "DESCRIPTION:" + ics.escape_text(long)


def test_start_is_in_utc() -> None:
    text = ics.calendar(
        "K", [_event(start=dt.datetime(2026, 12, 2, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=9))))]
    )
    assert "DTSTART:20261201T153000Z" in _unfold(text)
