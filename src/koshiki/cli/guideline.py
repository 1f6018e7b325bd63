"""``koshiki guideline validate|show|coverage|fields``: profiles, without Django."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from koshiki.guidelines import (
    ProfileError,
    UnknownProfile,
    build_coverage,
    check_quotes,
    cite,
    get_profile,
    iter_rules,
    load_profile,
)
from koshiki.guidelines.components import field_table, rule_fields
from koshiki.guidelines.coverage import CoverageReport

STATUS_LABELS = {
    "enforced": "実施中 enforced",
    "planned": "実装予定 planned",
    "human": "職員の判断 human judgment",
    "recorded": "記録のみ recorded",
    "informative": "規定のみ informative",
    "uncovered": "未対応 uncovered",
}


def _validate(args: argparse.Namespace) -> int:
    failed = False
    for name in args.paths:
        try:
            profile = load_profile(name)
        except ProfileError as exc:
            failed = True
            for issue in exc.issues:
                print(issue, file=sys.stderr)
            continue
        issues = []
        if args.source:
            issues = check_quotes(profile, Path(args.source).read_text(encoding="utf-8"), name)
        for issue in issues:
            print(issue, file=sys.stderr)
        failed = failed or bool(issues)
        if not issues:
            print(f"{name}: OK ({profile.id} {profile.version}, {len(profile.clauses)} clauses)")
    return 1 if failed else 0


def _load(profile_id: str) -> Any:
    try:
        return get_profile(profile_id)
    except (UnknownProfile, ProfileError) as exc:
        print(exc, file=sys.stderr)
        return None


def _show(args: argparse.Namespace) -> int:
    profile = _load(args.id)
    if profile is None:
        return 1
    if args.format == "json":
        print(profile.model_dump_json(indent=2))
        return 0
    print(f"{profile.body.name} — {profile.guideline.title} (profile {profile.id} {profile.version})")
    print("役割 roles: " + ", ".join(f"{r.name}={r.id}" for r in profile.roles))
    for ref in iter_rules(profile):
        rule = ref.rule
        where = cite(profile, rule, default="（定めなし・既定値 silent → default）")
        settings = _settings_of(rule)
        print(f"  {ref.rule_id:48} {where}{'  ' + settings if settings else ''}")
    return 0


_CITATION_FIELDS = {"clause", "quote", "silent", "note", "also"}


def _settings_of(rule: Any) -> str:
    """The rule's own values (days, severity, steps...) in one line, nested lists left out."""
    values = []
    for name, value in rule.model_dump(exclude=_CITATION_FIELDS, mode="json").items():
        is_chain = name == "steps" and isinstance(value, list) and all("role" in v for v in value)
        if isinstance(value, (dict, list)) and not is_chain:
            continue
        if is_chain:
            value = " → ".join(f"{step['role']}({step['mode']})" for step in value)
        if value not in (None, "", []):
            values.append(f"{name}={value}")
    return " ".join(values)


def _print_coverage(report: CoverageReport) -> None:
    for entry in report.clauses:
        print(f"{entry.citation}  [{STATUS_LABELS[entry.status]}]  {entry.heading[:60]}")
        for carrier in entry.carriers:
            if carrier.kind == "human":
                print(f"    - human: {carrier.guidance}")
            elif carrier.kind == "role":
                print(f"    - role: {carrier.ref} → assigned by people")
            elif carrier.kind == "recorded":
                print(f"    - recorded: {carrier.ref} → no component reads it")
            else:
                state = "" if carrier.available else " (planned)"
                print(f"    - {carrier.kind}: {carrier.ref} → {carrier.component}{state}")
    counts = report.counts()
    summary = ", ".join(f"{key} {value}" for key, value in counts.items())
    print(f"\n{report.body}: {len(report.clauses)} clauses — {summary}")


def _coverage(args: argparse.Namespace) -> int:
    profile = _load(args.id)
    if profile is None:
        return 1
    report = build_coverage(profile)
    if args.format == "json":
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        _print_coverage(report)
    return 0


def _fields(args: argparse.Namespace) -> int:
    """Which profile fields a built component acts on, which are planned, which are only recorded."""
    rows = []
    for path, found in field_table(rule_fields()):
        built = [c for c in found if c.available]
        if built:
            rows.append((path, "acted on", ", ".join(f"{c.id} ({c.label})" for c in built)))
        elif found:
            rows.append((path, "planned", ", ".join(f"{c.id} ({c.label})" for c in found)))
        else:
            rows.append((path, "recorded", "—"))
    if args.format == "md":
        print("| Field | Status | Read by |")
        print("|---|---|---|")
        for path, status, by in rows:
            print(f"| `{path}` | {status} | {by} |")
    else:
        for path, status, by in rows:
            print(f"{path:40} {status:9} {by}")
    return 0


def register(commands: Any) -> None:
    parser = commands.add_parser("guideline", help="guideline profiles")
    sub = parser.add_subparsers(dest="action", required=True)
    validate = sub.add_parser("validate", help="validate profile files")
    validate.add_argument("paths", nargs="+")
    validate.add_argument("--source", help="the guideline's text: check every quote against it")
    validate.set_defaults(handler=_validate)
    show = sub.add_parser("show", help="show a profile's rules")
    show.add_argument("id")
    show.add_argument("--format", choices=["text", "json"], default="text")
    show.set_defaults(handler=_show)
    coverage = sub.add_parser("coverage", help="every clause and what carries it out")
    coverage.add_argument("id")
    coverage.add_argument("--format", choices=["text", "json"], default="text")
    coverage.set_defaults(handler=_coverage)
    fields = sub.add_parser("fields", help="which profile fields Koshiki acts on and which it only records")
    fields.add_argument("--format", choices=["text", "md"], default="text")
    fields.set_defaults(handler=_fields)
