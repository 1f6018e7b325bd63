"""A new sign-in password must pass Django's validators (settings) and zxcvbn; messages are translated."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from koshiki.core.errors import InvalidInput
from koshiki.security.strength import score


def check_new_password(password: str, *, user: Any, related: list[str]) -> None:
    """Raise InvalidInput (on field ``new_password``) when the password is weak; nothing is kept."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages), field="new_password") from exc
    if not score(password, related=related).acceptable:
        raise InvalidInput(
            _(
                "This password is too easy to guess (repeated letters, common words, names). "
                "Use a longer passphrase of several unrelated words."
            ),
            field="new_password",
        )
