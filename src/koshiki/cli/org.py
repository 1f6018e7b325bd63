"""``koshiki org create|list``: registering bodies is a system administrator's job."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from .manage import setup_django


def _create(args: argparse.Namespace) -> int:
    setup_django()
    from koshiki.core.errors import ServiceError
    from koshiki.core.request_id import set_request_id
    from koshiki.orgs.services import create_organization

    set_request_id("cli-org-create")
    try:
        organization = create_organization(
            actor=None,
            lgcode=args.lgcode,
            name=args.name,
            name_en=args.name_en or "",
            kind=args.kind,
            profile_id=args.profile,
            web_domains=args.domain or [],
        )
    except ServiceError as error:
        print(f"エラー / error: {error.message}", file=sys.stderr)
        return 1
    print(
        f"{organization.code}\t{organization.name}\t{organization.profile_id} {organization.profile_version}"
    )
    return 0


def _list(args: argparse.Namespace) -> int:
    setup_django()
    from koshiki.orgs.models import Organization

    for organization in Organization.objects.order_by("code"):
        domains = ",".join(organization.web_domains)
        print(
            f"{organization.code}\t{organization.name}\t"
            f"{organization.profile_id} {organization.profile_version}\t{domains}"
        )
    return 0


def register(commands: Any) -> None:
    parser = commands.add_parser("org", help="organizations (bodies)")
    sub = parser.add_subparsers(dest="action", required=True)
    create = sub.add_parser("create", help="register a body under its guideline profile")
    create.add_argument("--lgcode", required=True, help="全国地方公共団体コード (6 digits)")
    create.add_argument("--name", required=True)
    create.add_argument("--name-en")
    create.add_argument("--kind", choices=["executive", "council"], default="executive")
    create.add_argument("--profile", required=True, help="guideline profile id")
    create.add_argument("--domain", action="append", help="the body's own web domain (repeatable)")
    create.set_defaults(handler=_create)
    listing = sub.add_parser("list", help="list registered bodies")
    listing.set_defaults(handler=_list)
