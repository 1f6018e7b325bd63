"""Messages by key. A message is either two texts (subject, body; gettext_lazy with %(name)s placeholders)
or a renderer function for text computed from rows; either way it is rendered per recipient, inside
``translation.override(recipient's language)``, so each person reads it in their own language.

Apps define their messages at import time of a module their AppConfig.ready loads (the worker runs ready too).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

#: (recipient, context, cache) → (subject, body), or None for nothing to say to this person.
#: ``cache`` lives for one delivery, so a renderer can share work between recipients of the same language.
Renderer = Callable[[Any, Mapping[str, Any], dict[Any, Any]], "tuple[str, str] | None"]


@dataclass(frozen=True)
class Message:
    key: str
    subject: Any = None
    body: Any = None
    renderer: Renderer | None = None

    def render(
        self, recipient: Any, context: Mapping[str, Any], cache: dict[Any, Any]
    ) -> tuple[str, str] | None:
        if self.renderer is not None:
            return self.renderer(recipient, context, cache)
        return str(self.subject) % context, str(self.body) % context


MESSAGES: dict[str, Message] = {}


def define(key: str, subject: Any, body: Any) -> str:
    """A message made of two translatable texts; returns its key."""
    MESSAGES[key] = Message(key, subject=subject, body=body)
    return key


def renderer(key: str) -> Callable[[Renderer], Renderer]:
    """A message whose text a function computes (called in the recipient's language)."""

    def register(func: Renderer) -> Renderer:
        MESSAGES[key] = Message(key, renderer=func)
        return func

    return register


def get(key: str) -> Message:
    try:
        return MESSAGES[key]
    except KeyError:
        raise KeyError(f"no notification message {key!r}") from None
