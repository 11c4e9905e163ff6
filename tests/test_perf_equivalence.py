"""The fast paths of loading and classifying give exactly what the plain implementations gave.

Each test compares a function with a reference copied from the implementation it replaced
(kept here, not in the package): amount parsing, the cost and id checks, CSV reading, the
combination labelling of the classifier and phrase matching.
"""
from __future__ import annotations

import codecs
import csv
import io
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal, assert_series_equal

from techseg_lib.portfolio import (_cost_like, _sniff_delimiter, _unique_when_present,
                                   parse_amounts, read_table)
from techseg_lib.segment import TokenisedColumn, _dense_combination
from techseg_lib.taxonomy import MAX_WORDS, normalise_phrase

# ------------------------------------------------------------------------------ references

_AMOUNT_JUNK = re.compile(r"[\s\u00a0'€$£¥]|(?i:eur|usd|gbp|chf)")


def reference_parse_amounts(series: pd.Series) -> pd.Series:
    """parse_amounts as it was: every string operation on every row."""
    if pd.api.types.is_numeric_dtype(series):
        return series.astype("float64")
    text = series.astype("str").str.replace(_AMOUNT_JUNK, "", regex=True)
    both = text.str.contains(",", regex=False) & text.str.contains(".", regex=False)
    comma_decimal = both & (text.str.rfind(",") > text.str.rfind("."))
    thousands_only = ~both & text.str.fullmatch(r"-?\d{1,3}([.,]\d{3})+")
    text = text.mask(comma_decimal, text.str.replace(".", "", regex=False)
                     .str.replace(",", ".", regex=False))
    text = text.mask(both & ~comma_decimal, text.str.replace(",", "", regex=False))
    text = text.mask(thousands_only.fillna(False).astype(bool),
                     text.str.replace(r"[.,]", "", regex=True))
    text = text.mask(~both & ~thousands_only.fillna(False).astype(bool),
                     text.str.replace(",", ".", regex=False))
    return pd.to_numeric(text, errors="coerce")


def reference_read_csv(raw: bytes) -> pd.DataFrame:
    """_read_csv as it was: decode in Python (UTF-16/32 by BOM, else UTF-8, else cp1252),
    parse a StringIO with dtype=str."""
    for bom, encoding in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16")):
        if raw.startswith(bom):
            text = raw.decode(encoding)
            break
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252")
    return pd.read_csv(io.StringIO(text), sep=_sniff_delimiter(text), dtype=str,
                       keep_default_na=False, na_values=[""], skipinitialspace=True,
                       engine="c")


def reference_dense_combination(columns):
    """_dense_combination as it was: factorise after every column."""
    key = np.zeros(len(columns[0]), dtype=np.int64)
    for column in columns:
        span = np.int64(int(column.max(initial=0)) + 2)
        key, _ = pd.factorize(key * span + (column.astype(np.int64) + 1), sort=False)
    key = key.astype(np.int64)
    first = np.full(int(key.max(initial=-1)) + 1, -1, dtype=np.int64)
    first[key[::-1]] = np.arange(len(key) - 1, -1, -1)
    return key, first


# ---------------------------------------------------------------------------- amounts

AMOUNTS = ["12500", "12.500", "12,500", "12,500.50", "12.500,50", "€ 1 200", "1'200", "0",
           "3,5", "abc", "", " ", " 7 ", "-1,234", "-12.500", "1.234.567", "1.234.567,8",
           "EUR 99", "usd1,5", "CHF 1'234.50", "1e3", "1E-2", "inf", "-inf", "nan", "NaN",
           "1.", ".5", "-.5", "--1", "1-2", "12.5.6", "+7", "0012", "1\u00a0000", "٣",
           "١٢٬٣٤٥", "12.3456", "1234.567", "999.999", "99.999,999", "1,2,3", "¥5", "£ 3",
           "9007199254740993", "18446744073709551615", "-9223372036854775809",
           "123456789012345678901234567890", "1_000", "0x10", "1 000,5", "€", "eur", None]

amount_text = st.one_of(
    st.sampled_from(AMOUNTS),
    st.text(alphabet="0123456789.,-' €$eurEURs+", max_size=12),
    st.from_regex(r"-?\d{1,3}([.,]\d{3}){0,3}([.,]\d{1,2})?", fullmatch=True),
    st.none())


