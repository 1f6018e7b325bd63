"""Issue #14 B: time `koshiki check feedback export` (personal data masked) on a throwaway SQLite database.

N posts by the 担当者 of a いわき市 account, each with a name, a phone, an e-mail and a short link, and one
piece of feedback from the account's 所属長 with a note holding a name and a phone. Prints the best of three
exports, per line, and the queries one export makes (constant in N).

    PYTHONPATH=src python benchmarks/bench_feedback_export.py [N]
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import time
from typing import Any

TEXT = (
    "避難所の受付は山田太郎さん（090-1234-5678、yamada.taro@gmail.com）が担当します。"
    "詳しくは bit.ly/abc123 へ。"
)
NOTE = "山田太郎さんに電話 090-2222-3333 で確認済み"
PASSWORD = "bench-password-123"


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    os.environ["KOSHIKI_VAR_DIR"] = tempfile.mkdtemp(prefix="koshiki-bench-feedback-")
    os.environ.setdefault("KOSHIKI_ENV", "local")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koshiki.project.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
    from koshiki.feedback.export import export_feedback
    from koshiki.feedback.services import record_feedback
    from koshiki.orgs import services as orgs
    from koshiki.posts import services as posts
    from koshiki.registry.io import import_rows
    from koshiki.registry.models import OfficialAccount

    admin = get_user_model().objects.create_superuser("bench", "b@example.jp", PASSWORD)
    org = orgs.create_organization(
        actor=admin, lgcode="072044", name="いわき市", profile_id="iwaki", web_domains=["city.iwaki.lg.jp"]
    )
    kiki = orgs.create_department(actor=admin, organization=org, code="kiki", name="危機管理課")

    def person(username: str, role: str, is_admin: bool = False) -> Any:
        staff = orgs.add_staff(
            actor=admin,
            organization=org,
            username=username,
            display_name=username,
            password=PASSWORD,
            department=kiki,
            email=f"{username}@example.lg.jp",
            is_org_admin=is_admin,
        )
        orgs.assign_role(actor=admin, staff=staff, role_id=role)
        return staff

    manager, operator = person("shozokucho", "account_manager"), person("tanto", "operator")
    kacho = person("kacho", "pr_division", is_admin=True)
    import_rows(
        actor=None,
        organization=org,
        source="bench",
        rows=[
            {
                "所属コード": "kiki",
                "サービス": "bluesky",
                "アカウント名": "危機管理課",
                "ID": "kiki-iwaki.test",
                "URL": "https://bsky.app/profile/kiki-iwaki.test",
                "目的": "防災情報の発信",
                "運用時間": "00:00-23:59",
                "状態": "運用中",
            }
        ],
    )
    account = OfficialAccount.objects.get(handle="kiki-iwaki.test")
    for _ in range(n):
        post = posts.create_post(actor=operator.user, account=account, text=TEXT)
        record_feedback(actor=manager.user, post=post, kind="missed", category="rumor", note=NOTE)
    user = kacho.user
    best = float("inf")
    for _ in range(3):
        out = io.StringIO()
        started = time.perf_counter()
        lines = export_feedback(actor=user, organization=org, out=out)
        best = min(best, time.perf_counter() - started)
    with CaptureQueriesContext(connection) as captured:
        export_feedback(actor=user, organization=org, out=io.StringIO())
    print(
        f"feedback export: {lines} lines in {best * 1000:.0f} ms ({best / lines * 1000:.2f} ms/line),"
        f" {len(captured.captured_queries)} queries, {len(out.getvalue().encode())} bytes"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
