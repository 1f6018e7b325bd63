"""`make bench` (registry part): import a 2,000-account 台帳 built from real municipalities, then time
the registry list page. Targets: import < 10 s, list page < 200 ms. Then the largest .xlsx and .csv the
import accepts, each imported in a process of its own (bench_import_limits.py): < 200 MB peak RSS, < 10 s.

Data: ../shared/data/code4fukui_localgovjp.csv (CC0): every municipality's name and official URL.
Runs on a throwaway SQLite database under a temporary folder.
"""

from __future__ import annotations

import csv
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "code4fukui_localgovjp.csv"
ACCOUNTS = 2000


def main() -> int:
    workdir = tempfile.mkdtemp(prefix="koshiki-bench-")
    os.environ["KOSHIKI_VAR_DIR"] = workdir
    os.environ.setdefault("KOSHIKI_ENV", "local")  # keys generated under workdir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koshiki.project.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
    from koshiki.orgs import services
    from koshiki.registry.io import import_rows, read_rows

    with DATA.open(encoding="utf-8-sig") as handle:
        towns = list(csv.DictReader(handle))
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("bench", "b@example.jp", "bench-password-123")
    org = services.create_organization(actor=admin, lgcode="070009", name="福島県", profile_id="iwaki")
    prefectures = sorted({t["pref"] for t in towns})
    departments = {}
    for number, pref in enumerate(prefectures):
        department = services.create_department(
            actor=admin, organization=org, code=f"d{number:02d}", name=f"{pref}担当"
        )
        manager = services.add_staff(
            actor=admin,
            organization=org,
            username=f"m{number:02d}",
            display_name=f"{pref}課長",
            password="bench-password-123",
            department=department,
            is_org_admin=number == 0,
        )
        services.assign_role(actor=admin, staff=manager, role_id="account_manager")
        departments[pref] = department
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["所属コード", "サービス", "アカウント名", "ID", "URL", "目的", "状態"])
    platforms = ["X", "Facebook", "Instagram", "LINE", "YouTube"]
    for i in range(ACCOUNTS):
        town = towns[i % len(towns)]
        platform = platforms[(i // len(towns)) % len(platforms)] if i >= len(towns) else "X"
        url = town["url"] if town["url"].startswith("https://") else f"https://x.com/acct{town['lgcode']}"
        writer.writerow(
            [
                departments[town["pref"]].code,
                platform,
                f"{town['city']}公式",
                f"acct{town['lgcode']}_{i}",
                url,
                f"{town['city']}の暮らしの情報",
                "運用中",
            ]
        )
    data = out.getvalue().encode("utf-8")

    started = time.perf_counter()
    rows = read_rows(io.BytesIO(data), "daicho.csv")
    report = import_rows(actor=admin, organization=org, rows=rows, source="bench")
    import_seconds = time.perf_counter() - started
    assert report.created == ACCOUNTS, report.errors[:3]

    client = Client()
    client.force_login(
        services.add_staff(
            actor=admin,
            organization=org,
            username="viewer",
            display_name="閲覧",
            password="bench-password-123",
        ).user
    )
    client.get("/accounts/")  # warm-up
    times = []
    for _ in range(20):
        t0 = time.perf_counter()
        response = client.get("/accounts/")
        times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200
    times.sort()
    print(
        f"registry: {ACCOUNTS:,} accounts from {len({t['city'] for t in towns}):,} municipalities "
        "(code4fukui, CC0)"
    )
    print(
        f"  import (.csv, all rows checked, one audit entry each): {import_seconds:.2f} s  (target < 10 s)"
        f" {'met' if import_seconds < 10 else 'NOT met'}"
    )
    print(
        f"  list page (100 per page): p50 {statistics.median(times):.0f} ms, max {times[-1]:.0f} ms"
        "  (target < 200 ms)"
        f" {'met' if times[-1] < 200 else 'NOT met'}"
    )
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import bench_import_limits

    for fmt, text in bench_import_limits.CASES:
        print(bench_import_limits.report(bench_import_limits.run(fmt, text)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
