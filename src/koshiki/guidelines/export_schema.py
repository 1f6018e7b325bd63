"""Write the profile JSON Schema (docs/profile.schema.json): ``python -m
koshiki.guidelines.export_schema``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .schema import Profile


def schema_text() -> str:
    return json.dumps(Profile.model_json_schema(), ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str]) -> int:
    target = Path(argv[0]) if argv else Path("docs/profile.schema.json")
    target.write_text(schema_text(), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
