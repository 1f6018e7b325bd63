"""Signed checkpoints of the audit chain: what a DBA who rehashes the chain cannot forge.

A checkpoint says "chain <chain> had entry <seq> with hash <hash> at <time>", signed with an
Ed25519 key kept outside the database. Verification then fails if the chain no longer extends
it: truncated (head before seq, or entry seq gone), rewritten or forked (hash at seq differs).

Document format 1 (JSON)::

    {"format": 1, "chain": "national", "seq": 42, "hash": "<sha256 hex>",
     "time": "2026-11-30T20:00:00+00:00", "public_key": "ed25519:<base64>", "signature": "<base64>"}

The signature covers every field except ``public_key`` and ``signature``, as canonical JSON after
the line ``koshiki-audit-checkpoint``. A later format may add fields; they are signed automatically,
and a verifier refuses a format it does not know rather than ignore what it cannot check.

Format 2 (issue #12, one chain per organization) signs a Merkle root over the sorted heads::

    {"format": 2, "chain": "national", "seq": <entries under all heads>, "hash": "<Merkle root>",
     "heads": <number of heads>, "time": ..., "public_key": ..., "signature": ...,
     "leaves": [["org-12", 340, "<hash>"], ...]}

``leaves`` is not signed: a verifier recomputes the root from it. A body's proof (``proof_for``) is the
signed document without the leaves, its own leaf and the sibling hashes up to the root, so one body's
chain is verified with its own entries and that proof only. Format 1 documents signed before #12
describe the closed ``legacy`` chain and keep verifying against it.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
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
from .chain import LEGACY, ChainBroken, VerifyResult, entry_at, verify_segment
from .models import AuditEntry, ChainHead, Checkpoint

FORMAT = 2
LEGACY_FORMAT = 1
NATIONAL = "national"
DOMAIN = b"koshiki-audit-checkpoint\n"
KEY_PREFIX = "ed25519:"
UNSIGNED = ("public_key", "signature", "leaves")


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


def document(checkpoint: Checkpoint, *, leaves: bool = True) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "format": checkpoint.format,
        "chain": checkpoint.chain,
        "seq": checkpoint.seq,
        "hash": checkpoint.entry_hash,
    }
    if checkpoint.format >= FORMAT:
        doc["heads"] = len(checkpoint.heads or [])
    doc.update(time=checkpoint.signed_at, public_key=checkpoint.public_key, signature=checkpoint.signature)
    if checkpoint.format >= FORMAT and leaves:
        doc["leaves"] = checkpoint.heads or []
    return doc


# --- the Merkle tree over the heads -------------------------------------------------------------

Leaf = tuple[str, int, str]


def _sha(data: str) -> str:
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def leaf_hash(leaf: Leaf | list[Any]) -> str:
    return _sha("\x00" + canonical_json([str(leaf[0]), int(leaf[1]), str(leaf[2])]))


def _node(left: str, right: str) -> str:
    return _sha("\x01" + left + right)


def merkle_root(leaves: list[Any]) -> str:
    level = [leaf_hash(leaf) for leaf in leaves]
    if not level:
        return _sha("")
    while len(level) > 1:
        level = [
            _node(*level[i : i + 2]) if i + 1 < len(level) else level[i] for i in range(0, len(level), 2)
        ]
    return level[0]


def merkle_path(leaves: list[Any], index: int) -> list[list[str]]:
    """Sibling hashes from the leaf up: [["L" or "R", hash], ...] (an odd last node has none)."""
    level = [leaf_hash(leaf) for leaf in leaves]
    path: list[list[str]] = []
    while len(level) > 1:
        sibling = index ^ 1
        if sibling < len(level):
            path.append(["L" if sibling < index else "R", level[sibling]])
        level = [
            _node(*level[i : i + 2]) if i + 1 < len(level) else level[i] for i in range(0, len(level), 2)
        ]
        index //= 2
    return path


def root_from_path(leaf: Leaf | list[Any], path: list[list[str]]) -> str:
    node = leaf_hash(leaf)
    for side, sibling in path:
        node = _node(sibling, node) if side == "L" else _node(node, sibling)
    return node


# --- writing ------------------------------------------------------------------------------------


def latest(chain: str = NATIONAL, fmt: int = FORMAT) -> Checkpoint | None:
    return Checkpoint.objects.filter(chain=chain, format=fmt).order_by("-seq", "-id").first()


def current_heads() -> list[Leaf]:
    """Every chain's head, sorted by chain: one SELECT, so one consistent snapshot on PostgreSQL and no
    lock that a writer would wait for."""
    return [
        (c, s, h) for c, s, h in ChainHead.objects.order_by("chain").values_list("chain", "seq", "last_hash")
    ]


def _verified_heads(key: Ed25519PrivateKey, heads: list[Leaf]) -> VerifyResult:
    """Each chain up to the snapshot's head, from where the last checkpoint this key signed left it.

    A chain that no longer extends that checkpoint (truncated, rewritten, forked) or a head it covered that
    is gone is a break: signing over it would bury the evidence under a newer checkpoint."""
    last = latest()
    start: dict[str, tuple[int, str]] = {}
    if last is not None and last.public_key == public_key_text(key) and signature_ok(document(last)):
        start = {str(c): (int(s), str(h)) for c, s, h in last.heads or []}
    current = {chain for chain, _, _ in heads}
    for chain in sorted(set(start) - current):
        return VerifyResult(False, 0, None, None, "the chain head row is missing", chain)
    checked = 0
    for chain, seq, last_hash in heads:
        after, prev = start.get(chain, (0, GENESIS))
        if after > seq:
            return VerifyResult(False, 0, None, None, "the head went back before the last checkpoint", chain)
        result = verify_segment(chain, after, prev, until=(seq, last_hash))
        if not result.ok:
            return result
        checked += result.checked
    return VerifyResult(True, checked)


def make_checkpoint() -> Checkpoint:
    """Sign the Merkle root over every chain's head; refuses to sign a chain that does not verify."""
    key = private_key()
    heads = current_heads()
    result = _verified_heads(key, heads)
    if not result.ok:
        raise ChainBroken(
            f"not signing a broken chain: {result.chain} entry #{result.broken_seq}: {result.reason}"
        )
    root = merkle_root(heads)
    total = sum(seq for _, seq, _ in heads)
    fields: dict[str, Any] = {
        "format": FORMAT,
        "chain": NATIONAL,
        "seq": total,
        "hash": root,
        "heads": len(heads),
        "time": timezone.now().astimezone(dt.UTC).isoformat(timespec="seconds"),
    }
    doc = sign(fields, key)
    with transaction.atomic():
        return Checkpoint.objects.create(
            format=FORMAT,
            chain=NATIONAL,
            seq=total,
            entry_hash=root,
            signed_at=doc["time"],
            public_key=doc["public_key"],
            signature=doc["signature"],
            heads=[list(head) for head in heads],
        )


