"""Read technology-portfolio exports and map them onto one schema.

A portfolio is whatever the client keeps: a spreadsheet, a CMDB export (ServiceNow ``cmdb_ci``
with ``name``, ``sys_class_name``, ``short_description``, ``manufacturer``), an EA-tool export
(LeanIX with ``Name``, ``Type``, ``Description``, ``Lifecycle``). :func:`load_portfolio` reads
CSV (any delimiter a spreadsheet writes; UTF-8 with or without BOM, UTF-16 with BOM, cp1252),
XLSX and Parquet, keeps every column exactly as read (as text), and validates the columns it
recognises against :data:`SCHEMA`. :func:`canonical` gives the typed view with canonical column
names that the models use. Input files are only ever opened for reading.

Column synonyms live in :data:`SYNONYMS`; a header is matched after folding case, spaces and
punctuation, so ``Short Description``, ``short_description`` and ``SHORT-DESCRIPTION`` are one.
"""
from __future__ import annotations

import codecs
import csv
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow

from .errors import PortfolioError, Problem

PURPOSES: tuple[str, ...] = ("IT", "OT", "CT")
"""The three purposes, in the order used for score arrays and tie-breaks."""

# canonical field -> header spellings seen in real exports (compared after :func:`fold`)
SYNONYMS: dict[str, tuple[str, ...]] = {
    "id": ("id", "sys_id", "item id", "asset id", "asset tag", "application id", "app id",
           "ci id", "fact sheet id", "factsheet id", "external id", "number", "inventory id"),
    "name": ("name", "application", "application name", "app", "app name", "system",
             "system name", "product", "product name", "technology", "item", "item name",
             "asset", "asset name", "ci name", "display name", "service", "service name",
             "display_name", "title"),
    "description": ("description", "short_description", "short description", "desc",
                    "comments", "notes", "summary", "purpose description", "what it does",
                    "details", "long description"),
    "vendor": ("vendor", "manufacturer", "supplier", "provider", "publisher", "make",
               "vendor name", "software vendor", "brand", "company"),
    "category": ("category", "sys_class_name", "class", "ci class", "subtype", "type", "asset type",
                 "application type", "subcategory", "product family", "family", "kind",
                 "classification", "fact sheet type", "model category", "device type"),
    "users": ("users", "used by", "user group", "user groups", "audience", "user type",
              "primary users", "who uses it", "end users", "consumers", "user base"),
    "deployment": ("deployment", "hosting", "hosted", "hosting model", "environment type",
                   "deployment model", "platform", "location type", "where deployed",
                   "runs on", "delivery model", "installation", "site type", "hosting type",
                   "location"),
    "lifecycle": ("lifecycle", "status", "install_status", "install status", "lifecycle phase",
                  "lifecycle status", "stage", "state", "phase", "used_for", "used for",
                  "lifecycle: active", "life cycle", "operational_status", "operational status"),
    "owner": ("owner", "owned_by", "owned by", "business owner", "budget owner",
              "responsible", "subscriptions", "subscriptions responsible", "managed by",
              "department", "it owner",
              "application owner", "support group", "support_group", "cost center"),
    "sanctioned": ("sanctioned", "approved", "approved by it", "it approved", "it sanctioned",
                   "u_it_sanctioned", "sanction status", "approval status", "managed by it",
                   "it managed", "authorized", "authorised"),
    "source": ("discovery_source", "discovery source", "source", "discovered by",
               "data source"),
    "tags": ("tags", "tag", "labels", "keywords"),
    "cost": ("cost", "annual cost", "total annual cost", "annual cost eur", "annual cost usd",
             "annual cost gbp",
             "yearly cost", "spend", "annual spend", "total cost", "run cost", "cost eur",
             "cost usd", "tco", "license cost", "licence cost"),
    "criticality": ("criticality", "business criticality", "business_criticality",
                    "criticality rating", "importance", "tier", "business impact"),
    "purpose_override": ("purpose_override", "purpose override", "override", "analyst purpose",
                         "purpose (analyst)", "override purpose"),
}
"""Canonical field -> accepted header spellings. Extend by adding an entry, not a branch."""

