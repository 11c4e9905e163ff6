"""Tests of techseg_lib.archetypes: shipped ranges, comparison by count and spend, gaps, files."""
from __future__ import annotations

import math
import textwrap

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from techseg_lib import archetypes as ar
from techseg_lib.errors import ConfigError, PortfolioError


def portfolio(purposes, cost=None, **extra):
    df = pd.DataFrame({"purpose": pd.Series(purposes, dtype="str"), "mode": [1] * len(purposes)})
    if cost is not None:
        df["cost"] = pd.Series(cost, dtype="float64")
    for k, v in extra.items():
        df[k] = v
    return df


# -- shipped data ---------------------------------------------------------------------------------

def test_shipped_archetypes_are_three_labelled_assumptions():
    table = ar.load_archetypes()
    assert list(table) == ["information_business", "manufacturer", "service_provider"]
    for arch in table.values():
        assert set(arch.mix) == {"IT", "OT", "CT"}
        for rng in arch.mix.values():
            assert rng.assumption is True and rng.rationale
            assert 0 <= rng.min <= rng.max <= 1
        assert sum(r.min for r in arch.mix.values()) <= 1 <= sum(r.max for r in arch.mix.values())
        for p in ar.PURPOSES:
            assert arch.gap_phrases[p]["below"] and arch.gap_phrases[p]["above"]


def test_information_business_expects_some_ot_manufacturer_expects_lots():
    table = ar.load_archetypes()
    assert table["information_business"].mix["OT"].min > 0
    assert table["manufacturer"].mix["OT"].min > table["information_business"].mix["OT"].max - 0.01
    assert table["service_provider"].mix["OT"].min == 0


# -- comparison by count -----------------------------------------------------------------------------

def test_no_ot_in_information_business_gives_the_ot_gap_sentence():
    df = portfolio(["IT"] * 6 + ["CT"] * 4)
    sentences = ar.gaps(df, "information_business")
    assert len(sentences) == 1
    s = sentences[0]
    assert s.startswith("OT automation options unexplored (e.g. facilities robotics, sensors)")
    assert "OT is 0% of items" in s and "for an information business" in s and "3%–15%" in s


def test_compare_table_shape_status_and_bounds_inclusive():
    # 4 IT / 1 OT / 5 CT: IT 0.40 (= min, within), OT 0.10 within, CT 0.50 (= max, within)
    df = portfolio(["IT"] * 4 + ["OT"] + ["CT"] * 5)
    t = ar.compare_to_archetype(df, "information_business")
    assert list(t.columns) == list(ar.COMPARISON_COLUMNS)
    assert t["purpose"].tolist() == ["IT", "OT", "CT"]
    assert t["status"].tolist() == ["within"] * 3
    assert t["gap"].tolist() == ["", "", ""]
    assert t["share"].tolist() == pytest.approx([0.4, 0.1, 0.5])
    assert t["n_items"].tolist() == [4, 1, 5]
    assert ar.gaps(df, "information_business") == []


def test_above_and_below_for_manufacturer():
    df = portfolio(["IT"] * 8 + ["OT"] * 1 + ["CT"] * 1)  # IT 0.8 above, OT 0.1 below, CT 0.1 within
    t = ar.compare_to_archetype(df, "manufacturer").set_index("purpose")
    assert t.loc["IT", "status"] == "above"
    assert t.loc["OT", "status"] == "below"
    assert t.loc["CT", "status"] == "within"
    assert "OT is 10% of items, expected 25%–60% for a manufacturer" in t.loc["OT", "gap"]


def test_override_replaces_model_label_and_can_be_ignored():
    df = portfolio(["IT", "IT", "IT", "CT"], purpose_override=[np.nan, "ot", None, ""])
    eff = ar.effective_purpose(df)
    assert eff.tolist() == ["IT", "OT", "IT", "CT"]
    mix = ar.purpose_mix(df).set_index("purpose")
    assert mix.loc["OT", "n_items"] == 1 and mix.loc["IT", "n_items"] == 2
    mix_model = ar.purpose_mix(df, override_column=None).set_index("purpose")
    assert mix_model.loc["OT", "n_items"] == 0 and mix_model.loc["IT", "n_items"] == 3


def test_purpose_column_parameter():
    df = pd.DataFrame({"label": ["OT", "OT", "IT"]})
    mix = ar.purpose_mix(df, purpose_column="label").set_index("purpose")
    assert mix.loc["OT", "share"] == pytest.approx(2 / 3)
    with pytest.raises(PortfolioError, match="'purpose' not found"):
        ar.purpose_mix(df)


