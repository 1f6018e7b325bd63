"""The largest 台帳 the import accepts, imported in a process of its own: peak memory and time.

`make bench` runs this through bench_registry.py (one subprocess per format, so ru_maxrss is the import's
peak and not the rest of the benchmark's). Targets: < 200 MB peak RSS, < 10 s.

The file is MAX_ROWS rows × every column, each text field at the form's limit (registry/fields.py), in
random Japanese so it compresses like real text. Where the file-level caps (10 MB upload; the .xlsx
unpacked-size caps of core/xlsx_guard.py) bind first, the free-text fields are shortened until the file
just fits: that is then the largest file allowed.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KANA = "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをん"
KANJI = "市民防災情報観光子育健康福祉教育文化交通環境広報課係所属公式運用方針目的対象返信時間平日休日緊急避難"


_RNG = random.Random(10)
_POOL = "".join(_RNG.choice(KANA + KANJI) for _ in range(1 << 20))


_SMALL_POOL = _POOL[:3000]  # "compressible": text that repeats, so every field fits at its limit


def _text(rng: random.Random, n: int) -> str:
    """n random characters (a slice of a random pool at a random place: fast, and compresses like text)."""
    pool = _SMALL_POOL if os.environ.get("KOSHIKI_BENCH_TEXT") == "compressible" else _POOL
    start = rng.randrange(len(pool) - n)
    return pool[start : start + n]


def _rows(rows: int, free_text: int, departments: list[str]) -> list[list[str]]:
    from koshiki.registry.fields import TEXT_LIMITS
    from koshiki.registry.io import COLUMNS

    rng = random.Random(10)
    limit = min(free_text, TEXT_LIMITS["purpose"])
    out: list[list[str]] = [COLUMNS]
    for i in range(rows):
        handle = f"h{i:06d}" + "x" * 93
        out.append(
            [
                departments[i % len(departments)],
                "所属名",
                "Instagram",
                _text(rng, 100),
                handle,
                "https://www.instagram.com/" + handle + "/" + "p" * (300 - 27 - len(handle)),
                _text(rng, limit),
                _text(rng, 200),
                _text(rng, 100),
                _text(rng, limit),
                "運用中",
            ]
        )
    return out


def _xlsx(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("台帳")
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def largest(fmt: str, departments: list[str]) -> tuple[bytes, int, int]:
    """The largest file of ``fmt`` that read_rows accepts: (data, rows, free-text length)."""
    from koshiki.core.errors import InvalidInput
    from koshiki.registry.fields import TEXT_LIMITS
    from koshiki.registry.reading import MAX_FILE_BYTES, MAX_ROWS, read_rows

    build = _xlsx if fmt == "xlsx" else _csv
    free_text = TEXT_LIMITS["purpose"]
    while True:
        data = build(_rows(MAX_ROWS, free_text, departments))
        try:
            read_rows(io.BytesIO(data), f"largest.{fmt}")
        except InvalidInput as refused:
            print(f"free text {free_text}: {refused.message}", file=sys.stderr)
            shrink = min(0.95, (MAX_FILE_BYTES / len(data)) ** 0.5) if len(data) > MAX_FILE_BYTES else 0.9
            free_text = int(free_text * shrink)
            continue
        return data, MAX_ROWS, free_text


def _setup() -> tuple[object, object, list[str]]:
    """Django on a throwaway SQLite database; a body with ten departments, each with its account manager."""
    workdir = tempfile.mkdtemp(prefix="koshiki-bench-import-")
    os.environ["KOSHIKI_VAR_DIR"] = workdir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koshiki.project.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
    from koshiki.orgs import services

    admin = get_user_model().objects.create_superuser("bench", "b@example.jp", "bench-password-123")
    org = services.create_organization(actor=admin, lgcode="070009", name="福島県", profile_id="iwaki")
    codes = []
    for number in range(10):
        department = services.create_department(
            actor=admin, organization=org, code=f"d{number:02d}", name=f"課{number}"
        )
        staff = services.add_staff(
            actor=admin,
            organization=org,
            username=f"m{number:02d}",
            display_name=f"課長{number}",
            password="bench-password-123",
            department=department,
        )
        services.assign_role(actor=admin, staff=staff, role_id="account_manager")
        codes.append(department.code)
    return admin, org, codes


def build(fmt: str, path: str) -> int:
    """Write the largest accepted file of ``fmt`` to ``path``; print its row count and free-text length."""
    _admin, _org, codes = _setup()
    data, rows, free_text = largest(fmt, codes)
    Path(path).write_bytes(data)
    print(json.dumps({"rows": rows, "free_text": free_text}))
    return 0


def measure(fmt: str, path: str) -> int:
    """Import ``path`` in this fresh process: time, and peak RSS (the process's own, so the import's)."""
    admin, org, _codes = _setup()
    from koshiki.registry.io import import_rows, read_rows

    usage = resource.getrusage(resource.RUSAGE_SELF)
    before, cpu_before = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    started = time.perf_counter()
    with open(path, "rb") as handle:
        table = read_rows(handle, f"largest.{fmt}")
    read = time.perf_counter() - started
    report = import_rows(actor=admin, organization=org, rows=table, source="bench")
    seconds = time.perf_counter() - started
    assert not report.errors, report.errors[:3]
    usage = resource.getrusage(resource.RUSAGE_SELF)
    peak, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime - cpu_before
    print(
        json.dumps(
            {
                "format": fmt,
                "cpu_seconds": cpu,
                "bytes": Path(path).stat().st_size,
                "created": report.created,
                "seconds": seconds,
                "read_seconds": read,
                "peak_mb": peak / 1024,
                "before_mb": before / 1024,
            }
        )
    )
    return 0


def run(fmt: str, text: str = "random") -> dict[str, object]:
    """Build the file in one interpreter, import it in another, and return the figures."""
    import subprocess

    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""),
        "KOSHIKI_BENCH_TEXT": text,
    }
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / f"largest.{fmt}")
        built = subprocess.run(
            [sys.executable, __file__, "build", fmt, path],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        done = subprocess.run(
            [sys.executable, __file__, "measure", fmt, path],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
    result: dict[str, object] = json.loads(built.stdout.strip().splitlines()[-1])
    result.update(json.loads(done.stdout.strip().splitlines()[-1]))
    result["text"] = text
    return result


CASES = [("xlsx", "random"), ("xlsx", "compressible"), ("csv", "random")]


def report(result: dict[str, object]) -> str:
    seconds, peak = float(str(result["seconds"])), float(str(result["peak_mb"]))
    ok = seconds < 10 and peak < 200
    return (
        f"  largest .{result['format']} allowed, {result['text']} text "
        f"({int(str(result['rows'])):,} rows × all columns, free text "
        f"{result['free_text']} chars, {int(str(result['bytes'])) / 1024 / 1024:.1f} MB): "
        f"import {seconds:.2f} s "
        f"({float(str(result['cpu_seconds'])):.2f} s CPU), "
        f"peak RSS {peak:.0f} MB "
        f"(of which Django before the import: {float(str(result['before_mb'])):.0f} MB)"
        f"  (target < 10 s, < 200 MB) {'met' if ok else 'NOT met'}"
    )


if __name__ == "__main__":
    if len(sys.argv) > 1:
        sys.exit((build if sys.argv[1] == "build" else measure)(sys.argv[2], sys.argv[3]))
    for fmt, text in CASES:
        print(report(run(fmt, text)))
