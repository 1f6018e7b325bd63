"""Walk a profile's rules: every cited object gets a stable rule id from where it sits.

Rule ids are what the rest of Koshiki stores and shows (``content.rules.personal_info``,
``approvals.open_account``), so they come from the profile's structure, not from code.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from pydantic import BaseModel

from .schema import Cited, Profile

Path = tuple[str | int, ...]

_KEY_FIELDS = ("id", "category", "kind")


@dataclass(frozen=True)
class RuleRef:
    rule_id: str
    path: Path
    rule: Cited


def _item_key(item: BaseModel, index: int) -> str:
    for name in _KEY_FIELDS:
        value = getattr(item, name, None)
        if isinstance(value, str):
            return value
    return str(index + 1)


def _walk(model: BaseModel, path: Path, names: tuple[str, ...]) -> Iterator[RuleRef]:
    if isinstance(model, Cited):
        yield RuleRef(".".join(names), path, model)
    for field_name in type(model).model_fields:
        value = getattr(model, field_name)
        if isinstance(value, BaseModel):
            yield from _walk(value, (*path, field_name), (*names, field_name))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    key = _item_key(item, index)
                    yield from _walk(item, (*path, field_name, index), (*names, field_name, key))


def iter_rules(profile: Profile) -> Iterator[RuleRef]:
    """Every rule of the profile, cited or silent, in document order (roles included)."""
    for field_name in type(profile).model_fields:
        if field_name == "clauses":
            continue
        value = getattr(profile, field_name)
        if isinstance(value, BaseModel):
            yield from _walk(value, (field_name,), (field_name,))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    key = _item_key(item, index)
                    yield from _walk(item, (field_name, index), (field_name, key))


def rule_by_id(profile: Profile, rule_id: str) -> Cited:
    for ref in iter_rules(profile):
        if ref.rule_id == rule_id:
            return ref.rule
    raise KeyError(rule_id)