# the order in which a field's synonyms are preferred when several headers match one field
_TEXT_FIELDS = ("name", "description", "vendor", "category", "users", "deployment",
                "lifecycle", "owner", "sanctioned", "source", "tags")

_FOLD_RE = re.compile(r"[^0-9a-z]+")


def fold(header: object) -> str:
    """Fold a column header for synonym matching: lower case, punctuation and spaces to one ``_``.

    >>> fold("  Short Description ")
    'short_description'
    >>> fold("Annual cost (EUR)")
    'annual_cost_eur'
    """
    return _FOLD_RE.sub("_", str(header).strip().lower()).strip("_")


_LOOKUP: dict[str, str] = {fold(s): field for field, spellings in SYNONYMS.items()
                           for s in spellings}


def resolve_columns(columns) -> dict[str, str]:
    """Map canonical field -> the input column that supplies it.

    Parameters
    ----------
    columns : iterable of str
        Headers as they appear in the input.

    Returns
    -------
    dict
        ``{canonical_field: original_header}``. When several headers map to one field, the one
        whose spelling comes first in :data:`SYNONYMS` wins (``name`` beats ``Product``), ties
        broken by column order, so the result never depends on header case.
    """
    best: dict[str, tuple[int, int, str]] = {}
    for position, header in enumerate(columns):
        field = _LOOKUP.get(fold(header))
        if field is None:
            continue
        rank = [fold(s) for s in SYNONYMS[field]].index(fold(header))
        if field not in best or (rank, position) < best[field][:2]:
            best[field] = (rank, position, header)
    return {field: header for field, (_, _, header) in best.items()}


# ----------------------------------------------------------------------------------- reading

_ENCODINGS = ("utf-8-sig", "cp1252")


