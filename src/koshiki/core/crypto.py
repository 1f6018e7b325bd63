"""Secrets at rest (TOTP seeds, per-organization HMAC keys, platform tokens), sealed with Fernet.

The key comes from the environment (``KOSHIKI_ENCRYPTION_KEY``, comma-separated for rotation: the
first key seals, all keys open), so a copy of the database alone reveals none of them.
"""

from __future__ import annotations

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class SealError(Exception):
    """A sealed value could not be opened: wrong key or a damaged value."""


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode("ascii")) for key in keys])


def _current() -> MultiFernet:
    return _fernet(tuple(settings.KOSHIKI_ENCRYPTION_KEYS))


def seal(value: bytes) -> str:
    return _current().encrypt(value).decode("ascii")


def unseal(token: str) -> bytes:
    try:
        return _current().decrypt(token.encode("ascii"))
    except InvalidToken as exc:
        raise SealError("sealed value cannot be opened with the configured keys") from exc


def seal_text(value: str) -> str:
    return seal(value.encode("utf-8"))


def unseal_text(token: str) -> str:
    return unseal(token).decode("utf-8")
