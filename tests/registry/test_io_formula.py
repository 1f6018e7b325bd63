"""台帳 exports never carry a live formula (OWASP "CSV Injection"), and re-importing them adds no quotes."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from openpyxl import load_workbook

from koshiki.registry.io import export_csv, export_xlsx, import_rows, read_rows
from koshiki.registry.models import OfficialAccount

DANGEROUS = ['=HYPERLINK("https://evil.example/","x")', "+1+2", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]


def _account(iwaki: Any, name: str, **extra: str) -> OfficialAccount:
    fields = {"handle": "", "purpose": "目的", "audience": ""} | extra
    return OfficialAccount.objects.create(
        organization=iwaki.organization,
        department=iwaki.departments["kiki"],
        platform="x",
        account_name=name,
        state="active",
        **fields,
    )


@pytest.mark.parametrize("value", DANGEROUS)
def test_csv_export_cells_are_not_formulas(iwaki: Any, value: str) -> None:
    _account(iwaki, value, purpose=value)
    rows = list(
        csv.reader(io.StringIO(export_csv(OfficialAccount.objects.all()).decode("utf-8-sig"), newline=""))
    )
    data = dict(zip(rows[0], rows[1], strict=True))
    assert data["アカウント名"] == "'" + value and data["目的"] == "'" + value


def test_csv_export_quotes_every_field(iwaki: Any) -> None:
    _account(iwaki, "=1+1")
    line = export_csv(OfficialAccount.objects.all()).decode("utf-8-sig").splitlines()[1]
    assert line.startswith('"kiki","') and '"\'=1+1"' in line


@pytest.mark.parametrize("value", DANGEROUS)
def test_xlsx_export_cells_are_strings(iwaki: Any, value: str) -> None:
    _account(iwaki, value)
    sheet = load_workbook(io.BytesIO(export_xlsx(OfficialAccount.objects.all()))).worksheets[0]
    cell = sheet.cell(row=2, column=4)
    assert cell.data_type == "s" and cell.value == "'" + value.replace("\r", "\n")  # XML reads CR as LF


def test_plain_values_are_left_alone(iwaki: Any) -> None:
    _account(iwaki, "いわき市'公式", purpose="'引用'")
    sheet = load_workbook(io.BytesIO(export_xlsx(OfficialAccount.objects.all()))).worksheets[0]
    assert (sheet.cell(row=2, column=4).value, sheet.cell(row=2, column=7).value) == (
        "いわき市'公式",
        "'引用'",
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_round_trip_does_not_accumulate_quotes(iwaki: Any, fmt: str) -> None:
    _account(iwaki, "=計算", handle="a1", purpose="-防災", audience="'そのまま")
    data = (export_csv if fmt == "csv" else export_xlsx)(OfficialAccount.objects.all())
    OfficialAccount.objects.all().delete()
    rows = read_rows(io.BytesIO(data), f"daicho.{fmt}")
    rows[0]["台帳ID"] = ""  # the accounts are gone: taken in again as new ones
    assert (rows[0]["アカウント名"], rows[0]["目的"], rows[0]["対象者"]) == ("=計算", "-防災", "'そのまま")
    report = import_rows(actor=iwaki.kacho.user, organization=iwaki.organization, rows=rows, source="r")
    assert report.errors == []
    again = (export_csv if fmt == "csv" else export_xlsx)(OfficialAccount.objects.all())
    assert read_rows(io.BytesIO(again), f"daicho.{fmt}")[0]["アカウント名"] == "=計算"
