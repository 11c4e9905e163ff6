"""Exports never turn client text into formulas; the CLI's validate and classify."""
from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from techseg_lib.cli import main

HOSTILE = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3"]
SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"


@pytest.fixture
def hostile_portfolio(tmp_path) -> Path:
    path = tmp_path / "hostile.csv"
    pd.DataFrame({"Name": HOSTILE + ["Plain"], "Cost": ["1", "2", "3", "4", "-5"]}).to_csv(
        path, index=False)
    return path


def test_xlsx_output_keeps_formulas_as_text(tmp_path, hostile_portfolio):
    out = tmp_path / "out.xlsx"
    assert main(["classify", str(hostile_portfolio), "-o", str(out)]) == 0
    sheet = openpyxl.load_workbook(out).active
    names = [sheet.cell(row=r, column=1) for r in range(2, 2 + len(HOSTILE))]
    assert [c.value for c in names] == HOSTILE  # the text itself is unchanged
    assert all(c.data_type == "s" for c in names)  # stored as strings, not formulas
    # and the raw XML holds no formula element at all
    import zipfile
    with zipfile.ZipFile(out) as z:
        assert "<f>" not in z.read("xl/worksheets/sheet1.xml").decode()


def test_csv_output_neutralises_formula_cells(tmp_path, hostile_portfolio):
    out = tmp_path / "out.csv"
    assert main(["classify", str(hostile_portfolio), "-o", str(out)]) == 0
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["Name"] for r in rows] == ["'" + h for h in HOSTILE] + ["Plain"]
    assert rows[-1]["Cost"] == "-5"  # a negative number is a number, left as it is


def test_parquet_output_round_trips(tmp_path, hostile_portfolio):
    out = tmp_path / "out.parquet"
    assert main(["classify", str(hostile_portfolio), "-o", str(out)]) == 0
    frame = pd.read_parquet(out)
    assert frame["Name"].tolist()[:4] == HOSTILE
    assert {"purpose", "confidence", "evidence", "purdue_level"} <= set(frame.columns)


def test_validate_usable_and_unusable(tmp_path, capsys):
    good = SAMPLES / "hotel_group" / "applications.xlsx"
    assert main(["validate", str(good)]) == 0
    assert "88 items" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name\n1,PLC\n1,\n2,HMI\n")
    assert main(["validate", str(bad)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].endswith("3 problem(s); not usable yet.")
    assert len(err) == 4 and all("bad.csv, row" in line for line in err[:3])


def test_classify_prints_summary_and_keeps_columns(tmp_path, capsys):
    source = SAMPLES / "precision_manufacturer" / "cmdb_ci.csv"
    out = tmp_path / "classified.csv"
    assert main(["classify", str(source), "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "needs review:" in printed and "shadow IT:" in printed
    result = pd.read_csv(out, dtype=str)
    original = pd.read_csv(source, dtype=str, encoding="utf-8-sig")
    assert list(result.columns[: len(original.columns)]) == list(original.columns)
    assert len(result) == len(original)


def test_classify_bad_input_is_one_line_and_exit_1(tmp_path, capsys):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    assert main(["classify", str(empty), "-o", str(tmp_path / "o.csv")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "empty.csv, row 1" in err
    assert not (tmp_path / "o.csv").exists()


def test_unknown_output_type(tmp_path, hostile_portfolio, capsys):
    assert main(["classify", str(hostile_portfolio), "-o", str(tmp_path / "o.json")]) == 1
    assert "o.json" in capsys.readouterr().err


def test_console_script_runs():
    done = subprocess.run([sys.executable, "-m", "techseg_lib.cli", "--version"],
                          capture_output=True, text=True, check=True)
    assert done.stdout.startswith("techseg ")
