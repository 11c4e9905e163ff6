"""Tests of techseg_lib.business_model: items, answers files, scores, quadrant, benchmarks, advice."""
from __future__ import annotations

import dataclasses
import math
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from techseg_lib import business_model as bm
from techseg_lib.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ("advisory_firm", "precision_manufacturer", "hotel_group")
D = bm.load_definition()
W = bm.default_weights()
CUSTOMER_IDS = [i.id for i in D.items_on("customer")]
ECOSYSTEM_IDS = [i.id for i in D.items_on("ecosystem")]
REVERSED = {i.id for i in D.items if i.reverse}


def portfolio(purposes, category=None, description=None):
    df = pd.DataFrame({"purpose": pd.Series(purposes, dtype="str"), "mode": [1] * len(purposes)})
    if category is not None:
        df["category"] = pd.Series(category, dtype="str")
    if description is not None:
        df["description"] = pd.Series(description, dtype="str")
    return df


def answers_only(weights=None):
    """Weights that score from answers alone (to test the answer arithmetic in isolation)."""
    return dataclasses.replace(weights or W, customer_ct_share=0.0, ecosystem_ot_share=0.0,
                               ecosystem_integration_share=0.0)


# -- shipped definition --------------------------------------------------------------------------

def test_shipped_items_five_to_seven_per_axis_with_a_reverse_item_each():
    for axis in bm.AXES:
        items = D.items_on(axis)
        assert 5 <= len(items) <= 7
        assert any(i.reverse for i in items)
    assert len(set(D.item_ids)) == len(D.items)
    assert (D.scale_min, D.scale_max) == (1, 5)
    assert set(D.anchors) == {1, 2, 3, 4, 5}


def test_shipped_scale_and_weights_are_labelled_assumptions():
    import yaml
    doc = yaml.safe_load((ROOT / "techseg_lib/data/assessment.yaml").read_text())
    assert doc["scale"]["assumption"] is True and doc["scale"]["rationale"]
    for path in (("threshold",), ("customer", "answers"), ("customer", "ct_share"),
                 ("ecosystem", "answers"), ("ecosystem", "ot_share"), ("ecosystem", "integration_share")):
        node = doc["scoring"]
        for p in path:
            node = node[p]
        assert node["assumption"] is True and node["rationale"], path


# -- answer files ----------------------------------------------------------------------------------

@pytest.mark.parametrize("org", SAMPLES)
def test_sample_answer_files_load(org):
    a = bm.load_assessment(ROOT / "data/samples" / org / "assessment.yaml")
    assert set(a.values) <= set(D.item_ids)
    assert all(1 <= v <= 5 for v in a.values.values())
    assert len(a.values) + len(a.unanswered) == len(D.items)


def test_samples_exercise_missing_answers_and_are_plausible():
    loaded = {o: bm.load_assessment(ROOT / "data/samples" / o / "assessment.yaml") for o in SAMPLES}
    assert 1 <= sum(len(a.unanswered) for a in loaded.values()) <= 2
    pos = {o: bm.score_axes(a) for o, a in loaded.items()}   # answers only (no portfolio)
    # an advisory firm knows its clients; a manufacturer selling via OEMs does not
    assert pos["advisory_firm"].customer > 50 > pos["precision_manufacturer"].customer
    # a hotel group selling partner services through OTAs is the most ecosystem-like
    assert pos["hotel_group"].ecosystem == max(p.ecosystem for p in pos.values())


def write(tmp_path, text, name="answers.yaml"):
    p = tmp_path / name
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


@pytest.mark.parametrize("line, item, words", [
    ("cust_nmed: 4", "cust_nmed", "unknown item id. Fix: did you mean 'cust_named'?"),
    ("cust_named: 7", "cust_named", "7 is outside 1..5"),
    ("cust_named: 0", "cust_named", "0 is outside 1..5"),
    ("cust_named: 3.5", "cust_named", "3.5 is not a whole number"),
    ("cust_named: '4'", "cust_named", "'4' is text, not a whole number"),
    ("cust_named: true", "cust_named", "True is not a whole number"),
    ("cust_named: [4]", "cust_named", "[4] is not a whole number"),
])
def test_bad_answers_name_file_item_and_fix(tmp_path, line, item, words):
    p = write(tmp_path, f"answers:\n  {line}\n  eco_networks: 3\n")
    with pytest.raises(ConfigError) as exc:
        bm.load_assessment(p)
    msg = str(exc.value)
    assert msg.startswith(f"{p}: answers.{item}: "), msg
    assert words in msg
    assert "Fix:" in msg


