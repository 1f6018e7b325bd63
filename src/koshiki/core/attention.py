"""Dashboard items ("attention"): what needs a staff member now, and what makes each item go away.

Domain apps declare item *kinds* (``kind(name, closes_when=..., role=...)``) and register *providers*
(``@provider``) in their AppConfig.ready; the web dashboard only calls ``items_for``. So no domain app
imports the web layer, and every kind states its closing condition (tests check each one clears).

Providers take a ``Viewer`` (user, staff, the moment) and yield Items; they must read through scoped
querysets only. The moment is passed in, so tests use a fake clock instead of sleeping.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

SEVERITIES = ("info", "warn", "danger")


@dataclass(frozen=True)
class Item:
    """One line on the dashboard. ``closes_when`` says what makes it disappear (shown as a hint)."""

    kind: str
    title: str
    detail: str
    link: str
    severity: str = "info"
    due: dt.date | None = None
    clause: str = ""
    role: str = ""
    closes_when: str = ""


@dataclass(frozen=True)
class Kind:
    """A kind of item: its name, who it is for (a profile role id or a
    description) and its closing condition."""

    name: str
    closes_when: Any  # a (lazy) translatable text
    role: str = ""

    def item(
        self,
        title: str,
        detail: str,
        link: str,
        *,
        severity: str = "info",
        due: dt.date | None = None,
        clause: str = "",
    ) -> Item:
        if severity not in SEVERITIES:
            raise ValueError(f"unknown severity {severity!r}")
        return Item(
            kind=self.name,
            title=str(title),
            detail=str(detail),
            link=link,
            severity=severity,
            due=due,
            clause=clause,
            role=self.role,
            closes_when=str(self.closes_when),
        )


@dataclass(frozen=True)
class Viewer:
    """Whose dashboard is being built, and when (the clock is an input)."""

    user: Any
    staff: Any
    now: dt.datetime = field(default_factory=timezone.now)
    memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def shared(self, key: str, build: Callable[[], Any]) -> Any:
        """What several providers read (the body's role holders, the accounts the viewer manages), built
        once per dashboard: a fixed number of queries whatever the body's size (issue #12)."""
        if key not in self.memo:
            self.memo[key] = build()
        return self.memo[key]

    @property
    def today(self) -> dt.date:
        return timezone.localdate(self.now)


Provider = Callable[[Viewer], Iterable[Item]]
KINDS: dict[str, Kind] = {}
PROVIDERS: dict[str, Provider] = {}


def kind(name: str, *, closes_when: Any, role: str = "") -> Kind:
    """Declare an item kind. A kind without a closing condition is refused:
    every item must be able to clear."""
    if not str(closes_when).strip():
        raise ValueError(f"item kind {name!r} needs a closing condition")
    spec = Kind(name, closes_when, role)
    KINDS[name] = spec
    return spec


def provider(func: Provider) -> Provider:
    """Register a provider (idempotent by qualified name, so a re-imported
    module does not list items twice)."""
    PROVIDERS[f"{func.__module__}.{func.__qualname__}"] = func
    return func


def items_for(user: Any, staff: Any, now: dt.datetime | None = None) -> list[Item]:
    """Everything that needs this staff member, soonest due first."""
    viewer = Viewer(user, staff, now or timezone.now())
    items = [item for func in PROVIDERS.values() for item in func(viewer)]
    return sorted(items, key=lambda a: (a.due or dt.date.max, a.title))
