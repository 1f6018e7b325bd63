"""Errors that service functions raise. Views turn them into clear Japanese messages."""

from __future__ import annotations


class ServiceError(Exception):
    """A request that was refused; nothing was changed. ``message`` is shown to the user."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


class NotPermitted(ServiceError):
    """The actor may not do this (role, organization)."""


class InvalidInput(ServiceError):
    """The input breaks a rule; ``field`` names the form field when there is one."""


class InvalidTransition(ServiceError):
    """A lifecycle step that the current state does not allow, or a lost compare-and-set race."""
