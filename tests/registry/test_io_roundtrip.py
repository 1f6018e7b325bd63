"""The 台帳 round trip (issue #13 item 7): the app's own export re-imports; rows with a 台帳ID update that
account after a preview of the differences; the confirm applies exactly the previewed file, once, and
only if the accounts did not change meanwhile."""

from __future__ import annotations

import io
from typing import Any

import pytest

from koshiki.audit.models import AuditEntry
from koshiki.core.errors import NotPermitted
from koshiki.registry.io import (
    AlreadyApplied,
    StalePreview,
    apply_upload,
    export_csv,
    export_xlsx,
    import_rows,
    preview_upload,
    read_rows,
)
from koshiki.registry.models import OfficialAccount
from koshiki.registry.services import request_account

HEADER = "所属コード,所属,サービス,アカウント名,ID,URL,目的,対象者,運用時間,返信の方針,状態\n"


@pytest.fixture
def ledger(iwaki: Any) -> dict[str, OfficialAccount]:
    """One live account taken in from a 台帳 and one still 申請中."""
    rows = read_rows(
        io.BytesIO(
            (
                HEADER
                + "kiki,危機管理課,X,いわき防災,iwaki_bosai,https://x.com/iwaki_bosai,防災情報,市民,,,運用中\n"
            ).encode()
        ),
        "daicho.csv",
    )
    import_rows(actor=iwaki.kacho.user, organization=iwaki.organization, rows=rows, source="daicho.csv")
    requested = request_account(
        actor=iwaki.tanto.user,
        department=iwaki.departments["kiki"],
        platform="instagram",
        account_name="いわき写真",
        purpose="観光写真",
    )
    return {"live": OfficialAccount.objects.get(handle="iwaki_bosai"), "requested": requested}


def _csv(organization: Any) -> str:
    accounts = OfficialAccount.objects.filter(organization=organization).select_related("department")
    return export_csv(accounts).decode("utf-8-sig")


def _preview(body: Any, text: str, name: str = "daicho.csv", actor: Any = None) -> Any:
    return preview_upload(
        actor=(actor or body.kacho).user,
        organization=body.organization,
        data=text.encode("utf-8"),
        filename=name,
    )


def _apply(body: Any, plan: Any, actor: Any = None) -> Any:
    return apply_upload(
        actor=(actor or body.kacho).user,
        organization=body.organization,
        upload_id=plan.upload_id,
        digest=plan.digest,
        basis=plan.basis,
    )


def _row_of(text: str, word: str) -> int:
    """The row number (1 = header) of the line that holds ``word``."""
    return next(i for i, line in enumerate(text.splitlines(), start=1) if word in line)


def _snapshot() -> list[tuple[Any, ...]]:
    return list(OfficialAccount.objects.order_by("pk").values_list())


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_own_export_reimports_with_no_changes_and_apply_changes_nothing(
    iwaki: Any, ledger: dict[str, OfficialAccount], fmt: str
) -> None:
    accounts = OfficialAccount.objects.filter(organization=iwaki.organization).select_related("department")
    data = export_csv(accounts) if fmt == "csv" else export_xlsx(accounts)
    plan = preview_upload(
        actor=iwaki.kacho.user, organization=iwaki.organization, data=data, filename=f"daicho.{fmt}"
    )
    assert plan.errors == [] and plan.new == [] and plan.updates == []
    assert not plan.has_changes and plan.unchanged == 2
    before, entries = _snapshot(), AuditEntry.objects.count()
    report = _apply(iwaki, plan)
    assert (report.created, report.updated, report.errors) == (0, 0, [])
    assert _snapshot() == before and AuditEntry.objects.count() == entries


def test_edit_one_field_is_previewed_then_applied_with_an_audit_entry(
    iwaki: Any, ledger: dict[str, OfficialAccount]
) -> None:
    text = _csv(iwaki.organization).replace("防災情報", "防災・気象情報")
    plan = _preview(iwaki, text)
    assert plan.errors == [] and plan.new == []
    [diff] = plan.updates
    assert diff.account_id == ledger["live"].pk
    assert [(c.column, c.before, c.after) for c in diff.changes] == [("目的", "防災情報", "防災・気象情報")]
    assert OfficialAccount.objects.get(pk=ledger["live"].pk).purpose == "防災情報"  # preview changes nothing

    report = _apply(iwaki, plan)
    assert (report.created, report.updated) == (0, 1)
    assert OfficialAccount.objects.get(pk=ledger["live"].pk).purpose == "防災・気象情報"
    entry = AuditEntry.objects.get(action="registry.account.import_updated")
    assert entry.object_id == str(ledger["live"].pk) and entry.actor_id == iwaki.kacho.user.pk
    assert set(entry.before) == {"purpose"} and set(entry.after) == {"purpose", "source"}