def proof_for(checkpoint: Checkpoint, chain: str) -> dict[str, Any]:
    """What one body needs besides its own chain: the signed root, its leaf and the path to the root."""
    leaves = checkpoint.heads or []
    index = next((i for i, leaf in enumerate(leaves) if leaf[0] == chain), None)
    if index is None:
        raise KeyError(f"the checkpoint does not cover the chain {chain}")
    return {
        "checkpoint": document(checkpoint, leaves=False),
        "leaf": leaves[index],
        "path": merkle_path(leaves, index),
    }


# --- checking -----------------------------------------------------------------------------------


def _fail(seq: int | None, reason: str) -> VerifyResult:
    return VerifyResult(False, 0, None, seq, reason)


def extends(chain: str, seq: int, expected: str) -> VerifyResult:
    """Does chain ``chain`` as stored still contain position ``seq`` with hash ``expected``?"""
    head = ChainHead.objects.filter(chain=chain).first()
    if head is None:
        if seq == 0 and expected == GENESIS and not AuditEntry.objects.filter(chain=chain).exists():
            return VerifyResult(True, 0)
        return _fail(seq, f"the chain head row of {chain} is missing")
    if head.seq < seq:
        return _fail(
            seq, f"chain {chain} truncated: the head is at #{head.seq}, before the checkpoint's #{seq}"
        )
    if seq == 0:
        return (
            VerifyResult(True, 0)
            if expected == GENESIS
            else _fail(0, "position 0 must hold the genesis hash")
        )
    entry = entry_at(chain, seq)
    if entry is None:
        return _fail(seq, f"chain {chain} truncated: entry #{seq} of the checkpoint is missing")
    if entry.entry_hash != expected:
        return _fail(seq, f"{chain} entry #{seq} differs from the checkpoint (rewritten or forked)")
    return VerifyResult(True, 0)


