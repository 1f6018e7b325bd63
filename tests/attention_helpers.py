"""Read a person's dashboard items by kind (core/attention.py), optionally at a fake moment."""

from __future__ import annotations

import datetime as dt
from typing import Any


def kinds(person: Any, *, now: dt.datetime | None = None, link: str | None = None) -> list[str]:
    from koshiki.core.attention import items_for

    return [
        item.kind for item in items_for(person.user, person, now=now) if link is None or item.link == link
    ]
