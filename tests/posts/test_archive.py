"""Archiving a fiscal year's posts after the body's retention period (文書の保存期間), by persona."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from koshiki.audit.chain import verify_chain
from koshiki.audit.models import AuditEntry
from koshiki.core.errors import InvalidInput, NotPermitted, ServiceError
from koshiki.orgs import services as org_services
from koshiki.posts.lifecycle import PostState
from koshiki.posts.models import Post, PostImage
from koshiki.posts.services import archive
from koshiki.registry.io import import_rows
from koshiki.registry.models import OfficialAccount

from ..conftest import Body, signed_in_client

JST = dt.timezone(dt.timedelta(hours=9))
TODAY = dt.date(2026, 11, 30)  # FY2020 (kept 5 years) may be archived from 2026-04-01; FY2021 not yet


@pytest.fixture(autouse=True)
def _archive_dir(settings: Any, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path


@pytest.fixture
def account(iwaki: Body) -> OfficialAccount:
    import_rows(
        actor=None,
        organization=iwaki.organization,
        source="test",
        rows=[
            {
                "所属コード": "kiki",
                "サービス": "x",
                "アカウント名": "いわき市危機管理課",
                "ID": "iwaki_bousai",
                "URL": "https://x.com/iwaki_bousai",
                "目的": "防災情報の発信",
                "状態": "運用中",
            }
        ],
    )
    return OfficialAccount.objects.get(handle="iwaki_bousai")


def _post(body: Body, account: OfficialAccount, when: dt.datetime, state: str, text: str = "") -> Post:
    post = Post.objects.create(
        organization=body.organization,
        account=account,
        author=body.tanto,
        text=text or f"{when:%Y年%m月%d日}の防災訓練のお知らせです。",
        state=state,
    )
    Post.objects.filter(pk=post.pk).update(created_at=when)  # a post of an earlier year (auto_now_add)
    return post


def _archive(actor: Any, body: Body, year: int = 2020) -> archive.ArchiveResult:
    return archive.archive_fiscal_year(
        actor=actor, organization=body.organization, fiscal_year=year, today=TODAY
    )


def test_the_fiscal_year_runs_from_april_to_march_in_japan_time() -> None:
    assert archive.fiscal_year_of(dt.datetime(2021, 3, 31, 23, 59, tzinfo=JST)) == 2020
    assert archive.fiscal_year_of(dt.datetime(2021, 4, 1, 0, 0, tzinfo=JST)) == 2021
    assert archive.archivable_from(2020, 5) == dt.date(2026, 4, 1)


def test_a_year_inside_its_retention_period_is_refused_and_nothing_changes(
    iwaki: Body, account: OfficialAccount
) -> None:
    post = _post(iwaki, account, dt.datetime(2021, 6, 1, 10, tzinfo=JST), PostState.PUBLISHED)
    with pytest.raises(ServiceError, match="2027-04-01"):
        _archive(iwaki.kacho.user, iwaki, 2021)
    post.refresh_from_db()
    assert post.text and post.archived_at is None
    assert not AuditEntry.objects.filter(action="posts.archive.fiscal_year").exists()


def test_archiving_writes_a_verifiable_file_empties_the_texts_and_audits_it(
    iwaki: Body, account: OfficialAccount, tmp_path: Path
) -> None:
    first = _post(
        iwaki, account, dt.datetime(2020, 4, 1, 0, 0, tzinfo=JST), PostState.PUBLISHED, "四月一日の投稿"
    )
    last = _post(iwaki, account, dt.datetime(2021, 3, 31, 23, 59, tzinfo=JST), PostState.WITHDRAWN)
    PostImage.objects.create(post=first, data=b"\x89PNG", mime_type="image/png", alt="訓練の写真")
    next_year = _post(iwaki, account, dt.datetime(2021, 4, 1, 0, 0, tzinfo=JST), PostState.PUBLISHED)

    result = _archive(iwaki.kacho.user, iwaki)

    assert (result.count, result.file) == (2, "posts-FY2020-part1.jsonl")
    path = tmp_path / "archive" / iwaki.organization.code / result.file
    data = path.read_bytes()
    assert hashlib.sha256(data).hexdigest() == result.sha256
    assert path.with_name(result.file + ".sha256").read_text() == f"{result.sha256}  {result.file}\n"
    records = [json.loads(line) for line in data.decode().splitlines()]
    assert [r["id"] for r in records] == [first.pk, last.pk]
    assert records[0]["text"] == "四月一日の投稿" and records[0]["images"][0]["alt"] == "訓練の写真"
    for post in (first, last):
        post.refresh_from_db()
        assert post.text == "" and post.archived_at is not None and post.archive_file == result.file
    assert not PostImage.objects.filter(post=first).exists()
    next_year.refresh_from_db()
    assert next_year.text and next_year.archived_at is None
    entry = AuditEntry.objects.get(action="posts.archive.fiscal_year")
    assert entry.organization_id == iwaki.organization.pk
    assert entry.after["sha256"] == result.sha256 and entry.after["posts"] == 2
    assert verify_chain().ok


def test_open_posts_stay_and_the_summary_counts_them(iwaki: Body, account: OfficialAccount) -> None:
    _post(iwaki, account, dt.datetime(2020, 5, 1, 9, tzinfo=JST), PostState.PUBLISHED)
    draft = _post(iwaki, account, dt.datetime(2020, 5, 2, 9, tzinfo=JST), PostState.DRAFT)
    _archive(iwaki.kacho.user, iwaki)
    draft.refresh_from_db()
    assert draft.text and draft.archived_at is None
    (year,) = archive.summarize(iwaki.organization, today=TODAY)
    assert (year.fiscal_year, year.total, year.open, year.archived, year.to_archive) == (2020, 2, 1, 1, 0)


def test_a_second_archive_of_the_same_year_is_refused(iwaki: Body, account: OfficialAccount) -> None:
    """A double-click: the second request finds nothing left and writes no second entry or file."""
    _post(iwaki, account, dt.datetime(2020, 5, 1, 9, tzinfo=JST), PostState.PUBLISHED)
    _archive(iwaki.kacho.user, iwaki)
    with pytest.raises(ServiceError):
        _archive(iwaki.kacho.user, iwaki)
    assert AuditEntry.objects.filter(action="posts.archive.fiscal_year").count() == 1


def test_posts_finished_later_go_to_a_second_part(iwaki: Body, account: OfficialAccount) -> None:
    _post(iwaki, account, dt.datetime(2020, 5, 1, 9, tzinfo=JST), PostState.PUBLISHED)
    late = _post(iwaki, account, dt.datetime(2020, 6, 1, 9, tzinfo=JST), PostState.FAILED)
    _archive(iwaki.kacho.user, iwaki)
    Post.objects.filter(pk=late.pk).update(state=PostState.WITHDRAWN)
    assert _archive(iwaki.kacho.user, iwaki).file == "posts-FY2020-part2.jsonl"


def test_a_crash_before_commit_changes_no_post_and_the_next_run_reuses_the_part(
    iwaki: Body, account: OfficialAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    post = _post(iwaki, account, dt.datetime(2020, 5, 1, 9, tzinfo=JST), PostState.PUBLISHED)

    def crash(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("worker died")

    monkeypatch.setattr(archive, "log_action", crash)
    with pytest.raises(RuntimeError):
        _archive(iwaki.kacho.user, iwaki)
    post.refresh_from_db()
    assert post.text and post.archived_at is None
    monkeypatch.undo()
    assert _archive(iwaki.kacho.user, iwaki).file == "posts-FY2020-part1.jsonl"


@pytest.mark.parametrize("who", ["tanto", "outsider"])
def test_only_the_bodys_administrators_archive(
    iwaki: Body, account: OfficialAccount, outsider: Any, who: str
) -> None:
    actor = outsider.user if who == "outsider" else iwaki.tanto.user
    post = _post(iwaki, account, dt.datetime(2020, 5, 1, 9, tzinfo=JST), PostState.PUBLISHED)
    with pytest.raises(NotPermitted):
        _archive(actor, iwaki)
    post.refresh_from_db()
    assert post.archived_at is None


def test_the_retention_period_is_bounded_and_its_change_audited(iwaki: Body) -> None:
    with pytest.raises(InvalidInput):
        org_services.set_records_retention_years(
            actor=iwaki.kacho.user, organization=iwaki.organization, years=0
        )
    org_services.set_records_retention_years(
        actor=iwaki.kacho.user, organization=iwaki.organization, years=10
    )
    entry = AuditEntry.objects.get(action="orgs.organization.retention_changed")
    assert (entry.before, entry.after) == ({"records_retention_years": 5}, {"records_retention_years": 10})
    assert archive.archivable_from(2020, iwaki.organization.records_retention_years) == dt.date(2031, 4, 1)


# --- in the browser -------------------------------------------------------------------------------


def test_the_settings_page_archives_a_due_year_only_with_the_confirmation(
    iwaki: Body, account: OfficialAccount, clock: Any
) -> None:
    clock.move_to(dt.datetime(2026, 11, 30, 12, tzinfo=JST))
    post = _post(iwaki, account, dt.datetime(2020, 5, 1, 9, tzinfo=JST), PostState.PUBLISHED)
    client = signed_in_client(iwaki.kacho.user)
    page = client.get("/settings/").content.decode()
    assert 'data-year="2020"' in page and "/settings/archive/2020/" in page

    client.post("/settings/archive/2020/", {})  # no confirmation ticked
    post.refresh_from_db()
    assert post.archived_at is None

    client.post("/settings/archive/2020/", {"confirm": "yes"})
    post.refresh_from_db()
    assert post.archived_at is not None
    detail = client.get(f"/posts/{post.pk}/").content.decode()
    assert post.archive_file in detail
    download = client.get(f"/settings/archive/files/{post.archive_file}")
    assert download.status_code == 200
    assert b"\xe9\x98\xb2\xe7\x81\xbd" in b"".join(download.streaming_content)  # 防災


@pytest.mark.parametrize("name", ["..%2F..%2Fkoshiki.sqlite3", "posts-FY2020-part9.jsonl", "secret.key"])
def test_archive_files_are_served_only_when_a_post_of_the_body_points_to_them(
    iwaki: Body, account: OfficialAccount, name: str
) -> None:
    client = signed_in_client(iwaki.kacho.user)
    assert client.get(f"/settings/archive/files/{name}").status_code == 404


def test_another_bodys_administrator_cannot_download_the_archive(
    iwaki: Body, account: OfficialAccount, outsider: Any
) -> None:
    _post(iwaki, account, dt.datetime(2020, 5, 1, 9, tzinfo=JST), PostState.PUBLISHED)
    result = _archive(iwaki.kacho.user, iwaki)
    assert signed_in_client(outsider.user).get(f"/settings/archive/files/{result.file}").status_code == 404
    assert signed_in_client(iwaki.tanto.user).get(f"/settings/archive/files/{result.file}").status_code == 404
