"""Platform error text made safe to store, log and show.

A platform's error message is text a remote server chose: it may echo a request header, a token,
a URL with credentials, the password we sent, or control characters that forge log lines or
terminal output. Everything that stores or shows a connector error (PublishAttempt.error,
Post.last_error, the audit entry, the UI, logs) passes it through ``clean_error`` first; the
connectors also scrub their own exceptions with the secret they hold (``scrub``).

What it promises: the known secrets given to it never come out, in any case, nor do things shaped
like credentials (Authorization/Bearer/Basic values, JWTs, ``password=…``/``token: …`` pairs,
Bluesky app passwords, user info in URLs, long opaque tokens); no control or format characters;
at most ``limit`` characters. It cannot recognise a secret that looks like ordinary words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import TypeVar

REDACTED = "[redacted]"
DEFAULT_LIMIT = 500
_MIN_SECRET = 4  # shorter "secrets" would redact ordinary words

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # scheme://user:pass@host → scheme://[redacted]@host
    (re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://)[^\s/@]*@"), r"\1" + REDACTED + "@"),
    # Authorization: Bearer xxx / Basic xxx / DPoP xxx (header or free text)
    (
        re.compile(r"(?i)\b(authorization|proxy-authorization)(\"?\s*[:=]\s*\"?)[^\r\n\"]*"),
        r"\1\2" + REDACTED,
    ),
    (re.compile(r"(?i)\b(bearer|basic|dpop)\s+[A-Za-z0-9._~+/=\-]+"), r"\1 " + REDACTED),
    # JSON Web Tokens (access/refresh JWTs of AT Protocol sessions)
    (re.compile(r"\beyJ[A-Za-z0-9_\-]*\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]*"), REDACTED),
    # key=value, key:value and "key": "value" pairs whose key names a secret (not "ExpiredToken: Token has…")
    (
        re.compile(
            r"(?i)\b([\w\-]*(?:password|passwd|pwd|secret|token|api[_\-]?key|apikey|jwt|session|cookie"
            r"|credential)"
            r"[\w\-]*)(\s*=\s*[\"']?|[\"']?\s*:\s*[\"']|[\"']?:)[^\s\"'&,;}]+"
        ),
        r"\1\2" + REDACTED,
    ),
    # Bluesky app passwords: xxxx-xxxx-xxxx-xxxx
    (re.compile(r"(?i)\b[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}\b"), REDACTED),
    # long opaque tokens (40+ characters of a token alphabet, with letters and digits)
    (
        re.compile(r"\b(?=[A-Za-z0-9_\-+/=.]*\d)(?=[A-Za-z0-9_\-+/=.]*[A-Za-z])[A-Za-z0-9_\-+/=]{40,}"),
        REDACTED,
    ),
)


def _without_controls(text: str) -> str:
    out = []
    for char in text:
        category = unicodedata.category(char)
        if category in ("Cc", "Cf", "Zl", "Zp", "Co", "Cs") or char in "\u2028\u2029":
            out.append(" ")
        else:
            out.append(char)
    return " ".join("".join(out).split())


def clean_error(text: object, secrets: Iterable[str] = (), limit: int = DEFAULT_LIMIT) -> str:
    """``text`` with secrets and credential-shaped substrings replaced, controls removed, length limited."""
    cleaned = _without_controls(str(text))
    for secret in sorted({s for s in secrets if s and len(s) >= _MIN_SECRET}, key=len, reverse=True):
        cleaned = re.sub(re.escape(secret), REDACTED, cleaned, flags=re.IGNORECASE)
        spaced = _without_controls(secret)
        if spaced != secret and len(spaced) >= _MIN_SECRET:
            cleaned = re.sub(re.escape(spaced), REDACTED, cleaned, flags=re.IGNORECASE)
    for pattern, replacement in _PATTERNS:
        cleaned = pattern.sub(replacement, cleaned)
    if len(cleaned) > limit:
        cleaned = cleaned[: max(limit - 1, 0)] + "…"
    return cleaned


E = TypeVar("E", bound=BaseException)


def scrub(exc: E, secrets: Iterable[str] = ()) -> E:
    """The same exception with its message cleaned (its class and attributes such as
    ``retry_after`` kept), so it can be raised on to code that stores or shows it."""
    exc.args = (clean_error(str(exc), secrets),)
    return exc