def test_all_answer_problems_reported_at_once(tmp_path):
    p = write(tmp_path, "answers:\n  cust_named: 9\n  bogus: 2\n  eco_networks: 2.5\n  cust_usage: 3\n")
    with pytest.raises(ConfigError) as exc:
        bm.load_assessment(p)
    lines = str(exc.value).splitlines()
    assert len(lines) == 3
    assert {ln.split(": ")[1] for ln in lines} == {"answers.cust_named", "answers.bogus", "answers.eco_networks"}


def test_answer_file_structure_errors(tmp_path):
    with pytest.raises(ConfigError, match="answers file not found"):
        bm.load_assessment(tmp_path / "none.yaml")
    with pytest.raises(ConfigError, match=r"answers: missing"):
        bm.load_assessment(write(tmp_path, "respondent: me\n"))
    with pytest.raises(ConfigError, match=r": scores: unknown key"):
        bm.load_assessment(write(tmp_path, "answers: {cust_named: 3}\nscores: {}\n"))
    with pytest.raises(ConfigError, match="not valid YAML"):
        bm.load_assessment(write(tmp_path, "answers: {cust_named: 3\n"))


def test_null_and_absent_are_unanswered_and_integral_float_accepted(tmp_path):
    a = bm.load_assessment(write(tmp_path, "answers:\n  cust_named: 4.0\n  cust_usage: null\n"))
    assert a.values == {"cust_named": 4}
    assert "cust_usage" in a.unanswered and "cust_channels" in a.unanswered


# -- scores ------------------------------------------------------------------------------------------

def test_reverse_scored_item():
    only = answers_only()
    agree = bm.score_axes({"cust_intermediated": 5, "eco_networks": 3}, weights=only)
    disagree = bm.score_axes({"cust_intermediated": 1, "eco_networks": 3}, weights=only)
    assert agree.customer == pytest.approx(0.0)
    assert disagree.customer == pytest.approx(100.0)
    row = agree.components.set_index("name").loc["cust_intermediated"]
    assert row["raw"] == 5 and row["value"] == 0 and "(reverse-scored)" in row["label"]
    # a forward item the other way round
    assert bm.score_axes({"cust_named": 5, "eco_own_chain": 5}, weights=only).customer == pytest.approx(100.0)
    assert bm.score_axes({"cust_named": 5, "eco_own_chain": 5}, weights=only).ecosystem == pytest.approx(0.0)


def test_likert_mean_rescaled():
    only = answers_only()
    pos = bm.score_axes({"cust_named": 2, "cust_usage": 4, "cust_channels": 5,
                         "eco_third_party": 3}, weights=only)
    # (25 + 75 + 100) / 3
    assert pos.customer == pytest.approx(200 / 3)
    assert pos.ecosystem == pytest.approx(50.0)


def test_unanswered_items_are_left_out_of_the_mean():
    only = answers_only()
    a = bm.score_axes({"cust_named": 5, "cust_usage": None, "eco_networks": 1}, weights=only)
    b = bm.score_axes({"cust_named": 5, "eco_networks": 1}, weights=only)
    assert a.customer == b.customer == pytest.approx(100.0)
    assert any("cust_usage" in n for n in a.notes)


def test_customer_score_combines_answers_and_ct_share():
    df = portfolio(["CT", "IT", "IT", "OT"])          # CT share 0.25 -> 0.25/0.5 -> signal 50
    pos = bm.score_axes({i: (1 if i in REVERSED else 5) for i in CUSTOMER_IDS} | {"eco_networks": 3}, df)
    assert pos.customer == pytest.approx(0.7 * 100 + 0.3 * 50)
    sig = pos.components.set_index("name").loc["ct_share"]
    assert sig["raw"] == pytest.approx(0.25) and sig["value"] == pytest.approx(50.0)


