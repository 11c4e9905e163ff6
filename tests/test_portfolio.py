"""Loading portfolio exports: formats, synonyms, and every error path naming file, row, column."""
from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from techseg_lib import PortfolioError, canonical, load_portfolio
from techseg_lib.portfolio import parse_amounts, read_table, resolve_columns

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"


def problems_of(path, **kwargs):
    with pytest.raises(PortfolioError) as caught:
        load_portfolio(path, **kwargs)
    return caught.value.problems


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


# ----------------------------------------------------------------------------- formats

@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_csv_any_spreadsheet_delimiter(tmp_path, delimiter):
    path = write(tmp_path / "p.csv", delimiter.join(["Name", "Vendor", "Used by"]) + "\n"
                 + delimiter.join(["SAP S/4HANA", "SAP", "Employees"]) + "\n"
                 + delimiter.join(["Line 3 HMI", "Siemens", "Operators"]) + "\n")
    frame = load_portfolio(path)
    assert list(frame.columns) == ["Name", "Vendor", "Used by"]
    assert frame["Name"].tolist() == ["SAP S/4HANA", "Line 3 HMI"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_csv_encodings(tmp_path, encoding):
    path = write(tmp_path / "p.csv", "Name;Description\nZürich badge system;Café kiosk\n",
                 encoding)
    frame = load_portfolio(path)
    assert frame.columns[0] == "Name"  # no BOM left in the header
    assert frame.iloc[0].tolist() == ["Zürich badge system", "Café kiosk"]


def test_xlsx_finds_the_table_sheet_after_a_readme(tmp_path):
    path = tmp_path / "p.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Readme"
    book.active.append(["This export was produced by an EA tool."])
    sheet = book.create_sheet("Export")
    sheet.append(["ID", "Name", "Type"])
    sheet.append(["a1", "Guest app", "Application"])
    book.save(path)
    frame = load_portfolio(path)
    assert frame.attrs["sheet"] == "Export"
    assert frame["Name"].tolist() == ["Guest app"]


def test_parquet(tmp_path):
    path = tmp_path / "p.parquet"
    pd.DataFrame({"name": ["PLC"], "cost": [1200.5]}).to_parquet(path)
    frame = load_portfolio(path)
    assert frame["name"].tolist() == ["PLC"]
    assert canonical(frame)["cost"].tolist() == [1200.5]


def test_ids_keep_leading_zeros(tmp_path):
    path = write(tmp_path / "p.csv", "ID,Name\n00123,PLC\n0456,HMI\n")
    assert load_portfolio(path)["ID"].tolist() == ["00123", "0456"]


def test_input_file_is_never_modified(tmp_path):
    path = write(tmp_path / "p.csv", "Name,Vendor\nPLC,Siemens\n")
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    load_portfolio(path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


# ---------------------------------------------------------------------------- synonyms

def test_synonyms_of_real_exports():
    servicenow = resolve_columns(["sys_id", "name", "sys_class_name", "short_description",
                                  "manufacturer", "install_status", "used_for", "owned_by"])
    assert servicenow == {"id": "sys_id", "name": "name", "category": "sys_class_name",
                          "description": "short_description", "vendor": "manufacturer",
                          "lifecycle": "install_status", "owner": "owned_by"}
    leanix = resolve_columns(["ID", "Type", "Name", "Description", "Lifecycle",
                              "Total Annual Cost", "User Groups", "Hosting Type", "Tags"])
    assert leanix["category"] == "Type" and leanix["cost"] == "Total Annual Cost"
    assert leanix["users"] == "User Groups" and leanix["deployment"] == "Hosting Type"


def test_header_case_spaces_and_punctuation_fold():
    assert resolve_columns(["SHORT-DESCRIPTION", " Used  By "]) == {
        "description": "SHORT-DESCRIPTION", "users": " Used  By "}


@pytest.mark.parametrize("text, value", [
    ("12500", 12500.0), ("12.500", 12500.0), ("12,500.50", 12500.5), ("12.500,50", 12500.5),
    ("€ 1 200", 1200.0), ("1'200", 1200.0), ("0", 0.0), ("3,5", 3.5), ("abc", None)])
def test_amounts_as_spreadsheets_write_them(text, value):
    parsed = parse_amounts(pd.Series([text], dtype="str")).iloc[0]
    assert (pd.isna(parsed) if value is None else parsed == value)


@pytest.mark.parametrize("sample, rows", [
    ("advisory_firm/portfolio.csv", 116), ("precision_manufacturer/cmdb_ci.csv", 159),
    ("hotel_group/applications.xlsx", 88)])
def test_sample_organisations_load(sample, rows):
    frame = load_portfolio(SAMPLES / sample)
    assert len(frame) == rows
    assert 60 <= rows <= 200
    view = canonical(frame)
    assert {"id", "name", "description", "vendor", "category"} <= set(view.columns)


# ------------------------------------------------------------------------- error paths

def test_missing_file_is_named(tmp_path):
    (problem,) = problems_of(tmp_path / "nope.csv")
    assert "nope.csv" in str(problem) and "no such file" in str(problem)


@pytest.mark.parametrize("content", [b"", b" \r\n", b"\xef\xbb\xbf", b"\xff\xfe"],
                         ids=["nothing", "blank", "utf8-bom-only", "utf16-bom-only"])
def test_empty_file(tmp_path, content):
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    (problem,) = problems_of(path)
    assert problem.file.endswith("empty.csv") and problem.row == 1
    assert "empty" in problem.message and problem.fix


def test_header_without_items(tmp_path):
    (problem,) = problems_of(write(tmp_path / "head.csv", "Name,Vendor\n"))
    assert problem.row == 2 and "no items" in problem.message


def test_no_name_column_names_row_and_lists_columns(tmp_path):
    (problem,) = problems_of(write(tmp_path / "p.csv", "Vendor,Cost\nSAP,10\n"))
    text = str(problem)
    assert "p.csv, row 1" in text and "'Vendor'" in text and "'Name'" in text


def test_blank_name_names_the_row_and_column(tmp_path):
    (problem,) = problems_of(write(tmp_path / "p.csv", "Application,Vendor\nSAP,SAP\n,Oracle\n"))
    assert (problem.row, problem.column) == (3, "Application")
    assert "p.csv, row 3, column 'Application'" in str(problem)


def test_duplicate_ids_list_every_row(tmp_path):
    path = write(tmp_path / "p.csv", "sys_id,name\nA1,PLC\nB2,HMI\nA1,SCADA\n")
    problems = problems_of(path)
    assert [(p.row, p.column) for p in problems] == [(2, "sys_id"), (4, "sys_id")]
    assert all("duplicate id" in p.message and "'A1'" in p.message for p in problems)


def test_unknown_override_label(tmp_path):
    path = write(tmp_path / "p.csv", "Name,Purpose override\nPLC,ot\nKiosk,CX\nCRM,\n")
    (problem,) = problems_of(path)
    assert (problem.row, problem.column) == (3, "Purpose override")
    assert "'CX'" in problem.message and "IT, OT or CT" in problem.fix


def test_cost_that_is_not_an_amount(tmp_path):
    path = write(tmp_path / "p.csv", "Name,Annual cost (EUR)\nPLC,12.500\nHMI,twelve\n")
    (problem,) = problems_of(path)
    assert (problem.row, problem.column) == (3, "Annual cost (EUR)")


def test_every_problem_is_reported_at_once(tmp_path):
    path = write(tmp_path / "p.csv", "id,name,override\n1,,XX\n1,HMI,OT\n")
    problems = problems_of(path)
    assert {(p.row, p.column) for p in problems} == {(2, "name"), (2, "override"),
                                                       (2, "id"), (3, "id")}


def test_unreadable_encoding_names_row_and_column(tmp_path):
    # 0x81 is undefined in Windows-1252 and invalid in UTF-8
    path = tmp_path / "p.csv"
    path.write_bytes(b"Name,Vendor\nPLC,Siemens\nHMI,Sie\x81mens\n")
    (problem,) = problems_of(path)
    assert (problem.row, problem.column) == (3, "Vendor")
    assert "encoding" in problem.message and "UTF-8" in problem.fix


def test_binary_file(tmp_path):
    path = tmp_path / "p.csv"
    path.write_bytes(b"Name\x00\x01\x02")
    (problem,) = problems_of(path)
    assert problem.row == 1 and "NUL" in problem.message


def test_sheet_that_is_not_a_table(tmp_path):
    path = tmp_path / "notes.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Notes"
    book.active.append(["Meeting notes"])
    book.active.append(["we should list our systems"])
    book.save(path)
    (problem,) = problems_of(path)
    assert "notes.xlsx" in problem.file and problem.row == 1
    assert "'Notes'" in problem.message and "--sheet" in problem.fix


def test_named_sheet_that_does_not_exist(tmp_path):
    path = tmp_path / "p.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["Name"])
    book.save(path)
    (problem,) = problems_of(path, sheet="Export")
    assert "'Export'" in problem.message


def test_misaligned_row_names_the_line(tmp_path):
    path = write(tmp_path / "p.csv", "Name,Vendor\nPLC,Siemens\nHMI,\"Sie,mens\",x,y\n")
    (problem,) = problems_of(path)
    assert problem.row == 3


def test_unknown_extension(tmp_path):
    (problem,) = problems_of(write(tmp_path / "p.json", "{}"))
    assert ".json" in problem.message


def test_read_table_does_not_validate(tmp_path):
    frame = read_table(write(tmp_path / "p.csv", "Vendor\nSAP\n"))
    assert frame.columns.tolist() == ["Vendor"]
