"""Accounts on a local AT Protocol network (``scripts/bsky-network.sh``) for tests and demos.

The dev network's PDS needs no invite code and accepts handles under ``.test``. A fresh account is
not usable at once: the AppView learns about it from the PDS's event stream a moment later, and
until then profile reads fail with "Profile not found" (and so does the SDK's default login,
which fetches the profile), so ``create_test_account`` waits for it.
"""

from __future__ import annotations

import secrets
import string
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from atproto import Client, Session, models

from .outbound import OutboundGuard, origin_of

T = TypeVar("T")

HANDLE_DOMAIN = ".test"  # serviceHandleDomains of @atproto/dev-env's PDS
MAX_PREFIX = 10  # leaves 8 random characters in the 18 the PDS allows


@dataclass(frozen=True)
class DevAccount:
    """A throwaway account: the main password (full access) and an app password (what Koshiki uses)."""

    handle: str
    did: str
    password: str = field(repr=False)
    app_password: str = field(repr=False)
    pds_url: str


def wait_until(
    predicate: Callable[[], T],
    timeout: float = 20.0,
    interval: float = 0.1,
    ignore: tuple[type[Exception], ...] = (),
) -> T:
    """Poll ``predicate`` until it returns something truthy, and return that.

    Exceptions of the ``ignore`` types count as "not yet". Raises ``TimeoutError`` (chained to the
    last ignored exception) after ``timeout`` seconds.
    """
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while True:
        try:
            result = predicate()
            if result:
                return result
        except ignore as exc:
            last_error = exc
        if time.monotonic() >= deadline:
            raise TimeoutError(f"condition not met within {timeout} s") from last_error
        time.sleep(interval)


def guard_for(pds_url: str) -> OutboundGuard:
    """The outbound guard for the local network: admits exactly the origin of its PDS (plain http on
    127.0.0.1), and otherwise what the production guard admits."""
    return OutboundGuard(allow=[origin_of(pds_url)])


def _random_label(length: int) -> str:
    return "".join(secrets.choice(string.ascii_lowercase + string.digits) for _ in range(length))


def logged_in_client(pds_url: str, session: Any) -> Any:
    """An SDK client on ``pds_url`` using an existing session (createSession/createAccount
    answer), without another password login."""
    client = Client(base_url=pds_url)
    exported = Session(
        access_jwt=session.access_jwt,
        refresh_jwt=session.refresh_jwt,
        did=session.did,
        handle=session.handle,
        pds_endpoint=pds_url,
    ).export()
    client.login(session_string=exported, fetch_bsky_profile=False)
    return client


def create_test_account(pds_url: str, handle_prefix: str = "koshiki", timeout: float = 20.0) -> DevAccount:
    """Create an account with a unique handle ``<prefix><random>.test`` (18 characters before
    ``.test``, the most the PDS allows), wait until the AppView serves its profile, and give it
    an app password."""
    prefix = "".join(c for c in handle_prefix.lower() if c.isascii() and c.isalnum())[:MAX_PREFIX]
    handle = f"{prefix}{_random_label(18 - len(prefix))}{HANDLE_DOMAIN}"
    password = secrets.token_urlsafe(18)
    anonymous = Client(base_url=pds_url)
    created = anonymous.com.atproto.server.create_account(
        models.ComAtprotoServerCreateAccount.Data(
            handle=handle, email=f"{handle}@example.com", password=password
        )
    )
    client = logged_in_client(pds_url, created)
    profile = models.AppBskyActorGetProfile.Params(actor=created.did)
    wait_until(lambda: client.app.bsky.actor.get_profile(profile), timeout=timeout, ignore=(Exception,))
    app_password = client.com.atproto.server.create_app_password(
        models.ComAtprotoServerCreateAppPassword.Data(name="koshiki")
    )
    client.request.close()
    anonymous.request.close()
    return DevAccount(
        handle=str(created.handle),
        did=str(created.did),
        password=password,
        app_password=str(app_password.password),
        pds_url=pds_url,
    )
