"""Reading the environment for settings.py: local or production mode, keys, hosts, HTTPS (issue #10 §5).

Production is what you get unless ``KOSHIKI_ENV=local`` says otherwise, so a forgotten variable on a
server fails loudly at start instead of running with a key generated next to the database.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

ENVIRONMENTS = ("local", "production")
UMASK = 0o077
GENERATE_HINT = (
    "Generate one with `koshiki keys generate --kind {kind}` and set it in the service's environment."
)
LOCAL_HINT = "For a laptop demo or the tests, set KOSHIKI_ENV=local instead (keys are then kept under var/)."
LOCAL_HOSTS = "127.0.0.1,localhost,testserver"


def restrict_umask() -> None:
    """Files and folders this process creates are for its own user only (0600 / 0700)."""
    os.umask(UMASK)


def environment() -> str:
    value = os.environ.get("KOSHIKI_ENV", "").strip().lower() or "production"
    if value not in ENVIRONMENTS:
        raise ImproperlyConfigured(f"KOSHIKI_ENV={value!r}: use 'production' (the default) or 'local'.")
    return value


def debug(local: bool) -> bool:
    on = os.environ.get("KOSHIKI_DEBUG", "0") == "1"
    if on and not local:
        raise ImproperlyConfigured(
            "KOSHIKI_DEBUG=1 shows internals to every visitor; it needs KOSHIKI_ENV=local."
        )
    return on


def _missing(name: str, kind: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(
        f"{name} is not set. Koshiki runs in production mode unless KOSHIKI_ENV=local. "
        f"{GENERATE_HINT.format(kind=kind)} {LOCAL_HINT}"
    )


def _local_key_file(var_dir: Path, name: str, make: str) -> str:
    """A per-checkout key under var/ for local runs, created 0600 (and tightened
    if an older run left it open)."""
    var_dir.mkdir(parents=True, exist_ok=True)
    path = var_dir / name
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        path.chmod(0o600)
    else:
        with os.fdopen(fd, "w") as handle:
            handle.write(make)
    return path.read_text().strip()


def secret_key(local: bool, var_dir: Path) -> str:
    configured = os.environ.get("KOSHIKI_SECRET_KEY", "").strip()
    if configured:
        return configured
    if not local:
        raise _missing("KOSHIKI_SECRET_KEY", "secret")
    import secrets

    return _local_key_file(var_dir, "secret_key", secrets.token_urlsafe(50))


def encryption_keys(local: bool, var_dir: Path) -> list[str]:
    """Fernet keys, comma-separated for rotation: the first seals, all open (core/crypto.py)."""
    from cryptography.fernet import Fernet

    configured = [
        key.strip() for key in os.environ.get("KOSHIKI_ENCRYPTION_KEY", "").split(",") if key.strip()
    ]
    if not configured:
        if not local:
            raise _missing("KOSHIKI_ENCRYPTION_KEY", "fernet")
        return [_local_key_file(var_dir, "encryption_key", Fernet.generate_key().decode("ascii"))]
    for number, key in enumerate(configured, start=1):
        try:
            Fernet(key.encode("ascii"))
        except (ValueError, UnicodeEncodeError) as exc:
            raise ImproperlyConfigured(
                f"KOSHIKI_ENCRYPTION_KEY: key {number} of {len(configured)} is not a Fernet key "
                f"(32 url-safe base64-encoded bytes). {GENERATE_HINT.format(kind='fernet')}"
            ) from exc
    return configured


def allowed_hosts(local: bool) -> list[str]:
    """Production answers only the host names it is told (an empty list answers nothing)."""
    raw = os.environ.get("KOSHIKI_ALLOWED_HOSTS", LOCAL_HOSTS if local else "")
    return [host.strip() for host in raw.split(",") if host.strip()]


def flag(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if value not in ("0", "1"):
        raise ImproperlyConfigured(f"{name}={value!r}: use 1 (on) or 0 (off).")
    return value == "1"


def integer(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    try:
        return int(value) if value else default
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={value!r}: a whole number is expected.") from exc
