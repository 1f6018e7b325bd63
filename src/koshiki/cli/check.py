"""``koshiki check``: the pre-publication checker on a file, standard input, or JSON Lines."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from koshiki.checks import CheckContext, CheckInputError, check, worst_severity
from koshiki.checks.learned import LearnedModel, default_model
from koshiki.checks.report import render_text
from koshiki.guidelines import ProfileError, UnknownProfile, get_profile

EXIT = {None: 0, "info": 0, "warn": 1, "block": 2}


def _context(args: argparse.Namespace) -> CheckContext:
    public = []
    if args.public:
        public = [
            line.strip()
            for line in Path(args.public).read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
    if args.org:
        from .manage import setup_django

        setup_django()
        from koshiki.orgs.check_context import context_for_code

        return context_for_code(args.org, extra_domains=args.own_domain or [], extra_public=public)
    if not args.profile:
        raise SystemExit("--profile ID または --org CODE を指定してください / give --profile or --org")
    return CheckContext.from_profile(
        get_profile(args.profile), own_domains=args.own_domain or [], public=public
    )


def _learned(args: argparse.Namespace) -> LearnedModel | None:
    """The learned tier unless --rules-only (the live check's speed)."""
    return None if args.rules_only else default_model()


def _read_input(source: str) -> str:
    if source == "-":
        return sys.stdin.read()
    return Path(source).read_text(encoding="utf-8")


def _run_jsonl(args: argparse.Namespace, context: CheckContext) -> int:
    worst = 0
    for number, line in enumerate(_read_input(args.file).splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            findings = check(
                item["text"],
                context=context,
                platform=item.get("platform", args.platform),
                alt_texts=[a.get("alt") for a in item.get("attachments", [])],
                is_correction=bool(item.get("correction_of")),
                learned=_learned(args),
            )
        except (json.JSONDecodeError, KeyError, TypeError, CheckInputError) as exc:
            print(json.dumps({"line": number, "error": str(exc)}, ensure_ascii=False))
            worst = max(worst, 2)
            continue
        print(
            json.dumps(
                {
                    "id": item.get("id"),
                    "findings": [
                        {
                            "category": f.category,
                            "severity": f.severity,
                            "start": f.start,
                            "end": f.end,
                            "clauses": list(f.clauses),
                            "detector": f.detector,
                        }
                        for f in findings
                    ],
                },
                ensure_ascii=False,
            )
        )
        worst = max(worst, EXIT[worst_severity(findings)])
    return worst


def _feedback(args: argparse.Namespace) -> int:
    """`koshiki check feedback export [--org CODE] [--since YYYY-MM-DD] [--out FILE]` (issue #14 B): the
    approvers' feedback as corpus lines, personal data masked; audited (count only)."""
    if args.words != ["export"]:
        print(
            "使い方 / usage: koshiki check feedback export [--org CODE] [--since YYYY-MM-DD] [--out FILE]",
            file=sys.stderr,
        )
        return 2
    try:
        since = dt.date.fromisoformat(args.since) if args.since else None
    except ValueError:
        print(
            f"エラー / error: --since は YYYY-MM-DD で指定してください / not a date: {args.since}",
            file=sys.stderr,
        )
        return 2
    from .manage import setup_django

    setup_django()
    from koshiki.core.request_id import set_request_id
    from koshiki.feedback.export import export_feedback
    from koshiki.orgs.models import Organization

    set_request_id("cli-check-feedback-export")
    organizations = Organization.objects.order_by("code")
    if args.org:
        organizations = organizations.filter(code=args.org)
        if not organizations.exists():
            print(f"エラー / error: 団体コード {args.org} の団体は登録されていません", file=sys.stderr)
            return 1
    with contextlib.ExitStack() as stack:
        out = stack.enter_context(Path(args.out).open("w", encoding="utf-8")) if args.out else sys.stdout
        total = sum(
            export_feedback(actor=None, organization=organization, out=out, since=since)
            for organization in organizations
        )
    print(f"{total} lines", file=sys.stderr)
    return 0


def _run(args: argparse.Namespace) -> int:
    if args.file == "feedback":
        return _feedback(args)
    try:
        context = _context(args)
    except (UnknownProfile, ProfileError, LookupError) as exc:
        print(f"エラー / error: {exc}", file=sys.stderr)
        return 2
    if args.jsonl:
        return _run_jsonl(args, context)
    text = _read_input(args.file)
    try:
        findings = check(text, context=context, platform=args.platform, learned=_learned(args))
    except CheckInputError as exc:
        print(f"エラー / error: {exc}", file=sys.stderr)
        return 2
    if args.format == "json":
        print(json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=2))
    else:
        print(render_text(text, findings))
    return EXIT[worst_severity(findings)]


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "check", help="check a post against a guideline profile; `check feedback export`: approvers' feedback"
    )
    parser.add_argument("file", nargs="?", default="-", help="a file, or - for standard input")
    parser.add_argument("--profile", help="guideline profile id")
    parser.add_argument(
        "--rules-only", action="store_true", help="leave out the learned tier (as the live check does)"
    )
    parser.add_argument("--org", help="take profile, domains and public names from this organization (code)")
    parser.add_argument("--platform", default="x", choices=["x", "bluesky", "instagram", "facebook", "line"])
    parser.add_argument("--own-domain", action="append", help="the body's own web domain (repeatable)")
    parser.add_argument("--public", help="file of names and contacts that are fine to publish, one per line")
    parser.add_argument("--format", choices=["text", "json"], default="text")
    parser.add_argument(
        "--jsonl", action="store_true", help='read {"id","text","platform"} lines, write one line each'
    )
    # issue #14 B: `koshiki check feedback export`
    parser.add_argument("words", nargs="*", help=argparse.SUPPRESS)
    parser.add_argument(
        "--since", help="feedback export: only feedback given on or after this date (YYYY-MM-DD)"
    )
    parser.add_argument("--out", help="feedback export: write the JSON Lines here (default: standard output)")
    parser.set_defaults(handler=_run)
