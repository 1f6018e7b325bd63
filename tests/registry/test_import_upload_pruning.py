"""Uploaded 台帳 files are not kept for ever (issue #13, left over from item 7): a preview nobody confirmed
goes after a day (the file may hold staff e-mail addresses), an applied upload's row after 30 days (its
bytes were already emptied; the import's audit entries stay)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from koshiki.audit.models import AuditEntry
from koshiki.registry.io import StalePreview, apply_upload, preview_upload
from koshiki.registry.models import ImportUpload
from koshiki.registry.pruning import prune_import_uploads

CSV = (
    "所属コード,所属,サービス,アカウント名,ID,URL,目的,対象者,運用時間,返信の方針,状態\n"
    "kiki,危機管理課,X,いわき防災,iwaki_bosai,https://x.com/iwaki_bosai,防災情報,市民,,,運用中\n"
)


def _preview(body: Any) -> Any:
    return preview_upload(
        actor=body.kacho.user, organization=body.organization, data=CSV.encode(), filename="daicho.csv"
    )


def _apply(body: Any, plan: Any) -> Any:
    return apply_upload(
        actor=body.kacho.user,
        organization=body.organization,
        upload_id=plan.upload_id,
        digest=plan.digest,
        basis=plan.basis,
    )


def test_an_unconfirmed_preview_is_kept_for_a_day(iwaki: Any, clock: Any) -> None:
    _preview(iwaki)
    clock.shift(dt.timedelta(hours=23))
    assert prune_import_uploads(dt.datetime.now(dt.UTC)) == 0
    assert ImportUpload.objects.count() == 1


def test_an_unconfirmed_preview_goes_after_a_day_and_its_confirm_is_refused(iwaki: Any, clock: Any) -> None:
    plan = _preview(iwaki)
    clock.shift(dt.timedelta(hours=25))
    assert prune_import_uploads(dt.datetime.now(dt.UTC)) == 1
    assert not ImportUpload.objects.exists()
    with pytest.raises(StalePreview):
        _apply(iwaki, plan)


def test_an_applied_upload_row_goes_after_thirty_days_and_the_audit_stays(iwaki: Any, clock: Any) -> None:
    _apply(iwaki, _preview(iwaki))
    entries = AuditEntry.objects.count()
    clock.shift(dt.timedelta(days=29))
    assert prune_import_uploads(dt.datetime.now(dt.UTC)) == 0
    clock.shift(dt.timedelta(days=2))
    assert prune_import_uploads(dt.datetime.now(dt.UTC)) == 1
    assert not ImportUpload.objects.exists() and AuditEntry.objects.count() == entries


def test_the_sweep_is_registered_with_the_worker() -> None:
    from koshiki.core import jobs

    assert jobs.SWEEPS["registry.prune_import_uploads"] is prune_import_uploads
