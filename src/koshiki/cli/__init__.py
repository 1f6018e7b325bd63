"""The ``koshiki`` console command: one entry point for staff, operators and scripts."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import audit, check, guideline, keys, manage, org, posts, registry


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="koshiki", description="Koshiki (公式) command line")
    commands = parser.add_subparsers(dest="command", required=True)
    guideline.register(commands)
    check.register(commands)
    audit.register(commands)
    org.register(commands)
    registry.register(commands)
    posts.register(commands)
    keys.register(commands)
    manage.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args, rest = build_parser().parse_known_args(argv)
    if rest and args.command != "manage":
        build_parser().error(f"unrecognized arguments: {' '.join(rest)}")
    if args.command == "manage":
        args.rest = rest
    try:
        result: int = args.handler(args)
    except BrokenPipeError:  # `koshiki ... | head`: the reader has gone, which is fine
        sys.stderr.close()
        return 0
    return result


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
