"""Hostile uploads are refused before they cost memory or CPU: zip bombs, huge
sheets, many members, long fields.

The files are built here. Boundedness is checked without timing: the refusal names the limit that tripped
(so parsing never started, or stopped at the limit), nothing is imported, and tracemalloc's peak stays small.
"""

from __future__ import annotations

import io
import tracemalloc
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from koshiki.cli import main
from koshiki.core.errors import InvalidInput
from koshiki.registry.io import MAX_ROWS, import_rows, read_rows
from koshiki.registry.models import OfficialAccount

from ..conftest import signed_in_client

HEADER = [
    "所属コード",
    "所属",
    "サービス",
    "アカウント名",
    "ID",
    "URL",
    "目的",
    "対象者",
    "運用時間",
    "返信の方針",
    "状態",
]
SHEET = "xl/worksheets/sheet1.xml"
MiB = 1024 * 1024


def _template() -> dict[str, bytes]:
    book = Workbook()
    book.active.append(HEADER)
    out = io.BytesIO()
    book.save(out)
    with zipfile.ZipFile(out) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _xlsx(sheet_xml: Iterable[bytes], *, extra: int = 0, level: int = 9) -> bytes:
    """A workbook whose first sheet is ``sheet_xml`` (streamed into the zip), plus ``extra`` tiny members."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, data in _template().items():
            if name != SHEET:
                archive.writestr(name, data)
        with archive.open(SHEET, "w", force_zip64=True) as member:
            for chunk in sheet_xml:
                member.write(chunk)
        for number in range(extra):
            archive.writestr(f"customXml/item{number}.xml", b"<a/>")
    return out.getvalue()


def _sheet(rows: Iterable[bytes], dimension: str = "A1:K2") -> Iterable[bytes]:
    yield (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<dimension ref="' + dimension.encode() + b'"/><sheetData>'
    )
    cells = "".join(
        f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{h}</t></is></c>' for i, h in enumerate(HEADER)
    )
    yield f'<row r="1">{cells}</row>'.encode()
    yield from rows
    yield b"</sheetData></worksheet>"


def _refused(data: bytes, name: str = "bomb.xlsx") -> tuple[str, int]:
    """The refusal's message and tracemalloc's peak (bytes) while reading."""
    tracemalloc.start()
    try:
        with pytest.raises(InvalidInput) as caught:
            read_rows(io.BytesIO(data), name)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return caught.value.message, peak


def test_zip_bomb_is_refused_before_parsing(iwaki: Any) -> None:
    row = b'<row><c t="inlineStr"><is><t>' + b"A" * 200 + b"</t></is></c></row>"
    data = _xlsx(_sheet(row for _ in range(300_000)))  # ~70 MB of XML
    assert len(data) < 2 * MiB
    message, peak = _refused(data)
    assert "展開" in message and peak < 30 * MiB


def test_huge_declared_dimension_is_refused(iwaki: Any) -> None:
    data = _xlsx(_sheet([b'<row r="2"><c r="A2"><v>1</v></c></row>'], dimension="A1:XFD1048576"))
    message, peak = _refused(data)
    assert "1048576" in message or "列" in message
    assert peak < 30 * MiB


def test_rows_are_counted_as_read_and_reading_stops_at_the_limit(iwaki: Any) -> None:
    rows = (
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>kiki</t></is></c></row>'.encode()
        for n in range(2, 200_000)
    )  # no dimension worth trusting: it says two rows
    data = _xlsx(_sheet(rows))
    assert len(data) < 1 * MiB
    message, peak = _refused(data)
    assert f"{MAX_ROWS:,}" in message or str(MAX_ROWS) in message
    assert peak < 60 * MiB


def test_one_far_away_row_does_not_make_a_million_empty_rows(iwaki: Any) -> None:
    data = _xlsx(_sheet([b'<row r="1048576"><c r="A1048576"><v>1</v></c></row>']))
    message, _peak = _refused(data)
    assert str(MAX_ROWS + 1) in message or f"{MAX_ROWS + 1:,}" in message


def test_ten_thousand_members_are_refused(iwaki: Any) -> None:
    data = _xlsx(_sheet([]), extra=10_000)
    message, _peak = _refused(data)
    assert "ファイル" in message and "10,0" in message


def test_member_with_a_path_outside_the_archive_is_refused(iwaki: Any) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in _template().items():
            archive.writestr(name, content)
        archive.writestr("../../evil.xml", b"<a/>")
    message, _peak = _refused(out.getvalue())
    assert "evil.xml" in message


def test_xml_entities_are_refused(iwaki: Any) -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>'
    )
    message, _peak = _refused(_xlsx([bomb]))
    assert "Excel" in message


def test_openpyxl_parses_uploads_with_defusedxml() -> None:
    import openpyxl

    assert openpyxl.DEFUSEDXML is True  # requirements: defusedxml; OPENPYXL_DEFUSEDXML must not be "False"


def test_huge_shared_strings_table_is_refused(iwaki: Any) -> None:
    table = _template()
    table["xl/sharedStrings.xml"] = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + b"<si><t>x</t></si>" * 1_000_000
        + b"</sst>"
    )  # 17 MB: under the size cap
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in table.items():
            archive.writestr(name, content)
    message, peak = _refused(out.getvalue())
    assert "sharedStrings" in message and peak < 30 * MiB


def test_a_row_of_a_million_cells_is_refused_before_parsing(iwaki: Any) -> None:
    row = b'<row r="2">' + b"".join(b"<c><v>%d</v></c>" % n for n in range(1_000_000)) + b"</row>"
    message, peak = _refused(_xlsx(_sheet([row]), level=1))
    assert "セル" in message and peak < 30 * MiB


def _csv_with_field(size: int) -> bytes:
    return (",".join(HEADER) + "\n" + f'kiki,,X,"{"あ" * size}",,,目的,,,,\n').encode("utf-8")


def test_csv_field_over_128_kib_is_a_clear_refusal(iwaki: Any) -> None:
    message, _peak = _refused(_csv_with_field(200 * 1024), "long.csv")
    assert "2" in message and "長" in message


def test_csv_with_too_many_rows_stops_at_the_limit(iwaki: Any) -> None:
    data = (",".join(HEADER) + "\n" + "kiki,,X,名,,,目的,,,,\n" * (MAX_ROWS + 5)).encode()
    message, _peak = _refused(data, "many.csv")
    assert f"{MAX_ROWS:,}" in message or str(MAX_ROWS) in message


def test_csv_row_with_thousands_of_columns_is_refused(iwaki: Any) -> None:
    data = (",".join(HEADER) + "\n" + "kiki,,X,名,,,目的" + ",x" * 30_000 + "\n").encode()
    message, peak = _refused(data, "wide.csv")
    assert "2" in message and peak < 30 * MiB


def test_browser_import_of_a_long_csv_field_answers_400_in_japanese(iwaki: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = signed_in_client(iwaki.kacho.user)
    response = client.post(
        "/accounts/import/", {"file": SimpleUploadedFile("long.csv", _csv_with_field(200 * 1024))}
    )
    assert response.status_code == 400
    assert "長すぎ" in response.content.decode()
    assert OfficialAccount.objects.count() == 0


def test_cli_import_of_a_long_csv_field_exits_1_with_a_message(
    iwaki: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "long.csv"
    source.write_bytes(_csv_with_field(200 * 1024))
    assert main(["registry", "import", str(source), "--org", "072044"]) == 1
    assert "長すぎ" in capsys.readouterr().err
    assert OfficialAccount.objects.count() == 0


def _import(iwaki: Any, data: bytes, name: str) -> list[tuple[int, str]]:
    rows = read_rows(io.BytesIO(data), name)
    report = import_rows(actor=iwaki.kacho.user, organization=iwaki.organization, rows=rows, source=name)
    assert report.created == 0 and OfficialAccount.objects.count() == 0
    return report.errors


Build = Callable[[list[str]], bytes]


def _as_csv(row: list[str]) -> bytes:
    import csv

    out = io.StringIO()
    csv.writer(out).writerows([HEADER, row])
    return out.getvalue().encode()


def _as_xlsx(row: list[str]) -> bytes:
    book = Workbook()
    book.active.append(HEADER)
    book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(("build", "name"), [(_as_csv, "a.csv"), (_as_xlsx, "a.xlsx")])
def test_over_long_name_is_refused_with_row_and_column(iwaki: Any, build: Build, name: str) -> None:
    errors = _import(iwaki, build(["kiki", "", "X", "名" * 5000, "", "", "目的", "", "", "", ""]), name)
    assert (
        errors[0][0] == 2 and "4" in errors[0][1] and "アカウント名" in errors[0][1] and "100" in errors[0][1]
    )


@pytest.mark.parametrize("column", ["ID", "対象者", "運用時間", "目的", "返信の方針", "URL"])
def test_every_text_field_has_the_forms_limit(iwaki: Any, column: str) -> None:
    row = dict.fromkeys(HEADER, "") | {
        "所属コード": "kiki",
        "サービス": "X",
        "アカウント名": "名",
        "目的": "目的",
    }
    row[column] = ("https://x.com/" if column == "URL" else "") + "a" * 5000
    errors = _import(iwaki, _as_csv([row[h] for h in HEADER]), "b.csv")
    assert errors and column in errors[0][1] and str(HEADER.index(column) + 1) in errors[0][1]


def test_invalid_url_is_refused(iwaki: Any) -> None:
    row = ["kiki", "", "X", "名", "", "https://exa mple/", "目的", "", "", "", ""]
    errors = _import(iwaki, _as_csv(row), "c.csv")
    assert "URL" in errors[0][1]


def _renamed(table: dict[str, bytes], old: str, new: str, *, stored: bool = False) -> bytes:
    """The package with part ``old`` stored as ``new`` and every reference to it (rels, content types)
    updated."""
    short_old, short_new = old.removeprefix("xl/").encode(), new.removeprefix("xl/").encode()
    out = io.BytesIO()
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, content in table.items():
            if name.endswith((".rels", "[Content_Types].xml")):
                content = content.replace(b"/" + old.encode(), b"/" + new.encode())
                content = content.replace(short_old, short_new)
            archive.writestr(new if name == old else name, content)
    return out.getvalue()


def test_a_worksheet_renamed_to_bin_is_refused_before_parsing(iwaki: Any) -> None:
    table = _template()
    row = b'<row r="2">' + b"<c/>" * 600_000 + b"</row>"
    table[SHEET] = b"".join(_sheet([row]))
    data = _renamed(table, SHEET, "xl/worksheets/sheet1.bin", stored=True)
    message, peak = _refused(data)
    assert "sheet1.bin" in message and peak < 30 * MiB


def test_shared_strings_under_another_name_are_refused(iwaki: Any) -> None:
    table = _template()
    table["xl/sharedStrings.xml"] = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + b"".join(b"<si><t>%d</t></si>" % n for n in range(1_000_000))
        + b"</sst>"
    )  # compresses less than 100:1, so only the count can refuse it
    table["[Content_Types].xml"] = table["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    data = _renamed(table, "xl/sharedStrings.xml", "xl/strings.dat")
    message, peak = _refused(data)
    assert "strings.dat" in message and peak < 30 * MiB


def test_a_workbook_part_under_another_name_is_refused(iwaki: Any) -> None:
    table = _template()
    table["xl/_rels/wb.xml.rels"] = table.pop("xl/_rels/workbook.xml.rels")
    message, _peak = _refused(_renamed(table, "xl/workbook.xml", "xl/wb.xml"))
    assert "wb.xml" in message


def test_a_sheet_behind_a_relative_target_outside_worksheets_is_refused(iwaki: Any) -> None:
    table = _template()
    table["xl/_rels/workbook.xml.rels"] = table["xl/_rels/workbook.xml.rels"].replace(
        b'Target="/xl/worksheets/sheet1.xml"', b'Target="../other/sheet1.xml"'
    )
    table["other/sheet1.xml"] = table.pop(SHEET)
    message, _peak = _refused(_renamed(table, "xl/none", "xl/none"))
    assert "other/sheet1.xml" in message


def test_an_ordinary_workbook_with_relative_targets_still_reads(iwaki: Any) -> None:
    table = _template()
    table["xl/_rels/workbook.xml.rels"] = table["xl/_rels/workbook.xml.rels"].replace(
        b'Target="/xl/worksheets/sheet1.xml"', b'Target="worksheets/sheet1.xml"'
    )
    read_rows(io.BytesIO(_renamed(table, "xl/none", "xl/none")), "ok.xlsx")  # no InvalidInput
