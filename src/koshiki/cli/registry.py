"""``koshiki registry export|import``: the 台帳 as Excel or CSV."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .manage import setup_django
from .registry_urls import register as register_check_urls


def _org(code: str) -> Any:
    from koshiki.orgs.models import Organization

    organization = Organization.objects.filter(code=code).first()
    if organization is None:
        print(f"エラー / error: 団体コード {code} の団体は登録されていません", file=sys.stderr)
    return organization


def _export(args: argparse.Namespace) -> int:
    setup_django()
    from koshiki.registry.io import export_csv, export_xlsx
    from koshiki.registry.models import OfficialAccount

    organization = _org(args.org)
    if organization is None:
        return 1
    accounts = OfficialAccount.objects.filter(organization=organization).select_related("department")
    data = export_csv(accounts) if args.format == "csv" else export_xlsx(accounts)
    if args.output:
        Path(args.output).write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
    return 0


def _import(args: argparse.Namespace) -> int:
    setup_django()
    from koshiki.core.errors import ServiceError
    from koshiki.core.request_id import set_request_id
    from koshiki.registry.io import import_rows, read_rows
    from koshiki.registry.io_plan import plan_import

    organization = _org(args.org)
    if organization is None:
        return 1
    set_request_id("cli-registry-import")
    path = Path(args.file)
    try:
        with path.open("rb") as handle:
            rows = read_rows(handle, path.name)
        if args.dry_run:
            return _print_plan(plan_import(rows, organization), path.name)
        report = import_rows(actor=None, organization=organization, rows=rows, source=path.name)
    except (OSError, ServiceError) as exc:
        print(f"エラー / error: {getattr(exc, 'message', exc)}", file=sys.stderr)
        return 1
    for number, problem in report.errors:
        print(f"{path.name}:{number}: {problem}", file=sys.stderr)
    if report.errors:
        print(f"取り込みませんでした（{len(report.errors)} 行に誤り） / nothing imported", file=sys.stderr)
        return 1
    print(
        f"追加 {report.created} 件、更新 {report.updated} 件 / "
        f"{report.created} added, {report.updated} updated"
    )
    return 0


def _print_plan(plan: Any, name: str) -> int:
    """``--dry-run``: what the import would do, changing nothing (the CLI's preview)."""
    for number, problem in plan.errors:
        print(f"{name}:{number}: {problem}", file=sys.stderr)
    for number, note in plan.notes:
        print(f"{name}:{number}: 注記 / note: {note}")
    for diff in plan.updates:
        for change in diff.changes:
            print(
                f"{name}:{diff.number}: 更新 / update #{diff.account_id} {change.column}: "
                f"{change.before!r} → {change.after!r}"
            )
    for row in plan.new:
        print(f"{name}:{row.number}: 新規 / new {row.account_name}")
    print(
        f"確認のみ（変更していません） / dry run: {len(plan.new)} new, {len(plan.updates)} updated, "
        f"{plan.unchanged} unchanged, {len(plan.errors)} rows with errors"
    )
    return 1 if plan.errors else 0


def register(commands: Any) -> None:
    parser = commands.add_parser("registry", help="official account registry (台帳)")
    sub = parser.add_subparsers(dest="action", required=True)
    export = sub.add_parser("export", help="export as .xlsx or .csv")
    export.add_argument("--org", required=True)
    export.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
    export.add_argument("--output", "-o")
    export.set_defaults(handler=_export)
    importing = sub.add_parser(
        "import",
        help="import a .xlsx or .csv 台帳 (all rows or none; rows with a 台帳ID update that account)",
    )
    importing.add_argument("file")
    importing.add_argument("--org", required=True)
    importing.add_argument(
        "--dry-run",
        action="store_true",
        help="show the differences (updates by 台帳ID, new rows) and change nothing",
    )
    importing.set_defaults(handler=_import)
    register_check_urls(sub)
