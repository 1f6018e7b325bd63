"""Signed checkpoints of the audit chain: what a DBA who rehashes the chain cannot forge.

A checkpoint says "chain <chain> had entry <seq> with hash <hash> at <time>", signed with an
Ed25519 key kept outside the database. Verification then fails if the chain no longer extends
it: truncated (head before seq, or entry seq gone), rewritten or forked (hash at seq differs).

Document format 1 (JSON)::

    {"format": 1, "chain": "national", "seq": 42, "hash": "<sha256 hex>",
     "time": "2026-11-30T20:00:00+00:00", "public_key": "ed25519:<base64>", "signature": "<base64>"}

The signature covers every field except ``public_key`` and ``signature``, as canonical JSON after
the line ``koshiki-audit-checkpoint``. A later format may add fields (e.g. per-organization
``heads`` under a national checkpoint, issue #12); they are signed automatically, and a verifier
refuses a format it does not know rather than ignore what it cannot check.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import os
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .canonical import GENESIS, canonical_json
from .chain import ChainBroken, VerifyResult, verify_chain, verify_from
from .models import AuditEntry, ChainHead, Checkpoint

FORMAT = 1
NATIONAL = "national"
DOMAIN = b"koshiki-audit-checkpoint\n"
KEY_PREFIX = "ed25519:"
UNSIGNED = ("public_key", "signature")


class SigningKeyError(RuntimeError):
    """The signing key is missing, unreadable or readable by others."""


# --- the key ------------------------------------------------------------------------------------


def key_path() -> tuple[Path, bool]:
    """The key file and whether it was configured (production) rather than the local default."""
    configured = str(getattr(settings, "KOSHIKI_AUDIT_SIGNING_KEY_FILE", "") or "")
    if configured:
        return Path(configured), True
    if not getattr(settings, "LOCAL", True):
        # Production keeps the key where the operator chose (and backs it up), never silently under var/.
        raise SigningKeyError(
            "KOSHIKI_AUDIT_SIGNING_KEY_FILE is not set: make one with "
            "`koshiki audit signing-key FILE` (0600) and name it in the environment (docs/DEPLOYMENT.md)"
        )
    return Path(settings.VAR_DIR) / "audit_signing_key", False


def generate_key_file(path: Path) -> None:
    """Write a new private key readable by its owner only (0600 from the moment it exists)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
    path.chmod(0o600)


def private_key() -> Ed25519PrivateKey:
    path, configured = key_path()
    if not path.exists():
        if configured:
            raise SigningKeyError(f"KOSHIKI_AUDIT_SIGNING_KEY_FILE {path} does not exist")
        generate_key_file(path)
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        raise SigningKeyError(f"the audit signing key {path} is readable by others; chmod 600 it")
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError) as exc:
        raise SigningKeyError(f"the audit signing key {path} is not a PEM private key: {exc}") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError(f"the audit signing key {path} is not an Ed25519 key")
    return key