def test_new_rows_are_listed_as_new_beside_the_updates(
    iwaki: Any, ledger: dict[str, OfficialAccount]
) -> None:
    text = _csv(iwaki.organization) + "kiki,,X,新しい,new_one,,目的,,,,運用中,\n"
    plan = _preview(iwaki, text)
    assert plan.errors == [] and [n.account_name for n in plan.new] == ["新しい"] and plan.updates == []
    assert _apply(iwaki, plan).created == 1
    assert OfficialAccount.objects.get(handle="new_one").state == "active"


def test_a_changed_state_is_ignored_with_a_note(iwaki: Any, ledger: dict[str, OfficialAccount]) -> None:
    text = _csv(iwaki.organization).replace('"申請中"', '"運用中"')
    plan = _preview(iwaki, text)
    assert plan.errors == [] and plan.updates == [] and not plan.has_changes
    [note] = plan.notes
    assert note[0] == _row_of(text, "いわき写真") and "状態" in note[1]
    _apply(iwaki, plan)
    assert OfficialAccount.objects.get(pk=ledger["requested"].pk).state == "requested"


def test_one_bad_row_changes_nothing_and_names_row_and_column(
    iwaki: Any, ledger: dict[str, OfficialAccount]
) -> None:
    text = _csv(iwaki.organization).replace("防災情報", "更新").replace("観光写真", "")
    plan = _preview(iwaki, text)
    assert plan.upload_id is None and [number for number, _ in plan.errors] == [_row_of(text, "いわき写真")]
    assert "目的" in plan.errors[0][1]
    assert OfficialAccount.objects.get(pk=ledger["live"].pk).purpose == "防災情報"


def test_another_bodys_account_id_is_refused(
    iwaki: Any, shinshiro: Any, ledger: dict[str, OfficialAccount]
) -> None:
    theirs = request_account(
        actor=shinshiro.tanto.user,
        department=shinshiro.departments["kiki"],
        platform="x",
        account_name="新城",
        purpose="広報",
    )
    text = HEADER.replace("状態", "状態,台帳ID") + f"kiki,,X,乗っ取り,,,目的,,,,,{theirs.pk}\n"
    plan = _preview(iwaki, text)
    assert plan.upload_id is None and plan.errors and plan.errors[0][0] == 2
    assert "台帳ID" in plan.errors[0][1]
    assert OfficialAccount.objects.get(pk=theirs.pk).account_name == "新城"


def test_an_id_that_does_not_exist_is_refused(iwaki: Any, ledger: dict[str, OfficialAccount]) -> None:
    text = HEADER.replace("状態", "状態,台帳ID") + "kiki,,X,幽霊,,,目的,,,,,999999\n"
    plan = _preview(iwaki, text)
    assert plan.upload_id is None and plan.errors[0][0] == 2 and "999999" in plan.errors[0][1]


def test_the_same_id_twice_is_refused(iwaki: Any, ledger: dict[str, OfficialAccount]) -> None:
    lines = _csv(iwaki.organization).splitlines(keepends=True)
    plan = _preview(iwaki, lines[0] + lines[1] + lines[1])
    assert [number for number, _ in plan.errors] == [3]


def test_confirming_twice_applies_once(iwaki: Any, ledger: dict[str, OfficialAccount]) -> None:
    plan = _preview(iwaki, _csv(iwaki.organization).replace("防災情報", "二度押し"))
    _apply(iwaki, plan)
    with pytest.raises(AlreadyApplied):
        _apply(iwaki, plan)
    assert AuditEntry.objects.filter(action="registry.account.import_updated").count() == 1