def test_bad_labels_are_listed_by_row():
    df = portfolio(["IT", "XT", "CT"], purpose_override=[np.nan, np.nan, "Cust"])
    with pytest.raises(PortfolioError) as exc:
        ar.compare_to_archetype(df, "manufacturer")
    msg = str(exc.value)
    assert "row 3" in msg and "'XT'" in msg
    assert "row 4" in msg and "override 'Cust'" in msg


def test_empty_portfolio_and_bad_basis():
    with pytest.raises(PortfolioError, match="no items"):
        ar.purpose_mix(portfolio([]))
    with pytest.raises(ConfigError, match="by: 'euros'"):
        ar.compare_to_archetype(portfolio(["IT"]), "manufacturer", by="euros")


def test_unknown_archetype_lists_allowed():
    with pytest.raises(ConfigError) as exc:
        ar.compare_to_archetype(portfolio(["IT"]), "bakery")
    assert "'bakery'" in str(exc.value)
    assert "information_business, manufacturer, service_provider" in str(exc.value)


# -- comparison by spend -----------------------------------------------------------------------------

def test_spend_shares_use_known_costs_only_and_report_coverage():
    df = portfolio(["IT", "IT", "OT", "CT", "CT"], cost=[300.0, np.nan, np.nan, 100.0, 0.0])
    t = ar.compare_to_archetype(df, "information_business", by="spend").set_index("purpose")
    assert t.loc["IT", "share"] == pytest.approx(0.75)     # 300 of 400 known
    assert t.loc["CT", "share"] == pytest.approx(0.25)     # a cost of 0 is a known cost
    assert t.loc["IT", "coverage"] == pytest.approx(0.5)
    assert t.loc["CT", "coverage"] == pytest.approx(1.0)
    assert t.loc["IT", "n_known"] == 1 and t.loc["CT", "n_known"] == 2
    assert t.loc["IT", "value"] == pytest.approx(300.0)
    # OT has an item but no known cost: not a false 0 %
    assert t.loc["OT", "status"] == "unknown" and math.isnan(t.loc["OT", "share"])
    assert "no cost is known for the 1 OT item" in t.loc["OT", "gap"]
    assert t.loc["IT", "status"] == "above"
    assert "(cost known for 1 of 2 IT items)" in t.loc["IT", "gap"]
    assert t.attrs["coverage"] == pytest.approx(3 / 5)
    assert (t["basis"] == "known spend").all()


def test_spend_reported_only_where_costs_exist():
    no_col = portfolio(["IT", "OT"])
    all_nan = portfolio(["IT", "OT"], cost=[np.nan, np.nan])
    for df in (no_col, all_nan):
        assert ar.has_spend(df) is False
        t = ar.compare_to_archetype(df, "manufacturer", by="spend")
        assert t.empty and list(t.columns) == list(ar.COMPARISON_COLUMNS)
        assert ar.gaps(df, "manufacturer", by="spend") == []
    assert ar.has_spend(portfolio(["IT"], cost=[1.0]))


def test_bad_costs_raise_with_rows():
    df = portfolio(["IT", "OT", "CT"])
    df["cost"] = pd.Series(["12", "lots", "-5"], dtype="str")
    with pytest.raises(PortfolioError) as exc:
        ar.compare_to_archetype(df, "manufacturer", by="spend")
    msg = str(exc.value)
    assert "row 3, column 'cost': cost 'lots' is not a number" in msg
    assert "row 4" in msg and "negative" in msg


# -- custom archetype files ------------------------------------------------------------------------

GOOD = """
archetypes:
  retailer:
    label: retailer
    mix:
      IT: {min: 0.2, max: 0.5, assumption: true, rationale: test}
      OT: {min: 0.1, max: 0.3, assumption: true, rationale: test}
      CT: {min: 0.3, max: 0.6, assumption: true, rationale: test}
    gaps:
      CT: {below: "Stores without digital channels"}
"""


def write(tmp_path, text, name="arch.yaml"):
    p = tmp_path / name
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


def test_custom_file_is_used_and_missing_phrases_fall_back(tmp_path):
    table = ar.load_archetypes(write(tmp_path, GOOD))
    assert list(table) == ["retailer"]
    df = portfolio(["IT"] * 7 + ["OT"] * 2 + ["CT"] * 1)
    sentences = ar.gaps(df, "retailer", archetypes=table)
    assert sentences[0].startswith("IT share above the range expected: IT is 70% of items")
    assert sentences[1].startswith("Stores without digital channels: CT is 10% of items")
    assert sentences[1].endswith("for a retailer.")