@pytest.mark.parametrize("dtype", ["str", object])
def test_parse_amounts_table_matches_reference(dtype):
    for values in ([[v] for v in AMOUNTS] + [AMOUNTS, [v for v in AMOUNTS if v is not None],
                                              ["1", "2"], ["1", None], [], [None, None]]):
        series = pd.Series(values, dtype=dtype, name="Annual cost",
                           index=pd.Index(range(10, 10 + len(values))))
        assert_series_equal(parse_amounts(series), reference_parse_amounts(series),
                            check_exact=True)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(amount_text, max_size=30), st.booleans())
def test_parse_amounts_matches_reference(values, duplicate_index):
    index = [0] * len(values) if duplicate_index else None
    series = pd.Series(values, dtype="str", index=index, name="cost")
    assert_series_equal(parse_amounts(series), reference_parse_amounts(series),
                        check_exact=True)
    expected = series.isna() | reference_parse_amounts(series).notna()
    assert_series_equal(_cost_like(series), expected, check_names=False)


def test_parse_amounts_numbers_pass_through():
    series = pd.Series([1, 2, 3])
    assert_series_equal(parse_amounts(series), reference_parse_amounts(series))


@given(st.lists(st.one_of(st.sampled_from(["a", "b", "c", "A", " a"]), st.none()), max_size=12))
def test_unique_when_present_matches_reference(values):
    series = pd.Series(values, dtype="str")
    expected = ~(series.notna() & series.duplicated(keep=False))
    assert_series_equal(_unique_when_present(series), expected)


# ---------------------------------------------------------------------------- reading

cell = st.one_of(st.sampled_from(["", " ", "  padded", "00123", "12,500.50", "a \"quoted\" b",
                                  "x;y", "tab\there", "line\nbreak", "Zürich", "Café", "€ 5",
                                  "NA", "null", "None", "-", "1e3", "TRUE"]),
                 st.text(alphabet="abcAB 0189,;|.-'\"éü€", max_size=8))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(cell, min_size=3, max_size=3), min_size=1, max_size=8),
       st.sampled_from([",", ";", "\t", "|"]),
       st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "utf-32"]))
def test_read_csv_matches_reference(tmp_path_factory, rows, delimiter, encoding):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(["Name", "Used by", "Annual cost"])
    writer.writerows(rows)
    raw = buffer.getvalue().encode(encoding)
    path = tmp_path_factory.mktemp("csv") / "p.csv"
    path.write_bytes(raw)
    try:
        expected = reference_read_csv(raw)
    except pd.errors.ParserError:
        with pytest.raises(Exception):
            read_table(path)
        return
    got = read_table(path)
    assert_frame_equal(got, expected, check_exact=True)
    assert got.index.equals(expected.index) and got.index.dtype == expected.index.dtype


@pytest.mark.parametrize("text", [
    "Name,Vendor\n",  # header only
    "Name,Vendor\nA,B,C\nD,E,F\n",  # one field more than the header: first column is the index
    "Name\n\n\nA\n",  # blank lines
    "Name,Name,\nA,B,C\n",  # repeated and empty headers
    "Name,Vendor\n\"\",\n",  # quoted empty cell
    "Name;Vendor\r\nA;B\r\n",  # Windows line ends
    "Name,Vendor",  # no newline at all
    "Name;" + ";".join(f"c{i}" for i in range(5000)) + "\nA" + ";" * 5000 + "\n",  # long header
])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_read_csv_edge_cases_match_reference(tmp_path, text, encoding):
    raw = text.encode(encoding)
    path = tmp_path / "p.csv"
    path.write_bytes(raw)
    expected = reference_read_csv(raw)
    got = read_table(path)
    assert_frame_equal(got, expected, check_exact=True)
    assert got.index.dtype == expected.index.dtype


def test_read_csv_utf8_bom_is_not_in_the_header(tmp_path):
    path = tmp_path / "p.csv"
    path.write_bytes(codecs.BOM_UTF8 + "Name,Vendor\nPLC,Siemens\n".encode())
    assert read_table(path).columns.tolist() == ["Name", "Vendor"]


# --------------------------------------------------------------------------- classify

int_columns = st.integers(1, 40).flatmap(lambda n: st.lists(
    st.lists(st.one_of(st.integers(-1, 5), st.integers(-2**62, 2**62)), min_size=n, max_size=n),
    min_size=1, max_size=5))


