"""RFC 6238 codes (30-second steps, 6 digits) with one step of clock drift either way."""

from __future__ import annotations

import hmac
import time

import pyotp

STEP_SECONDS = 30
DRIFT_STEPS = 1
ISSUER = "Koshiki"


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, account_label: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=account_label, issuer_name=ISSUER)


def code_at(secret: str, step: int) -> str:
    return pyotp.TOTP(secret).at(step * STEP_SECONDS)


def current_step(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // STEP_SECONDS)


def matching_step(secret: str, code: str, *, after_step: int, now: float | None = None) -> int | None:
    """The step whose code this is (within the drift window, and later than ``after_step``), or None."""
    code = "".join(ch for ch in code if ch.isdigit())
    if len(code) != 6:
        return None
    base = current_step(now)
    for step in range(base - DRIFT_STEPS, base + DRIFT_STEPS + 1):
        if step > after_step and hmac.compare_digest(code_at(secret, step), code):
            return step
    return None


def is_spent(secret: str, code: str, *, last_step: int, now: float | None = None) -> bool:
    """Whether this is a right code of a step already used (a second sign-in within one step): worth a
    different message than a wrong code, but still refused and counted like one."""
    code = "".join(ch for ch in code if ch.isdigit())
    if len(code) != 6:
        return False
    base = current_step(now)
    return any(
        step <= last_step and hmac.compare_digest(code_at(secret, step), code)
        for step in range(base - DRIFT_STEPS, base + DRIFT_STEPS + 1)
    )
