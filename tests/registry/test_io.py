"""The 台帳 as Excel/CSV: round trip, and all-or-nothing import with row-numbered errors."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from koshiki.audit.models import AuditEntry
from koshiki.cli import main
from koshiki.core.errors import NotPermitted
from koshiki.registry.io import export_csv, export_xlsx, import_rows, read_rows
from koshiki.registry.models import OfficialAccount

HEADER = "所属コード,所属,サービス,アカウント名,ID,URL,目的,対象者,運用時間,返信の方針,状態\n"


def _rows(text: str, name: str = "daicho.csv") -> list[dict[str, str]]:
    return read_rows(io.BytesIO(text.encode("utf-8")), name)


def test_csv_import_creates_live_accounts_with_their_manager(iwaki: Any) -> None:
    rows = _rows(
        HEADER
        + "kiki,危機管理課,X,いわき防災,iwaki_bosai,https://x.com/iwaki_bosai,防災情報,市民,平日,返信しません,運用中\n"
    )
    report = import_rows(
        actor=iwaki.kacho.user, organization=iwaki.organization, rows=rows, source="daicho.csv"
    )
    assert (report.created, report.errors) == (1, [])
    account = OfficialAccount.objects.get(handle="iwaki_bosai")
    assert (account.state, account.manager) == ("active", iwaki.shozokucho)
    assert AuditEntry.objects.filter(action="registry.account.imported", object_id=str(account.pk)).exists()


def test_one_bad_row_imports_nothing_and_names_every_bad_row(iwaki: Any) -> None:
    rows = _rows(
        HEADER
        + "kiki,危機管理課,X,よい行,good,https://x.com/good,目的,,,,運用中\n"
        + "nope,存在しない,X,悪い行,bad1,,目的,,,,運用中\n"
        + "kiki,危機管理課,Myspace,悪い行2,bad2,http://insecure,,,,,廃止\n"
    )
    report = import_rows(actor=iwaki.kacho.user, organization=iwaki.organization, rows=rows, source="x.csv")
    assert report.created == 0 and OfficialAccount.objects.count() == 0
    assert [number for number, _ in report.errors] == [3, 4]
    assert "nope" in report.errors[0][1]
    assert all(word in report.errors[1][1] for word in ("Myspace", "https://", "目的がありません"))


def test_duplicate_id_in_the_file_is_an_error(iwaki: Any) -> None:
    rows = _rows(HEADER + "kiki,,X,一,same,,目的,,,,\n" + "kiki,,X,二,same,,目的,,,,\n")
    report = import_rows(actor=iwaki.kacho.user, organization=iwaki.organization, rows=rows, source="x.csv")
    assert report.created == 0 and report.errors[0][0] == 3


def test_tanto_cannot_import(iwaki: Any) -> None:
    with pytest.raises(NotPermitted):
        import_rows(actor=iwaki.tanto.user, organization=iwaki.organization, rows=[], source="x.csv")


def test_xlsx_round_trip(iwaki: Any) -> None:
    rows = _rows(
        HEADER
        + "kiki,危機管理課,Instagram,いわき写真,iwaki_photo,https://instagram.com/iwaki_photo,観光,,,,運用中\n"
    )
    import_rows(actor=iwaki.kacho.user, organization=iwaki.organization, rows=rows, source="a.csv")
    data = export_xlsx(OfficialAccount.objects.all())
    back = read_rows(io.BytesIO(data), "daicho.xlsx")
    assert back[0]["アカウント名"] == "いわき写真" and back[0]["サービス"] == "Instagram"


def test_csv_export_opens_in_excel_with_a_bom(iwaki: Any) -> None:
    assert export_csv(OfficialAccount.objects.none()).startswith('\ufeff"所属コード"'.encode())


def test_shift_jis_csv_is_read(iwaki: Any) -> None:
    rows = read_rows(io.BytesIO((HEADER + "kiki,,X,シフトJIS,sjis,,目的,,,,\n").encode("cp932")), "sjis.csv")
    assert rows[0]["アカウント名"] == "シフトJIS"


def test_cli_import_and_export(iwaki: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "daicho.csv"
    source.write_text(HEADER + "kiki,,X,CLI取込,cli_x,,目的,,,,運用中\n", encoding="utf-8")
    assert main(["registry", "import", str(source), "--org", "072044"]) == 0
    out = tmp_path / "out.xlsx"
    assert main(["registry", "export", "--org", "072044", "--format", "xlsx", "-o", str(out)]) == 0
    assert read_rows(io.BytesIO(out.read_bytes()), "out.xlsx")[0]["ID"] == "cli_x"


def test_cli_import_reports_row_errors_and_exits_1(
    iwaki: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "bad.csv"
    source.write_text(HEADER + "zzz,,X,名前,,,目的,,,,\n", encoding="utf-8")
    assert main(["registry", "import", str(source), "--org", "072044"]) == 1
    assert "bad.csv:2:" in capsys.readouterr().err
    assert OfficialAccount.objects.count() == 0


def test_bulk_import_audits_every_account_in_one_unbroken_chain(iwaki: Any) -> None:
    from koshiki.audit.chain import verify_chain

    before = AuditEntry.objects.count()
    rows = _rows(HEADER + "".join(f"kiki,,X,名{i},h{i},,目的,,,,運用中\n" for i in range(30)))
    report = import_rows(
        actor=iwaki.kacho.user, organization=iwaki.organization, rows=rows, source="bulk.csv"
    )
    entries = list(AuditEntry.objects.filter(action="registry.account.imported").order_by("seq"))
    assert report.created == len(entries) == 30 and AuditEntry.objects.count() == before + 30
    assert [e.object_id for e in entries] == [str(a.pk) for a in OfficialAccount.objects.order_by("pk")]
    assert verify_chain().ok
    import_rows(
        actor=iwaki.kacho.user,
        organization=iwaki.organization,
        source="more.csv",
        rows=_rows(HEADER + "kiki,,X,後,after,,目的,,,,\n"),
    )
    assert verify_chain().ok


def test_own_export_imports_back_as_no_change_even_with_states_the_import_cannot_create(iwaki: Any) -> None:
    """Issue #13 item 7: 申請中 and the accounts' own IDs were refused on re-import."""
    from koshiki.registry.services import request_account

    import_rows(
        actor=iwaki.kacho.user,
        organization=iwaki.organization,
        rows=_rows(HEADER + "kiki,,X,既存,kizon,,目的,,,,運用中\n"),
        source="a.csv",
    )
    request_account(
        actor=iwaki.tanto.user,
        department=iwaki.departments["kiki"],
        platform="x",
        account_name="申請中の",
        purpose="目的",
    )
    exported = export_csv(OfficialAccount.objects.select_related("department"))
    report = import_rows(
        actor=iwaki.kacho.user,
        organization=iwaki.organization,
        rows=read_rows(io.BytesIO(exported), "export.csv"),
        source="export.csv",
    )
    assert (report.created, report.errors) == (0, [])
    assert report.updated == 0 and OfficialAccount.objects.count() == 2