def test_ecosystem_score_combines_answers_ot_and_integration_cues():
    df = portfolio(
        ["OT", "OT", "IT", "IT", "CT", "IT", "IT", "IT"],
        category=["PLC", "SCADA", "Integration Platform", "ERP", "Web", "Finance", "HR", "BI"],
        description=["line 1", "line 2", "MuleSoft", "capital planning", "REST API for partners",
                     "rapid close", "payroll", np.nan],
    )
    integ = bm.integration_items(df)
    assert integ.tolist() == [False, False, True, False, True, False, False, False]  # not capital/rapid
    pos = bm.score_axes({"eco_third_party": 3, "cust_named": 3}, df)
    # answers 50; OT share 0.25/0.5 -> 50; integration 0.25/0.25 -> 100
    assert pos.ecosystem == pytest.approx(0.6 * 50 + 0.15 * 50 + 0.25 * 100)


def test_components_sum_to_scores():
    df = portfolio(["CT", "OT", "IT"], category=["portal", "API gateway", "mail"])
    pos = bm.score_axes({"cust_named": 4, "cust_intermediated": 2, "eco_own_chain": 3, "eco_interfaces": 5}, df)
    sums = pos.components.groupby("axis")["contribution"].sum()
    assert sums["customer"] == pytest.approx(pos.customer)
    assert sums["ecosystem"] == pytest.approx(pos.ecosystem)
    w = pos.components.groupby("axis")["weight"].sum()
    assert w["customer"] == pytest.approx(1.0) and w["ecosystem"] == pytest.approx(1.0)
    assert list(pos.components.columns) == list(bm.COMPONENT_COLUMNS)


def test_axis_without_answers_uses_signals_or_raises():
    df = portfolio(["CT", "CT"])
    pos = bm.score_axes({"eco_networks": 3}, df)
    assert pos.customer == pytest.approx(100.0)         # CT share 1.0 -> full signal, weight renormalised
    assert any("no answered item" in n for n in pos.notes)
    with pytest.raises(ConfigError, match="no answered item on the customer axis"):
        bm.score_axes({"eco_networks": 3})


def test_override_counts_in_signals():
    df = portfolio(["IT", "IT"])
    df["purpose_override"] = pd.Series(["CT", None], dtype="str")
    s = bm.portfolio_signals(df)
    assert s["ct_share"] == pytest.approx(0.5)
    assert bm.portfolio_signals(df, override_column=None)["ct_share"] == 0.0


# -- quadrant ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("c, e, q", [
    (50, 50, "Ecosystem Driver"),
    (49.999, 50, "Modular Producer"),
    (50, 49.999, "Omnichannel"),
    (49.999, 49.999, "Supplier"),
    (0, 100, "Modular Producer"),
    (100, 0, "Omnichannel"),
])
def test_quadrant_boundaries(c, e, q):
    assert bm.quadrant(c, e) == q


def test_threshold_is_a_parameter():
    only = answers_only()
    pos = bm.score_axes({"cust_named": 3, "eco_networks": 3}, weights=only)  # 50 / 50
    assert pos.quadrant == "Ecosystem Driver"
    strict = dataclasses.replace(only, threshold=60)
    assert bm.score_axes({"cust_named": 3, "eco_networks": 3}, weights=strict).quadrant == "Supplier"
    assert pos.to_dict() == {"customer": 50.0, "ecosystem": 50.0, "quadrant": "Ecosystem Driver",
                             "threshold": 50.0}


