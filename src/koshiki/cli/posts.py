"""``koshiki posts years|archive``: a body's post records by fiscal year, archived after retention."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from .manage import setup_django


def _organization(code: str) -> Any:
    from koshiki.orgs.models import Organization

    organization = Organization.objects.filter(code=code).first()
    if organization is None:
        print(f"エラー / error: no organization with code {code}", file=sys.stderr)
    return organization


def _years(args: argparse.Namespace) -> int:
    setup_django()
    from koshiki.posts.services.archive import summarize

    organization = _organization(args.organization)
    if organization is None:
        return 1
    print("fiscal_year\tposts\topen\tarchived\tarchivable_from\tdue")
    for year in summarize(organization):
        print(
            f"{year.fiscal_year}\t{year.total}\t{year.open}\t{year.archived}\t"
            f"{year.archivable_from.isoformat()}\t{'yes' if year.due and year.to_archive else 'no'}"
        )
    return 0


def _archive(args: argparse.Namespace) -> int:
    setup_django()
    from koshiki.core.errors import ServiceError
    from koshiki.core.request_id import set_request_id
    from koshiki.posts.services.archive import archive_dir, archive_fiscal_year

    set_request_id("cli-posts-archive")
    organization = _organization(args.organization)
    if organization is None:
        return 1
    try:
        result = archive_fiscal_year(actor=None, organization=organization, fiscal_year=args.fiscal_year)
    except ServiceError as error:
        print(f"エラー / error: {error.message}", file=sys.stderr)
        return 1
    print(f"{result.count}\t{archive_dir(organization) / result.file}\tsha256:{result.sha256}")
    return 0


def register(commands: Any) -> None:
    parser = commands.add_parser("posts", help="post records by fiscal year (年度)")
    sub = parser.add_subparsers(dest="action", required=True)
    years = sub.add_parser("years", help="each fiscal year's posts and when they may be archived")
    years.add_argument("--organization", required=True, help="the body's code")
    years.set_defaults(handler=_years)
    archive = sub.add_parser("archive", help="archive a fiscal year's finished posts after retention")
    archive.add_argument("--organization", required=True, help="the body's code")
    archive.add_argument(
        "--fiscal-year", type=int, required=True, help="年度, e.g. 2020 for April 2020–March 2021"
    )
    archive.set_defaults(handler=_archive)
