"""``koshiki audit verify|checkpoint|shred|export``: the tamper-evident audit log."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from .manage import setup_django


def _broken(where: str, result: Any) -> int:
    at = f"entry seq {result.broken_seq}" if result.broken_seq is not None else "the checkpoint"
    ident = f" (id {result.broken_id})" if result.broken_id is not None else ""
    print(f"BROKEN {where}at {at}{ident}: {result.reason}", file=sys.stderr)
    return 1


def _verify_proof(path: str, pinned: str | None) -> int:
    """One body's chain against its proof from a signed checkpoint: no other body's entries are read."""
    from koshiki.audit import checkpoints
    from koshiki.audit.chain import verify_segment

    try:
        proof = json.loads(Path(path).read_text(encoding="utf-8"))
        chain = str(proof["leaf"][0])
    except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
        print(f"BROKEN: cannot read the proof {path}: {exc}", file=sys.stderr)
        return 1
    result = verify_segment(chain)
    if not result.ok:
        return _broken(f"in chain {chain} ", result)
    outcome = checkpoints.check_proof(proof, pinned)
    if not outcome.ok:
        return _broken(f"against the proof {path} ", outcome)
    print(f"OK: chain {chain}: {result.checked} entries intact; extends the signed checkpoint root")
    return 0


def _verify(args: argparse.Namespace) -> int:
    setup_django()
    from koshiki.audit import checkpoints
    from koshiki.audit.chain import verify_chain

    if args.proof:
        return _verify_proof(args.proof, args.public_key)
    result = verify_chain()
    if not result.ok:
        return _broken(f"in chain {result.chain} " if result.chain else "", result)
    notes = [f"OK: {result.checked} entries, every chain intact"]
    if args.checkpoint:
        try:
            doc = json.loads(Path(args.checkpoint).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            print(f"BROKEN: cannot read the checkpoint {args.checkpoint}: {exc}", file=sys.stderr)
            return 1
        if not isinstance(doc, dict):
            print(f"BROKEN: {args.checkpoint} is not a checkpoint document", file=sys.stderr)
            return 1
        outcome = checkpoints.check_document(doc, args.public_key)
        if not outcome.ok:
            return _broken(f"against the checkpoint {args.checkpoint} ", outcome)
        notes.append(f"extends the checkpoint #{doc['seq']} signed by {doc['public_key']}")
    pinned = args.public_key or checkpoints.local_public_key()
    stored, count = checkpoints.check_stored(pinned)
    if not stored.ok:
        return _broken("against a stored checkpoint ", stored)
    notes.append(f"{count} stored checkpoints verified" + ("" if pinned else " (no key to pin them to)"))
    print("; ".join(notes))
    return 0


def _checkpoint(args: argparse.Namespace) -> int:
    setup_django()
    from koshiki.audit import checkpoints
    from koshiki.audit.chain import ChainBroken

    try:
        made = checkpoints.make_checkpoint()
    except (ChainBroken, checkpoints.SigningKeyError) as exc:
        print(f"no checkpoint: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(checkpoints.document(made), ensure_ascii=False, indent=2))
    return 0


def _proof(args: argparse.Namespace) -> int:
    """A body's proof from the latest signed checkpoint (its leaf and the path to the signed root)."""
    setup_django()
    from koshiki.audit import checkpoints
    from koshiki.audit.chain import chain_key
    from koshiki.orgs.models import Organization

    organization = Organization.objects.filter(code=args.org).first()
    latest = checkpoints.latest()
    if organization is None or latest is None:
        print("unknown organization code or no format-2 checkpoint yet", file=sys.stderr)
        return 2
    try:
        proof = checkpoints.proof_for(latest, chain_key(organization.pk))
    except KeyError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    print(json.dumps(proof, ensure_ascii=False, indent=2))
    return 0


def _signing_key(args: argparse.Namespace) -> int:
    """Make a new Ed25519 signing key file (0600) for KOSHIKI_AUDIT_SIGNING_KEY_FILE; needs no database."""
    setup_django()
    from koshiki.audit.checkpoints import generate_key_file

    path = Path(args.file)
    if path.exists():
        print(f"{path} exists; refusing to overwrite a signing key", file=sys.stderr)
        return 2
    generate_key_file(path)
    print(f"wrote {path} (0600); set KOSHIKI_AUDIT_SIGNING_KEY_FILE={path.resolve()}")
    return 0


def _shred(args: argparse.Namespace) -> int:
    setup_django()
    from koshiki.audit.retention import ShredError, shred

    before = dt.date.fromisoformat(args.before) if args.before else None
    try:
        count = shred(actor=None, before=before, organization_code=args.org, dry_run=args.dry_run)
    except ShredError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    print(f"{'would delete' if args.dry_run else 'deleted'} {count} retained texts")
    return 0


def _export(args: argparse.Namespace) -> int:
    setup_django()
    from koshiki.audit.export import export_entries

    since = dt.date.fromisoformat(args.since) if args.since else None
    export_entries(sys.stdout, since=since, fmt=args.format, organization_code=args.org)
    return 0


def _catalog(args: argparse.Namespace) -> int:
    """Every declared audit action; `--format md` writes docs/AUDIT.md's text."""
    setup_django()
    from koshiki.audit import catalog

    (catalog.write_markdown if args.format == "md" else catalog.write_text)(sys.stdout)
    return 0


def register(commands: Any) -> None:
    parser = commands.add_parser("audit", help="audit log")
    sub = parser.add_subparsers(dest="action", required=True)
    verify = sub.add_parser(
        "verify", help="check the hash chain, the stored checkpoints and optionally a kept one"
    )
    verify.add_argument("--checkpoint", help="a checkpoint JSON file kept outside the database")
    verify.add_argument(
        "--public-key", help="pin the signing key (ed25519:BASE64, as printed with each checkpoint)"
    )
    verify.add_argument("--proof", help="verify one body's chain against its proof (koshiki audit proof)")
    verify.set_defaults(handler=_verify)
    proof = sub.add_parser("proof", help="print a body's proof from the latest checkpoint (JSON)")
    proof.add_argument("--org", required=True, help="the organization (団体コード)")
    proof.set_defaults(handler=_proof)
    checkpoint = sub.add_parser("checkpoint", help="sign the current head and print the checkpoint as JSON")
    checkpoint.set_defaults(handler=_checkpoint)
    signing_key = sub.add_parser("signing-key", help="write a new Ed25519 checkpoint signing key file (0600)")
    signing_key.add_argument("file")
    signing_key.set_defaults(handler=_signing_key)
    shred = sub.add_parser(
        "shred", help="delete retained texts (post texts, comments, reasons) past retention"
    )
    shred.add_argument("--before", help="YYYY-MM-DD (default: today minus KOSHIKI_AUDIT_TEXT_RETENTION_DAYS)")
    shred.add_argument("--org", help="only this organization (団体コード)")
    shred.add_argument("--dry-run", action="store_true", help="count only")
    shred.set_defaults(handler=_shred)
    export = sub.add_parser("export", help="export entries")
    export.add_argument("--since", help="YYYY-MM-DD")
    export.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
    export.add_argument("--org", help="only this organization (団体コード)")
    export.set_defaults(handler=_export)
    listing = sub.add_parser("catalog", help="the declared audit actions with their labels (docs/AUDIT.md)")
    listing.add_argument("--format", choices=["text", "md"], default="text")
    listing.set_defaults(handler=_catalog)
