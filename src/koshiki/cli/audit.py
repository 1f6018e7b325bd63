"""``koshiki audit verify|export``: the tamper-evident audit log."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Any

from .manage import setup_django


def _verify(args: argparse.Namespace) -> int:
    setup_django()
    from koshiki.audit.chain import verify_chain

    result = verify_chain()
    if result.ok:
        print(f"OK: {result.checked} entries, chain intact")
        return 0
    print(f"BROKEN at entry seq {result.broken_seq} (id {result.broken_id}): {result.reason}", file=sys.stderr)
    return 1


def _export(args: argparse.Namespace) -> int:
    setup_django()
    from koshiki.audit.export import export_entries

    since = dt.date.fromisoformat(args.since) if args.since else None
    export_entries(sys.stdout, since=since, fmt=args.format, organization_code=args.org)
    return 0


def register(commands: Any) -> None:
    parser = commands.add_parser("audit", help="audit log")
    sub = parser.add_subparsers(dest="action", required=True)
    verify = sub.add_parser("verify", help="check the hash chain")
    verify.set_defaults(handler=_verify)
    export = sub.add_parser("export", help="export entries")
    export.add_argument("--since", help="YYYY-MM-DD")
    export.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
    export.add_argument("--org", help="only this organization (団体コード)")
    export.set_defaults(handler=_export)