def test_a_stale_preview_is_refused(iwaki: Any, ledger: dict[str, OfficialAccount]) -> None:
    plan = _preview(iwaki, _csv(iwaki.organization).replace("防災情報", "古いプレビュー"))
    newer = _preview(iwaki, _csv(iwaki.organization).replace("市民", "市民と来訪者"))
    _apply(iwaki, newer)  # someone applied another change meanwhile
    with pytest.raises(StalePreview):
        _apply(iwaki, plan)
    account = OfficialAccount.objects.get(pk=ledger["live"].pk)
    assert (account.purpose, account.audience) == ("防災情報", "市民と来訪者")


def test_a_tampered_digest_is_refused(iwaki: Any, ledger: dict[str, OfficialAccount]) -> None:
    plan = _preview(iwaki, _csv(iwaki.organization).replace("防災情報", "改ざん"))
    plan.digest = "0" * 64
    with pytest.raises(StalePreview):
        _apply(iwaki, plan)
    assert OfficialAccount.objects.get(pk=ledger["live"].pk).purpose == "防災情報"


def test_an_outsider_can_neither_preview_nor_apply(
    iwaki: Any, outsider: Any, ledger: dict[str, OfficialAccount]
) -> None:
    with pytest.raises(NotPermitted):
        _preview(iwaki, _csv(iwaki.organization), actor=outsider)
    plan = _preview(iwaki, _csv(iwaki.organization).replace("防災情報", "外部"))
    with pytest.raises(NotPermitted):
        _apply(iwaki, plan, actor=outsider)
    assert OfficialAccount.objects.get(pk=ledger["live"].pk).purpose == "防災情報"


def test_the_service_and_department_of_an_existing_account_stay(
    iwaki: Any, ledger: dict[str, OfficialAccount]
) -> None:
    text = _csv(iwaki.organization).replace(
        '"kiki","危機管理課","X (Twitter)"', '"kouhou","広報広聴課","YouTube"'
    )
    plan = _preview(iwaki, text)
    assert [number for number, _ in plan.errors] == [_row_of(text, "いわき防災")]
    assert "所属コード" in plan.errors[0][1] and "サービス" in plan.errors[0][1]


def test_cli_dry_run_shows_the_update_and_the_import_applies_it(
    iwaki: Any, ledger: dict[str, OfficialAccount], tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from koshiki.cli import main

    out = tmp_path / "out.csv"
    assert main(["registry", "export", "--org", "072044", "--format", "csv", "-o", str(out)]) == 0
    out.write_text(out.read_text("utf-8-sig").replace("防災情報", "CLIで更新"), "utf-8")
    assert main(["registry", "import", str(out), "--org", "072044", "--dry-run"]) == 0
    assert "'防災情報' → 'CLIで更新'" in capsys.readouterr().out
    assert OfficialAccount.objects.get(pk=ledger["live"].pk).purpose == "防災情報"
    assert main(["registry", "import", str(out), "--org", "072044"]) == 0
    assert OfficialAccount.objects.get(pk=ledger["live"].pk).purpose == "CLIで更新"
    entry = AuditEntry.objects.get(action="registry.account.import_updated")
    assert entry.actor_id is None and entry.after["source"] == "out.csv"


def test_a_url_of_another_platform_is_refused_on_import(iwaki: Any) -> None:
    """The walkthrough's Instagram account with a twitter.com URL is stopped at the 台帳 too."""
    text = (
        HEADER
        + "kiki,危機管理課,Instagram,いわき写真,iwaki_photo,https://twitter.com/iwaki_photo,観光,,,,運用中\n"
    )
    plan = _preview(iwaki, text)
    assert [number for number, _ in plan.errors] == [2]
    assert "Instagram" in plan.errors[0][1]
    assert not OfficialAccount.objects.filter(handle="iwaki_photo").exists()


def test_a_public_accounts_url_is_not_changed_by_import(
    iwaki: Any, ledger: dict[str, OfficialAccount]
) -> None:
    """Once public, a new address is a 変更 with the profile's notice period, on the account's page."""
    text = _csv(iwaki.organization).replace("https://x.com/iwaki_bosai", "https://x.com/iwaki_bousai2")
    plan = _preview(iwaki, text)
    assert plan.updates == [] and len(plan.errors) == 1
    assert OfficialAccount.objects.get(pk=ledger["live"].pk).url == "https://x.com/iwaki_bosai"
