"""Which parts of Koshiki act on which profile fields: the registry coverage is graded against.

A clause counts as enforced only when a running component reads a rule that cites it, so each
component declares the fields it reads (dotted schema paths, list items without their index,
e.g. ``posting.approval.steps`` or ``content.rules.severity``) and the workflow steps it carries
out (the refs a clause's ``handled_by`` may name). tests/guidelines/test_component_reads.py runs
each built component on a recording profile and fails when a declared field is not read, so a
declaration cannot claim more than the code does.

The declarations live beside the code, in Django-free ``profile_reads`` modules of each app
(listed in PROVIDERS); a new app adds its module there, or calls ``register`` at start-up.
Components not built yet are declared here with ``available=False``: their clauses are planned.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import get_args

from pydantic import BaseModel

from .rules import RuleRef
from .schema import Cited, Profile


@dataclass(frozen=True)
class Component:
    id: str
    label: str
    description: str
    reads: tuple[str, ...]
    workflows: tuple[str, ...] = ()
    available: bool = True


#: Modules that declare the built components (each has ``COMPONENTS``; no Django imports).
PROVIDERS: tuple[str, ...] = (
    "koshiki.checks.profile_reads",
    "koshiki.posts.profile_reads",
    "koshiki.registry.profile_reads",
    "koshiki.security.profile_reads",
)

#: Parts of Koshiki that are not built yet (issue #11 and later): their clauses are 'planned'.
PLANNED: tuple[Component, ...] = (
    Component(
        "koshiki.moderation",
        "返信の管理",
        "Replies and their moderation grounds.",
        reads=("moderation",),
        available=False,
    ),
    Component(
        "koshiki.incidents",
        "問題発生時の対応",
        "Incident playbooks and who to report to.",
        reads=("incidents",),
        available=False,
    ),
    Component(
        "koshiki.reminders",
        "見直しの通知",
        "Guideline reviews and revision notices.",
        reads=("reviews",),
        available=False,
    ),
)

_registered: list[Component] = []


def register(*components: Component) -> None:
    """Add components at start-up (an app outside PROVIDERS); an id registers once."""
    known = {c.id for c in all_components()}
    _registered.extend(c for c in components if c.id not in known)


def all_components() -> tuple[Component, ...]:
    found: list[Component] = []
    for name in PROVIDERS:
        found.extend(importlib.import_module(name).COMPONENTS)
    return (*found, *_registered, *PLANNED)


def schema_path(path: Iterable[str | int]) -> str:
    """A rule's place in the profile as a field path: list indices dropped."""
    return ".".join(part for part in path if isinstance(part, str))


def _covers(component: Component, read: str, rule_path: str) -> bool:
    """Reading the rule itself or any field inside it acts on the rule. A planned component may
    claim a whole section (``incidents``); a built one names the fields it reads, so that the
    test can prove each of them."""
    if read == rule_path or read.startswith(rule_path + "."):
        return True
    return not component.available and rule_path.startswith(read + ".")


def readers(ref: RuleRef, components: Iterable[Component] | None = None) -> list[Component]:
    """The components that read this rule (built ones first)."""
    return readers_of_field(schema_path(ref.path), components or all_components())


def workflow_owner(ref: str, components: Iterable[Component] | None = None) -> Component | None:
    """The component that carries out a ``handled_by`` workflow or reminder ref, if any."""
    return next((c for c in (components or all_components()) if ref in c.workflows), None)


def field_table(
    fields: Iterable[str], components: Iterable[Component] | None = None
) -> list[tuple[str, list[Component]]]:
    """Each field path with the components that read it, built ones first ([] = only recorded)."""
    every = list(components or all_components())
    return [(f, readers_of_field(f, every)) for f in fields]


def readers_of_field(path: str, components: Iterable[Component]) -> list[Component]:
    found = [c for c in components if any(_covers(c, r, path) for r in c.reads)]
    return sorted(found, key=lambda c: not c.available)


def _model_in(annotation: object) -> type[BaseModel] | None:
    """The model a field holds (directly or as list items), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def rule_fields(model: type[BaseModel] = Profile, prefix: str = "") -> list[str]:
    """Every place in the schema that holds a cited rule, as a field path (roles
    and the clause index left out)."""
    found: list[str] = []
    for name, info in model.model_fields.items():
        if not prefix and name in ("roles", "clauses"):
            continue
        inner = _model_in(info.annotation)
        if inner is None:
            continue
        path = f"{prefix}.{name}" if prefix else name
        if issubclass(inner, Cited):
            found.append(path)
        found.extend(rule_fields(inner, path))
    return found