def _signed(doc: Mapping[str, Any], pinned_key: str | None, seq: int | None) -> VerifyResult | None:
    if pinned_key is not None and normalize_public_key(str(doc["public_key"])) != normalize_public_key(
        pinned_key
    ):
        return _fail(seq, "the checkpoint is signed by a different key than the pinned one")
    if not signature_ok(doc):
        return _fail(seq, "the checkpoint's signature does not verify with its public key")
    return None


def check_document(
    doc: Mapping[str, Any], pinned_key: str | None = None, *, chains: bool = True
) -> VerifyResult:
    """Is ``doc`` a valid checkpoint (signature, optional pinned key) that the chains still extend?

    ``chains=False`` checks the signature and (format 2) the root over the leaves only."""
    try:
        fmt, chain, seq, expected = doc["format"], doc["chain"], int(doc["seq"]), str(doc["hash"])
        str(doc["public_key"])
    except (KeyError, TypeError, ValueError):
        return _fail(None, "not a Koshiki audit checkpoint (format, chain, seq, hash, public_key expected)")
    if fmt not in (LEGACY_FORMAT, FORMAT):
        return _fail(seq, f"unknown checkpoint format {fmt!r}; this verifier knows formats 1 and {FORMAT}")
    if chain != NATIONAL:
        return _fail(seq, f"unknown chain {chain!r}; this verifier knows {NATIONAL!r}")
    failed = _signed(doc, pinned_key, seq)
    if failed is not None:
        return failed
    if fmt == LEGACY_FORMAT:  # before #12: one national chain, now the closed legacy chain
        return extends(LEGACY, seq, expected) if chains else VerifyResult(True, 0)
    leaves = doc.get("leaves")
    if not isinstance(leaves, list) or merkle_root(leaves) != expected or len(leaves) != doc.get("heads"):
        return _fail(seq, "the checkpoint's leaves do not give its signed root")
    if chains:
        for leaf_chain, leaf_seq, leaf_hash_ in leaves:
            result = extends(str(leaf_chain), int(leaf_seq), str(leaf_hash_))
            if not result.ok:
                return result
    return VerifyResult(True, 0)


def check_proof(proof: Mapping[str, Any], pinned_key: str | None = None) -> VerifyResult:
    """One body's proof: the signed root, its leaf on the path to it, and its chain extending the leaf."""
    try:
        doc, leaf, path = proof["checkpoint"], list(proof["leaf"]), list(proof["path"])
        seq = int(doc["seq"])
    except (KeyError, TypeError, ValueError):
        return _fail(None, "not a Koshiki checkpoint proof (checkpoint, leaf, path expected)")
    if doc.get("format") != FORMAT:
        return _fail(seq, f"a proof needs a format {FORMAT} checkpoint")
    failed = _signed(doc, pinned_key, seq)
    if failed is not None:
        return failed
    if root_from_path(leaf, path) != doc.get("hash"):
        return _fail(seq, "the proof's leaf is not under the checkpoint's signed root")
    return extends(str(leaf[0]), int(leaf[1]), str(leaf[2]))


def check_stored(pinned_key: str | None) -> tuple[VerifyResult, int]:
    """Check every stored checkpoint: signature (pinned) and root, and that every chain still extends each
    distinct head they cover (one indexed read per head position, however many checkpoints repeat it)."""
    count = 0
    checked: set[tuple[str, int, str]] = set()
    for checkpoint in Checkpoint.objects.order_by("seq", "id").iterator(chunk_size=200):
        result = check_document(document(checkpoint), pinned_key, chains=checkpoint.format == LEGACY_FORMAT)
        if not result.ok:
            return result, count
        for chain, seq, head_hash in checkpoint.heads or []:
            leaf = (str(chain), int(seq), str(head_hash))
            if leaf in checked:
                continue
            outcome = extends(*leaf)
            if not outcome.ok:
                return outcome, count
            checked.add(leaf)
        count += 1
    return VerifyResult(True, 0), count


def local_public_key() -> str | None:
    """This installation's public key, to pin stored checkpoints to; None where no key is available."""
    try:
        return public_key_text()
    except SigningKeyError:
        return None