def _decode(raw: bytes, path: str) -> tuple[str, str]:
    """Decode CSV bytes: UTF-16/32 by BOM, else UTF-8 (BOM optional), else cp1252.

    Returns ``(text, encoding)``: the text and the codec that decodes the whole file. For a
    plain-ASCII file (valid UTF-8 as it is) the text is only its start, all that
    :func:`_sniff_delimiter` reads: the first line and at least 20,000 characters.
    """
    for bom, enc in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                     (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            return raw.decode(enc), enc
    if b"\x00" in raw[:4096]:
        row, column = _locate(raw, raw.index(b"\x00"))
        raise PortfolioError([Problem(
            path, "the file holds NUL bytes, so it is binary or UTF-16 without a byte-order mark",
            "export it again as CSV UTF-8 (or as .xlsx)", row=row, column=column)])
    if raw.isascii():
        end = raw.find(b"\n")
        return raw[:max(end, 20_000) if end >= 0 else len(raw)].decode("ascii"), "utf-8-sig"
    try:
        return raw.decode("utf-8-sig"), "utf-8-sig"
    except UnicodeDecodeError as utf8_error:
        try:
            return raw.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            row, column = _locate(raw, utf8_error.start)
            raise PortfolioError([Problem(
                path, f"unreadable text encoding (byte 0x{raw[utf8_error.start]:02x} is neither "
                "UTF-8 nor Windows-1252)",
                "save the file as 'CSV UTF-8' from your spreadsheet program",
                row=row, column=column)]) from None


def _locate(raw: bytes, offset: int) -> tuple[int, str | None]:
    """1-based line number and header name of the field that holds byte ``offset``."""
    line_start = raw.rfind(b"\n", 0, offset) + 1
    row = raw.count(b"\n", 0, offset) + 1
    header = raw.split(b"\n", 1)[0].decode("latin-1")
    delimiter = _sniff_delimiter(header)
    headers = next(csv.reader([header], delimiter=delimiter), [])
    index = raw[line_start:offset].decode("latin-1").count(delimiter)
    return row, (headers[index] if index < len(headers) else None)


def _sniff_delimiter(sample: str) -> str:
    """The delimiter of a delimited text (its first 20,000 characters are sniffed; when that
    fails, the candidate that splits the first line most)."""
    end = sample.find("\n")
    first_line = sample if end < 0 else sample[:end]
    try:
        return csv.Sniffer().sniff(sample[:20000], delimiters=",;\t|").delimiter
    except csv.Error:
        counts = {d: first_line.count(d) for d in (",", ";", "\t", "|")}
        return max(counts, key=counts.get) if max(counts.values()) else ","


_ARROW_TEXT = pd.ArrowDtype(pyarrow.large_string())


def _read_csv(path: Path, shown: str) -> pd.DataFrame:
    raw = path.read_bytes()
    body = raw.removeprefix(codecs.BOM_UTF8)  # an exported empty sheet may hold only a BOM
    if not body or body.isspace() or raw in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        raise PortfolioError([Problem(shown, "the file is empty",
                                      "export the portfolio again with a header row and items",
                                      row=1)])
    text, encoding = _decode(raw, shown)  # checks that the whole file decodes
    delimiter = _sniff_delimiter(text)
    del text, raw
    try:
        # the parser reads the file itself, in the encoding found above; text goes straight
        # into Arrow strings (dtype=str would make a Python object per cell first: ~6x slower)
        frame = pd.read_csv(path, encoding=encoding, sep=delimiter, dtype=_ARROW_TEXT,
                            keep_default_na=False, na_values=[""], skipinitialspace=True,
                            engine="c")
    except pd.errors.ParserError as err:
        match = re.search(r"line (\d+)", str(err))
        raise PortfolioError([Problem(
            shown, f"rows do not line up with the header ({err})",
            f"check quoting and the number of {delimiter!r}-separated fields on that row",
            row=int(match.group(1)) if match else None)]) from None
    frame = frame.astype("str")  # pandas' text dtype, over the same Arrow data
    if not isinstance(frame.index, pd.RangeIndex):  # rows one field longer than the header
        frame.index = frame.index.astype("str")
    return frame


def _read_xlsx(path: Path, shown: str, sheet: str | None) -> pd.DataFrame:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises several unrelated types for a broken file
        raise PortfolioError([Problem(shown, f"not a readable .xlsx workbook ({err})",
                                      "open it in a spreadsheet program and save as .xlsx")]) from None
    try:
        names = [sheet] if sheet is not None else book.sheetnames
        if sheet is not None and sheet not in book.sheetnames:
            raise PortfolioError([Problem(shown, f"there is no sheet named {sheet!r} "
                                          f"(sheets: {', '.join(book.sheetnames)})",
                                          "pass one of the sheet names above")])
        rejected = []
        for name in names:
            rows = book[name].iter_rows(values_only=True)
            # the table's header is the first of the first 10 non-empty rows naming an item column
            for line, values in enumerate(rows, start=1):
                if line > 10:
                    break
                headers = ["" if v is None else str(v).strip() for v in values]
                if "name" in resolve_columns([h for h in headers if h]):
                    return _sheet_frame(headers, rows, line, shown, name)
            rejected.append(name)
    finally:
        book.close()
    raise PortfolioError([Problem(
        shown, "no sheet is a table with a name column in its first 10 rows "
        f"(looked at: {', '.join(repr(n) for n in rejected)})",
        "put the items on one sheet with a header row that has a 'Name' column, "
        "or pass --sheet NAME", row=1)])


def _sheet_frame(headers: list[str], rows, header_line: int, shown: str, sheet: str):
    keep = [i for i, h in enumerate(headers) if h]
    data = [[_cell_text(values[i]) if i < len(values) else None for i in keep]
            for values in rows if values and any(v is not None for v in values)]
    frame = pd.DataFrame(data, columns=[headers[i] for i in keep], dtype="str")
    frame.attrs["header_row"] = header_line
    frame.attrs["sheet"] = sheet
    return frame


def _cell_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_table(path: str | Path, *, sheet: str | None = None) -> pd.DataFrame:
    """Read a CSV, XLSX or Parquet file into a DataFrame of text columns, as the file holds them.

    Parameters
    ----------
    path : str or Path
        ``.csv``/``.txt``/``.tsv``, ``.xlsx``/``.xlsm`` or ``.parquet``/``.pq``.
    sheet : str, optional
        XLSX only: the sheet to read. By default the first sheet whose first 10 rows contain a
        header with a name column.

    Returns
    -------
    DataFrame, shape (n_items, n_columns)
        Every column as ``str`` dtype (missing cells NaN); ``attrs["header_row"]`` is the
        1-based row number of the header in the file.

    Raises
    ------
    PortfolioError
        Unknown extension, missing file, empty file, unreadable encoding, no table sheet.
    """
    path = Path(path)
    shown = str(path)
    if not path.is_file():
        raise PortfolioError([Problem(shown, "no such file", "check the path")])
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        frame = _read_csv(path, shown)
    elif suffix in (".xlsx", ".xlsm"):
        frame = _read_xlsx(path, shown, sheet)
    elif suffix in (".parquet", ".pq"):
        try:
            frame = pd.read_parquet(path)
        except Exception as err:
            raise PortfolioError([Problem(shown, f"not a readable Parquet file ({err})",
                                          "write it again with pandas or pyarrow")]) from None
        frame = frame.astype({c: "str" for c in frame.columns
                              if not pd.api.types.is_numeric_dtype(frame[c])})
    else:
        raise PortfolioError([Problem(shown, f"unknown file type {suffix or '(none)'!r}",
                                      "use .csv, .xlsx or .parquet")])
    frame.attrs.setdefault("header_row", 1)
    frame.attrs["source"] = shown
    return frame


# -------------------------------------------------------------------------------- validation

def _not_blank(series: pd.Series) -> pd.Series:
    return series.notna() & (series.astype("str").str.strip() != "")


def _unique_when_present(series: pd.Series) -> pd.Series:
    codes, uniques = pd.factorize(series)  # one hash pass; code -1: missing
    present = codes >= 0
    if len(uniques) == present.sum():
        return pd.Series(True, index=series.index)
    repeated = np.bincount(codes[present], minlength=len(uniques)) > 1
    return pd.Series(~(present & repeated[codes]), index=series.index)


def _known_override(series: pd.Series) -> pd.Series:
    text = series.astype("str").str.strip().str.upper()
    return series.isna() | (text == "") | text.isin(PURPOSES)


def _cost_like(series: pd.Series) -> pd.Series:
    ok = _plain_number(series)  # missing or a plain number: fine without parsing
    rest = np.flatnonzero(~ok)
    ok[rest] = parse_amounts(series.iloc[rest]).notna().to_numpy()
    return pd.Series(ok, index=series.index)


SCHEMA = pa.DataFrameSchema(
    {
        "name": pa.Column(str, nullable=False, checks=pa.Check(
            _not_blank, element_wise=False, error="no name: every item needs a name")),
        "id": pa.Column(str, nullable=True, required=False, checks=pa.Check(
            _unique_when_present, element_wise=False,
            error="duplicate id: each id may appear once")),
        "purpose_override": pa.Column(str, nullable=True, required=False, checks=pa.Check(
            _known_override, element_wise=False,
            error="unknown override label: use IT, OT or CT, or leave the cell empty")),
        "cost": pa.Column(str, nullable=True, required=False, checks=pa.Check(
            _cost_like, element_wise=False,
            error="not an amount: write a number such as 12500 or 12,500.00")),
    },
    strict=False,
    coerce=False,
)
"""The canonical schema, declared once: pandera checks on the canonical view of a portfolio."""

_FIXES = {
    "name": "give the item a name, or delete the empty row",
    "id": "make the ids unique (or drop the id column and techseg numbers the rows)",
    "purpose_override": "write IT, OT or CT in that cell, or leave it empty",
    "cost": "write a plain amount (e.g. 12500 or 12.500,00 or 12,500.00) or leave it empty",
}


def validate(frame: pd.DataFrame, *, source: str | None = None) -> list[Problem]:
    """Every problem that stops a portfolio from being classified; an empty list when usable.

    Parameters
    ----------
    frame : DataFrame
        As returned by :func:`read_table`: original headers, text values.
    source : str, optional
        File name for the messages (default ``frame.attrs["source"]``).

    Returns
    -------
    list of Problem
        One per failing row and column, ordered by row; messages name the original header.
    """
    shown = source or frame.attrs.get("source", "<portfolio>")
    header_row = int(frame.attrs.get("header_row", 1))
    mapping = resolve_columns(frame.columns)
    if frame.empty and len(frame.columns) == 0:
        return [Problem(shown, "the file has no header and no items",
                        "export the portfolio again with a header row", row=1)]
    if "name" not in mapping:
        found = ", ".join(repr(c) for c in frame.columns[:12])
        return [Problem(shown, f"no column names the items (found: {found})",
                        "rename the column that holds item names to 'Name'",
                        row=header_row, column=None)]
    if frame.empty:
        return [Problem(shown, "the file has a header but no items",
                        "export the portfolio with its rows", row=header_row + 1)]
    view = pd.DataFrame({field: frame[header].astype("str") for field, header in mapping.items()
                         if field in SCHEMA.columns}, copy=False)
    try:
        SCHEMA.validate(view, lazy=True)
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
        cases = cases[cases["index"].notna()]
        problems = []
        for field, index in zip(cases["column"], cases["index"].astype(int)):
            check = SCHEMA.columns[field].checks[0]
            problems.append(Problem(shown, check.error.split(":")[0] + _value_note(
                frame, mapping[field], index), _FIXES[field],
                row=header_row + 1 + int(index), column=mapping[field]))
        return sorted(problems, key=lambda p: (p.row or 0, p.column or ""))
    return []


def _value_note(frame: pd.DataFrame, header: str, index: int) -> str:
    value = frame[header].iloc[index]
    return "" if pd.isna(value) or not str(value).strip() else f" ({str(value)[:60]!r})"


def load_portfolio(path: str | Path, *, sheet: str | None = None) -> pd.DataFrame:
    """Read and validate a portfolio export; raise with every problem when it is not usable.

    Parameters
    ----------
    path : str or Path
        CSV, XLSX or Parquet export.
    sheet : str, optional
        XLSX sheet to read (see :func:`read_table`).

    Returns
    -------
    DataFrame, shape (n_items, n_columns)
        Every input column, unchanged, as text. ``attrs["source"]`` holds the path.

    Raises
    ------
    PortfolioError
        With one :class:`~techseg_lib.errors.Problem` per failing file/row/column.
    """
    frame = read_table(path, sheet=sheet)
    problems = validate(frame)
    if problems:
        raise PortfolioError(problems)
    return frame


# ------------------------------------------------------------------------------ typed view

_AMOUNT_JUNK = re.compile(r"[\s\u00a0'€$£¥]|(?i:eur|usd|gbp|chf)")


def parse_amounts(series: pd.Series) -> pd.Series:
    """Parse amounts written as a spreadsheet shows them into floats (NaN where not a number).

    Accepts ``12500``, ``12,500.50``, ``12.500,50``, ``12.500`` (European thousands),
    ``€ 1 200``, ``1'200``. A single separator followed by exactly three digits is read as a
    thousands separator.

    Parameters
    ----------
    series : Series, shape (n,)
        Text (or numbers, returned as float64).

    Returns
    -------
    Series, shape (n,), same index and name
        As :func:`pandas.to_numeric` gives it (float64, or int64 when every value is a whole
        number), NaN where a value is missing or not an amount.
    """
    if pd.api.types.is_numeric_dtype(series):
        return series.astype("float64")
    text = series.astype("str")
    # plain numbers ("12500", "-3.75") reach to_numeric as they are; only the other values
    # (spaces, currency, separators, "12.500") are rewritten
    rows = np.flatnonzero(~_plain_number(text) | _fullmatch(text, _THOUSANDS))
    if len(rows) == len(text):
        text = _normalise_amounts(text)
    elif len(rows):
        text.iloc[rows] = _normalise_amounts(text.iloc[rows]).to_numpy()  # copy on write
    return pd.to_numeric(text, errors="coerce")


_THOUSANDS = r"-?\d{1,3}([.,]\d{3})+"


def _fullmatch(text: pd.Series, pattern: str) -> np.ndarray:
    """Boolean mask, shape (n,): the value matches ``pattern`` whole (False where missing)."""
    return text.str.fullmatch(pattern).to_numpy(dtype=bool, na_value=False)


def _plain_number(text: pd.Series) -> np.ndarray:
    """Boolean mask, shape (n,): missing, or ASCII digits with an optional minus sign and
    decimals. Such a value is always a number, and :func:`_normalise_amounts` leaves it as it
    is unless it matches the thousands pattern (``12.500``)."""
    return _fullmatch(text, r"-?[0-9]+(\.[0-9]+)?") | text.isna().to_numpy(dtype=bool)


def _normalise_amounts(text: pd.Series) -> pd.Series:
    """Rewrite amounts to the form :func:`pandas.to_numeric` reads: drop spaces, quotes and
    currency, then read ``,`` / ``.`` as decimal or thousands separators (see
    :func:`parse_amounts`). Element-wise; text in, text out."""
    text = text.str.replace(_AMOUNT_JUNK, "", regex=True)
    both = text.str.contains(",", regex=False) & text.str.contains(".", regex=False)
    comma_decimal = both & (text.str.rfind(",") > text.str.rfind("."))
    thousands_only = ~both & text.str.fullmatch(_THOUSANDS)
    text = text.mask(comma_decimal, text.str.replace(".", "", regex=False)
                     .str.replace(",", ".", regex=False))
    text = text.mask(both & ~comma_decimal, text.str.replace(",", "", regex=False))
    text = text.mask(thousands_only.fillna(False).astype(bool),
                     text.str.replace(r"[.,]", "", regex=True))
    return text.mask(~both & ~thousands_only.fillna(False).astype(bool),
                     text.str.replace(",", ".", regex=False))


def canonical(frame: pd.DataFrame) -> pd.DataFrame:
    """The typed view the models use: canonical column names, one row per item, same order.

    Columns are those of :data:`SYNONYMS` that the input supplies (text as ``str``; ``cost``
    as float64) plus any classifier output columns already present (``purpose``, ``mode`` …).
    A missing ``id`` is filled with the 1-based row number as text.
    """
    mapping = resolve_columns(frame.columns)
    out = {}
    for field, header in mapping.items():
        column = frame[header]
        out[field] = parse_amounts(column) if field == "cost" else column.astype("str")
    view = pd.DataFrame(out, index=frame.index)
    if "id" not in view:
        view.insert(0, "id", pd.Series(np.arange(1, len(frame) + 1), index=frame.index)
                    .astype("str"))
    for column in ("purpose", "confidence", "runner_up", "evidence", "needs_review",
                   "shadow_it", "mode", "purdue_level"):
        if column in frame.columns and column not in view:
            view[column] = frame[column]
    if "purpose_override" in view:
        override = view["purpose_override"].str.strip().str.upper()
        view["purpose_override"] = override.where(override.isin(PURPOSES))
    return view
