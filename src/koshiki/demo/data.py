"""Demo bodies, departments and staff for the four seed guidelines (fictional people), read from bodies.yaml.

Each body has the personas the tests and the demo use: 広報主管課長 (organization
administrator), 所属長 (account manager of a department), 担当者 (operator), and the
body's own officers from its guideline (総合政策部長, 情報統括管理者, 議長 ...).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

DEMO_PASSWORD = "koshiki-demo-2026"
DATA = Path(__file__).with_name("bodies.yaml")


@dataclass(frozen=True)
class Person:
    username: str
    name: str
    title: str
    department: str | None
    roles: tuple[str, ...] = ()
    admin: bool = False
    language: str = "ja"


@dataclass(frozen=True)
class Body:
    lgcode: str
    kind: str
    name: str
    name_en: str
    profile_id: str
    domains: tuple[str, ...]
    public: tuple[str, ...]
    departments: tuple[tuple[str, ...], ...]  # (code, name) or (code, name, parent code); parents first
    people: tuple[Person, ...] = field(default_factory=tuple)


def _person(raw: dict[str, Any]) -> Person:
    return Person(
        raw["username"],
        raw["name"],
        raw["title"],
        raw["department"],
        tuple(raw.get("roles", ())),
        admin=bool(raw.get("admin", False)),
        language=raw.get("language", "ja"),
    )


def _body(raw: dict[str, Any]) -> Body:
    return Body(
        raw["lgcode"],
        raw["kind"],
        raw["name"],
        raw["name_en"],
        raw["profile_id"],
        tuple(raw["domains"]),
        tuple(raw["public"]),
        tuple(tuple(d) for d in raw["departments"]),
        tuple(_person(p) for p in raw.get("people", ())),
    )


def load_bodies(path: Path = DATA) -> tuple[Body, ...]:
    """The demo bodies from bodies.yaml: role ids are the profiles' words, so
    they stay in data, not in Python."""
    return tuple(_body(raw) for raw in yaml.safe_load(path.read_text(encoding="utf-8"))["bodies"])


BODIES: tuple[Body, ...] = load_bodies()