@settings(max_examples=200, deadline=None)
@given(int_columns)
def test_dense_combination_matches_reference(columns):
    columns = [np.array(c, dtype=np.int64) for c in columns]
    inverse, first = _dense_combination(columns)
    # the reference is only safe from overflow for small values
    if all(c.min() >= -1 and c.max() < 6 for c in columns):
        expected_inverse, expected_first = reference_dense_combination(columns)
        np.testing.assert_array_equal(inverse, expected_inverse)
        np.testing.assert_array_equal(first, expected_first)
    rows = list(zip(*(c.tolist() for c in columns)))
    seen = list(dict.fromkeys(rows))  # combinations in order of first appearance
    assert inverse.tolist() == [seen.index(r) for r in rows]
    assert first.tolist() == [rows.index(r) for r in seen]


def test_dense_combination_many_wide_columns():
    rng = np.random.default_rng(0)
    columns = [rng.integers(-1, 5000, 2000) for _ in range(8)]  # 5001**8 overflows int64
    inverse, first = _dense_combination(columns)
    rows = list(zip(*(c.tolist() for c in columns)))
    seen = list(dict.fromkeys(rows))
    assert inverse.tolist() == [seen.index(r) for r in rows]
    assert first.tolist() == [rows.index(r) for r in seen]


WORDS = ["robot", "robots", "shop", "floor", "shop-floor", "PLC", "plcs", "class", "glass",
         "s", "is", "as", "Ünit", "unit", "x1", "café"]
values = st.lists(st.one_of(st.lists(st.sampled_from(WORDS), max_size=6).map(" ".join),
                            st.none()), min_size=1, max_size=12)
phrase_sets = st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=MAX_WORDS)
                       .map(" ".join).map(normalise_phrase).filter(lambda p: 0 < len(p) <= 3),
                       max_size=8)


@settings(max_examples=200, deadline=None)
@given(values, phrase_sets)
def test_match_and_contains_agree_with_naive_search(texts, phrases):
    column = TokenisedColumn(pd.Series(texts, dtype="str"))
    value_index, phrase_index = column.match(phrases)
    distinct = column.values.to_pylist()
    expected = []
    for v, text in enumerate(distinct):
        tokens = normalise_phrase(text)
        for p, phrase in enumerate(phrases):
            n = len(phrase)
            if any(tokens[i:i + n] == phrase for i in range(len(tokens) - n + 1)):
                expected.append((v, p))
    assert list(zip(value_index.tolist(), phrase_index.tolist())) == expected
    contains = column.contains(phrases)
    assert contains.tolist() == [c >= 0 and any(v == c for v, _ in expected)
                                 for c in column.codes.tolist()]


def reference_purdue(frame: pd.DataFrame, taxonomy, is_ot) -> pd.arrays.IntegerArray:
    """Purdue levels as classify computed them per row, before they were read per combination
    of signatures (the highest level named in the first of category, name, description)."""
    from techseg_lib.segment import _columns_for

    columns = _columns_for(frame)
    phrases = [p for _, group in sorted(taxonomy.purdue.items()) for p in group]
    phrase_level = np.array([lv for lv, group in sorted(taxonomy.purdue.items())
                             for _ in group], dtype=np.int8)
    level = np.full(len(frame), -1, dtype=np.int8)
    for field in ("category", "name", "description"):
        if field not in columns:
            continue
        column = TokenisedColumn(frame[columns[field][0]].astype("str"))
        value_index, phrase_index = column.match(phrases)
        value_level = np.full(column.n_values + 1, -1, dtype=np.int8)
        np.maximum.at(value_level, value_index, phrase_level[phrase_index])
        level = np.where(level >= 0, level, value_level[column.codes])
    level = np.where(is_ot, level, -1).astype(np.int64)
    return pd.arrays.IntegerArray(np.maximum(level, 0), level < 0)


PURDUE_WORDS = ["PLC", "HMI", "SCADA", "historian", "MES", "sensor", "transmitter", "drive",
                "valve", "ERP", "kiosk", "line", "plant floor", "", "x"]
purdue_text = st.lists(st.sampled_from(PURDUE_WORDS), max_size=4).map(" ".join)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.fixed_dictionaries({"name": purdue_text.filter(bool),
                                       "category": purdue_text, "description": purdue_text}),
                min_size=1, max_size=30))
def test_purdue_levels_match_reference(rows):
    from techseg_lib import classify, load_taxonomy

    frame = pd.DataFrame(rows, dtype="str")
    taxonomy = load_taxonomy()
    out = classify(frame, taxonomy)
    expected = reference_purdue(frame, taxonomy, (out["purpose"] == "OT").to_numpy())
    assert out["purdue_level"].tolist() == pd.Series(expected).tolist()
