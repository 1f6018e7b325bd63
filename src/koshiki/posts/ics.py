"""A small RFC 5545 (iCalendar) writer for the calendar feed: escaping, folding, CRLF (#13).

Why not a library: the feed writes one kind of event with five properties; what matters is that a post's
text (written by anyone who may post) cannot break out of its property: backslash, semicolon, comma and
every line break are escaped (RFC 5545 3.3.11), control characters dropped, and lines folded at 75 octets
without splitting a UTF-8 character (3.1).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

CRLF = "\r\n"
MAX_OCTETS = 75
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class Event:
    uid: str
    start: dt.datetime  # aware
    summary: str
    description: str
    url: str
    stamp: dt.datetime  # aware


def escape_text(value: str) -> str:
    """A TEXT value: \\ ; , escaped, every line break as \\n, other control characters removed."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = _CONTROL.sub("", value)
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _uri(value: str) -> str:
    """A URI value has no escapes: drop anything that could end the line or the property."""
    return _CONTROL.sub("", value.replace("\r", "").replace("\n", "")).replace(" ", "%20")


def fold(line: str) -> str:
    """Split a content line into parts of at most 75 octets (continuations start with one space)."""
    parts: list[str] = []
    current, size, limit = "", 0, MAX_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size, limit = "", 0, MAX_OCTETS - 1
        current += char
        size += width
    parts.append(current)
    return (CRLF + " ").join(parts)


def utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(name: str, events: Iterable[Event]) -> str:
    """The whole VCALENDAR, CRLF line ends, every line folded."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Koshiki//calendar feed//JA",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{escape_text(event.uid)}",
            f"DTSTAMP:{utc(event.stamp)}",
            f"DTSTART:{utc(event.start)}",
            f"SUMMARY:{escape_text(event.summary)}",
            f"DESCRIPTION:{escape_text(event.description)}",
            f"URL:{_uri(event.url)}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)
