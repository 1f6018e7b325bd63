"""A profile that writes down which fields are read: how component declarations are proven.

``RecordingProfile(profile)`` behaves like the profile (attribute reads, lists, ``cite``, even
``isinstance``) and adds to ``.read`` the dotted path of every schema field a caller touches,
list items without their index (``content.rules.severity``), the same form components declare.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from .schema import Profile


class _Recording:
    __slots__ = ("_target", "_path", "_log")

    def __init__(self, target: BaseModel, path: str, log: set[str]) -> None:
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_path", path)
        object.__setattr__(self, "_log", log)

    @property  # type: ignore[misc]
    def __class__(self) -> type:  # noqa: D105 - isinstance() sees the real model
        return type(object.__getattribute__(self, "_target"))

    def __getattr__(self, name: str) -> Any:
        target = object.__getattribute__(self, "_target")
        value = getattr(target, name)
        if name not in type(target).model_fields:
            return value  # methods such as cite(): not profile fields
        base = object.__getattribute__(self, "_path")
        path = f"{base}.{name}" if base else name
        log = object.__getattribute__(self, "_log")
        log.add(path)
        return _wrap(value, path, log)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("a recorded profile is read-only")

    def __repr__(self) -> str:
        return f"Recording({object.__getattribute__(self, '_target')!r})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, _Recording):
            other = object.__getattribute__(other, "_target")
        return bool(object.__getattribute__(self, "_target") == other)

    def __hash__(self) -> int:
        return hash(id(object.__getattribute__(self, "_target")))


def _wrap(value: Any, path: str, log: set[str]) -> Any:
    if isinstance(value, BaseModel):
        return _Recording(value, path, log)
    if isinstance(value, list):
        return [_wrap(item, path, log) for item in value]
    return value


class RecordingProfile(_Recording):
    """The profile, recording reads into ``read`` (a set of field paths)."""

    __slots__ = ()

    def __init__(self, profile: Profile) -> None:
        super().__init__(profile, "", set())

    @property
    def read(self) -> set[str]:
        return set(object.__getattribute__(self, "_log"))