@pytest.mark.parametrize("field, value, words", [
    ("customer_answers", -0.1, "weights.customer_answers: -0.1 is negative"),
    ("ct_full_at", 0.0, "weights.ct_full_at: 0.0 is outside (0, 1]"),
    ("threshold", 120, "weights.threshold: 120 is outside [0, 100]"),
    ("ecosystem_answers", float("nan"), "weights.ecosystem_answers: nan is not a number"),
])
def test_bad_weights(field, value, words):
    with pytest.raises(ConfigError, match=words.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")):
        dataclasses.replace(W, **{field: value})


# -- custom definition -------------------------------------------------------------------------------

def test_custom_definition_errors_name_the_key(tmp_path):
    text = (ROOT / "techseg_lib/data/assessment.yaml").read_text()
    dup = text.replace("id: cust_usage", "id: cust_named")
    with pytest.raises(ConfigError, match=r"items\[1\]\.id: duplicate id 'cust_named'"):
        bm.load_definition(write(tmp_path, dup, "a.yaml"))
    bad_axis = text.replace("axis: ecosystem\n    text: \"We offer", "axis: partners\n    text: \"We offer")
    with pytest.raises(ConfigError, match=r"items\[6\]\.axis: 'partners' is not an axis"):
        bm.load_definition(write(tmp_path, bad_axis, "b.yaml"))
    no_weight = text.replace("      weight: 0.15\n", "")
    with pytest.raises(ConfigError, match=r"scoring\.ecosystem\.ot_share\.weight: missing"):
        bm.load_definition(write(tmp_path, no_weight, "c.yaml"))


# -- benchmarks --------------------------------------------------------------------------------------

def test_shipped_benchmarks_only_primary_figures_with_sources():
    b = bm.load_benchmarks()
    assert set(b.figures["confidence"]) <= {"P", "P-m"}
    assert b.figures["url"].str.startswith("https://").all()
    fig = b.figures.set_index("id")
    assert fig.loc["ecosystem_driver_revenue_growth", "value"] == 27
    assert fig.loc["ecosystem_driver_margin", "value"] == 20
    assert "1,311 executives" in fig.loc["ecosystem_driver_margin", "population"]
    assert fig.loc["ecosystem_driver_margin", "url"] == \
        "https://sloanreview.mit.edu/article/driving-growth-in-digital-ecosystems/"
    # share of firms per quadrant is not verifiable: present only as unavailable, never as a figure
    assert not b.figures["metric"].str.contains("share of", case=False).any()
    un = b.unavailable.set_index("id")
    assert "not published in a verifiable source" in un.loc["share_of_firms_per_quadrant", "status"]
    assert {s["confidence"] for s in b.framework_sources} == {"P"}


@pytest.mark.parametrize("conf, extra, words", [
    ("NV", "", "NV figures must not be shipped"),
    ("S-weak", "", "S-weak figures must not be shipped"),
    ("S", "", "caveat: a secondary (S) figure needs a caveat"),
    ("Q", "", "'Q' is not a confidence code"),
])
def test_benchmark_file_refuses_weak_figures(tmp_path, conf, extra, words):
    p = write(tmp_path, f"""
        figures:
          - id: x
            value: 31
            statement: "31 % of firms are ecosystem drivers"
            source: blog
            url: https://example.org
            confidence: {conf}
        """, "bench.yaml")
    with pytest.raises(ConfigError, match=words.replace("(", r"\(").replace(")", r"\)")):
        bm.load_benchmarks(p)


# -- advice ------------------------------------------------------------------------------------------

def position(c, e):
    comp = pd.DataFrame({k: pd.Series(dtype="float64") for k in bm.COMPONENT_COLUMNS})
    return bm.Position(c, e, bm.quadrant(c, e), 50.0, comp)


def test_advice_for_a_supplier_moves_the_nearer_axis_first():
    adv = bm.investment_advice(position(45, 20))
    assert adv["axis"].tolist() == ["customer", "ecosystem"]
    assert adv["priority"].tolist() == [1, 2]
    first, second = adv.iloc[0], adv.iloc[1]
    assert first["purpose"] == "CT" and first["action"] == "move"
    assert first["points_to_threshold"] == pytest.approx(5)
    assert (first["from_quadrant"], first["to_quadrant"]) == ("Supplier", "Omnichannel")
    assert second["purpose"] == "OT + integration"
    assert second["to_quadrant"] == "Modular Producer"
    assert "Invest in customer technology" in first["text"] and "from Supplier to Omnichannel" in first["text"]


def test_advice_for_omnichannel_and_ecosystem_driver():
    adv = bm.investment_advice(position(80, 30)).set_index("axis")
    assert adv.loc["ecosystem", "priority"] == 1 and adv.loc["ecosystem", "action"] == "move"
    assert adv.loc["ecosystem", "to_quadrant"] == "Ecosystem Driver"
    assert adv.loc["customer", "action"] == "hold"
    both = bm.investment_advice(position(70, 60))
    assert (both["action"] == "hold").all() and (both["to_quadrant"] == "Ecosystem Driver").all()


def test_advice_names_the_weakest_input():
    df = portfolio(["IT", "IT", "IT", "CT"])
    pos = bm.score_axes({"cust_named": 5, "cust_usage": 1, "eco_networks": 2}, df)
    adv = bm.investment_advice(pos).set_index("axis")
    assert "cust_usage" not in adv.loc["customer", "weakest_input"]  # labels, not ids, are shown
    assert "We collect and use data on how end customers use" in adv.loc["customer", "weakest_input"]
    assert "answered 1, 0/100" in adv.loc["customer", "weakest_input"]


# -- properties --------------------------------------------------------------------------------------

answer_maps = st.dictionaries(st.sampled_from(D.item_ids), st.one_of(st.none(), st.integers(1, 5)))
portfolios = st.lists(
    st.tuples(st.sampled_from(["IT", "OT", "CT"]),
              st.sampled_from(["ERP", "PLC", "API gateway", "web shop", "middleware", "sensors", ""])),
    min_size=0, max_size=30)
weight_sets = st.builds(
    bm.ScoringWeights,
    customer_answers=st.floats(0.01, 5), customer_ct_share=st.floats(0, 5),
    ct_full_at=st.floats(0.01, 1), ecosystem_answers=st.floats(0.01, 5),
    ecosystem_ot_share=st.floats(0, 5), ecosystem_integration_share=st.floats(0, 5),
    ot_full_at=st.floats(0.01, 1), integration_full_at=st.floats(0.01, 1),
    threshold=st.floats(0, 100))


def _frame(rows):
    return portfolio([p for p, _ in rows], category=[c for _, c in rows]) if rows else None


def _answerable(ans, rows, w):
    have = {k for k, v in ans.items() if v is not None}
    cust = bool(have & set(CUSTOMER_IDS)) or (bool(rows) and w.customer_ct_share > 0)
    eco = bool(have & set(ECOSYSTEM_IDS)) or (
        bool(rows) and w.ecosystem_ot_share + w.ecosystem_integration_share > 0)
    return cust and eco


@settings(max_examples=150, deadline=None)
@given(answer_maps, portfolios, weight_sets)
def test_scores_always_within_0_100(ans, rows, weights):
    if not _answerable(ans, rows, weights):
        with pytest.raises(ConfigError, match="no answered item on the"):
            bm.score_axes(ans, _frame(rows), weights=weights)
        return
    pos = bm.score_axes(ans, _frame(rows), weights=weights)
    assert 0.0 <= pos.customer <= 100.0 and 0.0 <= pos.ecosystem <= 100.0
    assert pos.quadrant in bm.QUADRANTS.values()


@settings(max_examples=150, deadline=None)
@given(answer_maps, portfolios, st.sampled_from(CUSTOMER_IDS), st.integers(1, 4), st.integers(1, 4))
def test_raising_a_customer_answer_never_lowers_the_customer_score(ans, rows, item, low, step):
    high = min(5, low + step)
    base = dict(ans)
    if base.get("eco_networks") is None:
        base["eco_networks"] = 3
    a = bm.score_axes(base | {item: low}, _frame(rows))
    b = bm.score_axes(base | {item: high}, _frame(rows))
    if item in REVERSED:   # agreeing more with a reverse-scored item means less closeness
        assert b.customer <= a.customer + 1e-9
    else:
        assert b.customer >= a.customer - 1e-9
    assert b.ecosystem == pytest.approx(a.ecosystem)   # the other axis does not move


@settings(max_examples=100, deadline=None)
@given(answer_maps, portfolios.filter(lambda r: any(p != "CT" for p, _ in r)), st.data())
def test_relabelling_an_item_as_ct_never_lowers_the_customer_score(ans, rows, data):
    base = dict(ans) | {"cust_named": ans.get("cust_named") or 3, "eco_networks": 3}
    i = data.draw(st.sampled_from([k for k, (p, _) in enumerate(rows) if p != "CT"]))
    moved = list(rows)
    moved[i] = ("CT", rows[i][1])
    a = bm.score_axes(base, _frame(rows))
    b = bm.score_axes(base, _frame(moved))
    assert b.customer >= a.customer - 1e-9
    assert not math.isnan(b.customer)


def test_integration_cues_found_under_raw_headers_and_names():
    df = pd.DataFrame({
        "name": ["MuleSoft integration layer", "Payroll", "Dashboard"],
        "short_description": ["", "monthly payroll", "webinar platform"],   # 'platform' alone is no cue
        "purpose": ["IT", "IT", "CT"],
    })
    assert bm.integration_items(df).tolist() == [True, False, False]
    assert bm.integration_items(df, text_columns=("description",)).tolist() == [False, False, False]
    assert bm.portfolio_signals(df)["n_integration"] == 1