@pytest.mark.parametrize("old, new, key", [
    ("CT: {min: 0.3, max: 0.6", "CT: {min: 0.7, max: 0.6", "archetypes.retailer.mix.CT"),
    ("OT: {min: 0.1, max: 0.3", "OT: {min: 0.1, max: 1.3", "archetypes.retailer.mix.OT.max"),
    ("OT: {min: 0.1, max: 0.3", "OT: {min: -0.1, max: 0.3", "archetypes.retailer.mix.OT.min"),
    ("OT: {min: 0.1, max: 0.3", "OT: {min: ten, max: 0.3", "archetypes.retailer.mix.OT.min"),
    ("      CT: {min: 0.3, max: 0.6, assumption: true, rationale: test}\n", "", "archetypes.retailer.mix.CT"),
    ("      CT: {min: 0.3, max: 0.6", "      XT: {min: 0.3, max: 0.6", "archetypes.retailer.mix.XT"),
    ("IT: {min: 0.2, max: 0.5", "IT: {min: 0.7, max: 0.8", "archetypes.retailer.mix"),  # minima > 1
    ("IT: {min: 0.2, max: 0.5", "IT: {min: 0.0, max: 0.05", "archetypes.retailer.mix"),  # maxima < 1
    ("assumption: true, rationale: test}\n      OT", "assumption: true}\n      OT", "archetypes.retailer.mix.IT.rationale"),
    ("assumption: true, rationale: test}\n      OT", "assumption: false}\n      OT", "archetypes.retailer.mix.IT"),
    ("    label: retailer", "    label: retailer\n    colour: red", "archetypes.retailer.colour"),
    ("CT: {below:", "CT: {under:", "archetypes.retailer.gaps.CT.under"),
])
def test_custom_file_errors_name_the_key(tmp_path, old, new, key):
    assert old in GOOD
    p = write(tmp_path, GOOD.replace(old, new))
    with pytest.raises(ConfigError) as exc:
        ar.load_archetypes(p)
    msg = str(exc.value)
    assert msg.startswith(str(p)), msg
    assert f": {key}:" in msg, msg
    assert "Fix:" in msg


def test_missing_and_malformed_files(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        ar.load_archetypes(tmp_path / "nope.yaml")
    with pytest.raises(ConfigError, match="not valid YAML"):
        ar.load_archetypes(write(tmp_path, "archetypes: [unclosed"))
    with pytest.raises(ConfigError, match="archetypes: missing"):
        ar.load_archetypes(write(tmp_path, "version: 1\n"))


# -- properties --------------------------------------------------------------------------------------

@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["IT", "OT", "CT"]), min_size=1, max_size=60),
       st.sampled_from(["information_business", "manufacturer", "service_provider"]))
def test_count_shares_sum_to_one_and_status_matches_range(purposes, key):
    t = ar.compare_to_archetype(portfolio(purposes), key)
    assert t["share"].sum() == pytest.approx(1.0)
    for row in t.itertuples():
        expected = "below" if row.share < row.expected_min else "above" if row.share > row.expected_max else "within"
        assert row.status == expected
        assert (row.gap == "") == (expected == "within")
    assert t["n_items"].sum() == len(purposes)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["IT", "OT", "CT"]),
                          st.one_of(st.none(), st.floats(0, 1e6, allow_nan=False))),
                min_size=1, max_size=40))
def test_spend_shares_match_a_direct_sum(rows):
    purposes = [p for p, _ in rows]
    costs = [np.nan if c is None else c for _, c in rows]
    df = portfolio(purposes, cost=costs)
    mix = ar.purpose_mix(df, by="spend")
    known = [(p, c) for p, c in rows if c is not None]
    if not known:
        assert mix.empty
        return
    total = sum(c for _, c in known)
    for row in mix.itertuples():
        spend = sum(c for p, c in known if p == row.purpose)
        assert row.value == pytest.approx(spend)
        assert row.share == pytest.approx(spend / total if total > 0 else 0.0)


def test_raw_export_headers_are_resolved():
    # a classified frame that kept the export's own headers (as the classifier returns it)
    df = pd.DataFrame({
        "Application": ["Mail", "PLC line 1", "Client portal", "Wiki"],
        "Annual cost (EUR)": pd.Series(["1.200", "300", None, "12,500.50"], dtype="str"),
        "Purpose override": pd.Series([None, None, None, "CT"], dtype="str"),
        "purpose": pd.Series(["IT", "OT", "CT", "IT"], dtype="str"),
    })
    mix = ar.purpose_mix(df, by="spend").set_index("purpose")
    assert mix.loc["IT", "value"] == pytest.approx(1200.0)          # European thousands
    assert mix.loc["CT", "value"] == pytest.approx(12500.5)         # override moved the wiki to CT
    assert mix.loc["CT", "n_known"] == 1 and mix.loc["CT", "n_items"] == 2
    assert ar.field_column(df, "cost") == "Annual cost (EUR)"