def public_key_text(key: Ed25519PrivateKey | None = None) -> str:
    raw = (
        (key or private_key())
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    return KEY_PREFIX + base64.b64encode(raw).decode("ascii")


def normalize_public_key(text: str) -> str:
    text = text.strip()
    return text if text.startswith(KEY_PREFIX) else KEY_PREFIX + text


def _public_key(text: str) -> Ed25519PublicKey:
    raw = base64.b64decode(normalize_public_key(text)[len(KEY_PREFIX) :], validate=True)
    return Ed25519PublicKey.from_public_bytes(raw)


# --- documents ----------------------------------------------------------------------------------


def _message(doc: Mapping[str, Any]) -> bytes:
    return DOMAIN + canonical_json({k: v for k, v in doc.items() if k not in UNSIGNED}).encode("utf-8")


def sign(fields: dict[str, Any], key: Ed25519PrivateKey) -> dict[str, Any]:
    doc = dict(fields)
    doc["public_key"] = public_key_text(key)
    doc["signature"] = base64.b64encode(key.sign(_message(fields))).decode("ascii")
    return doc


def signature_ok(doc: Mapping[str, Any]) -> bool:
    try:
        _public_key(str(doc["public_key"])).verify(
            base64.b64decode(str(doc["signature"]), validate=True), _message(doc)
        )
    except (InvalidSignature, ValueError, KeyError, binascii.Error):
        return False
    return True


def document(checkpoint: Checkpoint) -> dict[str, Any]:
    return {
        "format": checkpoint.format,
        "chain": checkpoint.chain,
        "seq": checkpoint.seq,
        "hash": checkpoint.entry_hash,
        "time": checkpoint.signed_at,
        "public_key": checkpoint.public_key,
        "signature": checkpoint.signature,
    }


# --- writing ------------------------------------------------------------------------------------


def latest(chain: str = NATIONAL) -> Checkpoint | None:
    return Checkpoint.objects.filter(chain=chain).order_by("-seq", "-id").first()


def _checked_since_last(key: Ed25519PrivateKey) -> VerifyResult:
    """Verify from the last checkpoint this key signed that still holds; from the start otherwise."""
    last = latest()
    if (
        last is not None
        and last.public_key == public_key_text(key)
        and signature_ok(document(last))
        and _extends(last.seq, last.entry_hash).ok
    ):
        return verify_from(last.seq, last.entry_hash)
    return verify_chain()


def make_checkpoint() -> Checkpoint:
    """Sign the current head and store the checkpoint; refuses to sign a chain that does not verify."""
    key = private_key()
    with transaction.atomic():
        head = ChainHead.objects.select_for_update(of=("self",), no_key=True).filter(id=1).first()
        result = _checked_since_last(key)
        if not result.ok:
            raise ChainBroken(f"not signing a broken chain: entry #{result.broken_seq}: {result.reason}")
        seq, last_hash = (head.seq, head.last_hash) if head is not None else (0, GENESIS)
        fields = {
            "format": FORMAT,
            "chain": NATIONAL,
            "seq": seq,
            "hash": last_hash,
            "time": timezone.now().astimezone(dt.UTC).isoformat(timespec="seconds"),
        }
        doc = sign(fields, key)
        return Checkpoint.objects.create(
            format=FORMAT,
            chain=NATIONAL,
            seq=seq,
            entry_hash=last_hash,
            signed_at=doc["time"],
            public_key=doc["public_key"],
            signature=doc["signature"],
        )


# --- checking -----------------------------------------------------------------------------------


def _fail(seq: int | None, reason: str) -> VerifyResult:
    return VerifyResult(False, 0, None, seq, reason)


def _extends(seq: int, expected: str) -> VerifyResult:
    """Does the chain as stored still contain entry ``seq`` with hash ``expected``?"""
    head = ChainHead.objects.filter(id=1).first()
    if head is None:
        if seq == 0 and expected == GENESIS and not AuditEntry.objects.exists():
            return VerifyResult(True, 0)
        return _fail(seq, "the chain head row is missing")
    if head.seq < seq:
        return _fail(seq, f"chain truncated: the head is at #{head.seq}, before the checkpoint's #{seq}")
    if seq == 0:
        return (
            VerifyResult(True, 0)
            if expected == GENESIS
            else _fail(0, "checkpoint #0 must hold the genesis hash")
        )
    entry = AuditEntry.objects.filter(seq=seq).first()
    if entry is None:
        return _fail(seq, f"chain truncated: entry #{seq} of the checkpoint is missing")
    if entry.entry_hash != expected:
        return _fail(seq, f"entry #{seq} differs from the checkpoint (rewritten or forked)")
    return VerifyResult(True, 0)


def check_document(doc: Mapping[str, Any], pinned_key: str | None = None) -> VerifyResult:
    """Is ``doc`` a valid checkpoint (signature, optional pinned key) that the chain still extends?"""
    try:
        fmt, chain, seq, expected = doc["format"], doc["chain"], int(doc["seq"]), str(doc["hash"])
        key_text = str(doc["public_key"])
    except (KeyError, TypeError, ValueError):
        return _fail(None, "not a Koshiki audit checkpoint (format, chain, seq, hash, public_key expected)")
    if fmt != FORMAT:
        return _fail(seq, f"unknown checkpoint format {fmt!r}; this verifier knows format {FORMAT}")
    if chain != NATIONAL:
        return _fail(seq, f"unknown chain {chain!r}; this verifier knows {NATIONAL!r}")
    if pinned_key is not None and normalize_public_key(key_text) != normalize_public_key(pinned_key):
        return _fail(seq, "the checkpoint is signed by a different key than the pinned one")
    if not signature_ok(doc):
        return _fail(seq, "the checkpoint's signature does not verify with its public key")
    return _extends(seq, expected)


def check_stored(pinned_key: str | None) -> tuple[VerifyResult, int]:
    """Check every stored checkpoint; returns the first failure (or ok) and how many were checked."""
    count = 0
    for checkpoint in Checkpoint.objects.order_by("seq", "id").iterator(chunk_size=500):
        result = check_document(document(checkpoint), pinned_key)
        if not result.ok:
            return result, count
        count += 1
    return VerifyResult(True, 0), count


def local_public_key() -> str | None:
    """This installation's public key, to pin stored checkpoints to; None where no key is available."""
    try:
        return public_key_text()
    except SigningKeyError:
        return None
