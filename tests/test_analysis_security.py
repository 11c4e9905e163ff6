"""The security-consequence analysis on the sample clients: summary, exposure, seed, config, lag."""
from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from techseg_lib import security, strategy
from techseg_lib.analyses import security as sa
from techseg_lib.analyses import segmentation
from techseg_lib.charts import security as sc
from techseg_lib.config import load_config
from techseg_lib.errors import ConfigError, TechsegError

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
TRIALS = 4_000


@pytest.fixture(scope="module")
def advisory():
    config = load_config(SAMPLES / "advisory_firm" / "client.yaml")
    return config, segmentation.run(config)


@pytest.fixture(scope="module")
def manufacturer():
    config = load_config(SAMPLES / "precision_manufacturer" / "client.yaml")
    return config, segmentation.run(config)


@pytest.fixture(scope="module")
def advisory_analysis(advisory):
    config, seg = advisory
    return sa.run(config, seg, n_trials=TRIALS)


# ------------------------------------------------------------------------------------------------
# summary
# ------------------------------------------------------------------------------------------------

def test_summary_has_exactly_the_contract_keys_and_types(advisory_analysis):
    summary = advisory_analysis.summary()
    assert set(summary) == {"currency", "IT", "OT", "CT", "total"}
    assert summary["currency"] == advisory_analysis.params.currency == "USD"
    for key in ("IT", "OT", "CT", "total"):
        entry = summary[key]
        assert set(entry) == {"mean_annual_loss", "p90", "p99", "dominant_form"}
        for figure in ("mean_annual_loss", "p90", "p99"):
            assert type(entry[figure]) is float and math.isfinite(entry[figure])
            assert entry[figure] >= 0
        assert entry["p99"] >= entry["p90"]
        assert entry["dominant_form"] in security.FORMS
    assert json.loads(json.dumps(summary)) == summary  # plain JSON, no numpy scalars
    # the total is the sum of the purposes trial by trial, so its mean is the sum of the means
    parts = sum(summary[p]["mean_annual_loss"] for p in ("IT", "OT", "CT"))
    assert summary["total"]["mean_annual_loss"] == pytest.approx(parts, abs=0.05)
    # the purposes' own profiles decide the dominant form (defaults: the essay's mapping)
    assert summary["CT"]["dominant_form"] == "reputation"
    assert summary["OT"]["dominant_form"] == "productivity"
    assert summary["IT"]["dominant_form"] == "competitive_advantage"


def test_simulated_means_match_the_closed_form_at_the_analysis_exposure(advisory_analysis):
    a = advisory_analysis
    moments = a.moments.set_index("purpose")
    table = a.table.set_index("purpose")
    for p in ("IT", "OT", "CT", "total"):
        se = math.sqrt(moments.loc[p, "variance"] / a.n_trials)
        assert abs(table.loc[p, "mean"] - moments.loc[p, "mean"]) < 5 * se, p
    for p in security.PURPOSES:
        assert moments.loc[p, "exposure"] == pytest.approx(a.exposure[p])


def test_frames_for_the_charts(advisory_analysis):
    a = advisory_analysis
    assert set(a.exceedance["purpose"]) == {"IT", "OT", "CT", "total"}
    assert (a.exceedance["loss"] > 0).all()
    assert len(a.heatmap) == 25 and a.heatmap["n_items"].sum() == len(a.items)
    assert list(a.by_form["form_order"].unique()) == list(range(6))
    assert a.by_form["form_label"].notna().all()
    by_purpose = a.by_form.groupby("purpose")["mean_loss"].sum()
    assert by_purpose["CT"] == pytest.approx(a.table.set_index("purpose").loc["CT", "mean"])
    assert list(a.lag_totals["quarter"]) == list(range(a.horizon_quarters + 1))


# ------------------------------------------------------------------------------------------------
# exposure follows the segmentation
# ------------------------------------------------------------------------------------------------

_WEIGHT = {"Low": 0.5, "Medium": 1.0, "High": 2.0}  # the shipped defaults; missing = medium


def _weights(criticality: pd.Series) -> np.ndarray:
    return np.array([_WEIGHT.get(c, 1.0) if isinstance(c, str) else 1.0 for c in criticality])


def test_exposure_is_the_weighted_count_of_each_purpose(advisory_analysis):
    a = advisory_analysis
    items = a.items
    w = _weights(items["criticality"])
    ref = {"IT": 80, "OT": 40, "CT": 30}
    for p in security.PURPOSES:
        expected = w[(items["purpose"] == p).to_numpy()].sum() / ref[p]
        assert a.exposure[p] == pytest.approx(expected)


def test_overrides_move_exposure_and_heat_map(advisory):
    config, seg = advisory
    base = sa.run(config, seg, n_trials=500)
    items = seg.items.copy()
    it_rows = items.index[items["purpose"] == "IT"][:6]
    moved = _weights(items.loc[it_rows, "criticality"]).sum()
    # the analyst's override sits next to the model's label; the model's label stays "IT"
    items["purpose_override"] = pd.Series(pd.NA, index=items.index, dtype="str")
    items.loc[it_rows, "purpose_override"] = "OT"
    overridden = sa.run(config, replace(seg, items=items), n_trials=500)
    assert overridden.exposure["OT"] == pytest.approx(base.exposure["OT"] + moved / 40)
    assert overridden.exposure["IT"] == pytest.approx(base.exposure["IT"] - moved / 80)
    assert overridden.exposure["CT"] == pytest.approx(base.exposure["CT"])
    names = set(items.loc[it_rows, "name"])
    scored = overridden.scored.set_index("name")
    assert set(scored.loc[list(names), "purpose"]) == {"OT"}
    # more OT exposure: more expected OT loss, and the lag starts from the new exposure
    assert (overridden.moments.set_index("purpose").loc["OT", "mean"]
            > base.moments.set_index("purpose").loc["OT", "mean"])
    q0 = overridden.lag[(overridden.lag.quarter == 0) & (overridden.lag.purpose == "OT")]
    assert q0["exposure"].to_numpy() == pytest.approx(overridden.exposure["OT"])


def test_export_criticality_labels_are_weighted(manufacturer):
    config, seg = manufacturer
    a = sa.run(config, seg, n_trials=500)
    tiers = {"1 - most critical": 4.0, "2 - somewhat critical": 2.0, "3 - less critical": 1.0,
             "4 - not critical": 0.5}
    raw = seg.items["criticality"]
    assert set(raw.dropna()) == set(tiers)  # the sample is a ServiceNow export
    w = np.array([tiers.get(c, 1.0) if isinstance(c, str) else 1.0 for c in raw])
    ot = (seg.items["purpose"] == "OT").to_numpy()
    assert a.exposure["OT"] == pytest.approx(w[ot].sum() / 40)
    assert a.scored["weight"].to_numpy() == pytest.approx(w)


def test_leanix_labels_and_client_weights():
    params = security.SecurityParams.defaults()
    items = pd.DataFrame({"name": list("abcde"), "purpose": ["IT"] * 5,
                          "criticality": ["missionCritical", "businessCritical",
                                          "businessOperational", "administrativeService", None]})
    out = sa.normalise_criticality(items, params)
    weights = security.criticality_weights(out["criticality"], params)
    assert weights.tolist() == [4.0, 2.0, 1.0, 0.5, 1.0]
    # a label the client weights itself is left alone
    custom = security.SecurityParams.from_config({"criticality_weights": {"missionCritical": 9}})
    out = sa.normalise_criticality(items, custom)
    assert security.criticality_weights(out["criticality"], custom)[0] == 9.0
    # an unknown label still fails, with the model's fix
    bad = items.assign(criticality=["gold"] * 5)
    with pytest.raises(TechsegError, match="security.criticality_weights"):
        security.criticality_weights(sa.normalise_criticality(bad, params)["criticality"],
                                     params)


# ------------------------------------------------------------------------------------------------
# seed
# ------------------------------------------------------------------------------------------------

def test_same_seed_same_results_other_seed_other_results(advisory, advisory_analysis):
    config, seg = advisory
    again = sa.run(config, seg, n_trials=TRIALS)
    np.testing.assert_array_equal(again.result.annual_loss, advisory_analysis.result.annual_loss)
    assert again.summary() == advisory_analysis.summary()
    other = sa.run(replace(config, seed=config.seed + 1), seg, n_trials=TRIALS)
    assert other.summary()["total"]["mean_annual_loss"] != \
        advisory_analysis.summary()["total"]["mean_annual_loss"]
    # the lag is exact: it does not depend on the seed
    pd.testing.assert_frame_equal(other.lag, advisory_analysis.lag)


def test_n_trials_argument(advisory):
    config, seg = advisory
    a = sa.run(config, seg, n_trials=300)
    assert a.n_trials == 300 and a.result.annual_loss.shape == (3, 300)
    with pytest.raises(ValueError):
        sa.run(config, seg, n_trials=0)


# ------------------------------------------------------------------------------------------------
# bad config
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("section, key", [
    ({"IT": {"loss": {"reputaton": {"max": 1}}}}, "security.IT.loss.reputaton"),
    ({"speed": 3}, "security.speed"),
    ({"lag": {"maturity_rate": 1.5}}, "security.lag.maturity_rate"),
    ({"OT": {"vulnerability": {"max": 1.2}}}, "security.OT.vulnerability"),
    ({"n_trials": 1000}, "security.n_trials"),  # not a model key (set it with run(n_trials=))
])
def test_bad_security_section_names_the_key(advisory, section, key):
    config, seg = advisory
    with pytest.raises(ConfigError) as err:
        sa.run(replace(config, security=section), seg, n_trials=100)
    assert key in str(err.value)
    assert str(config.path) in str(err.value)


def test_bad_strategy_section_names_the_key(advisory):
    config, seg = advisory
    with pytest.raises(ConfigError, match=r"strategy\.horizon_quarter"):
        sa.run(replace(config, strategy={"horizon_quarter": 4}), seg, n_trials=100)


# ------------------------------------------------------------------------------------------------
# lag over the strategy roadmap
# ------------------------------------------------------------------------------------------------

def test_lag_follows_the_strategy_roadmap(advisory, advisory_analysis):
    config, seg = advisory
    a = advisory_analysis
    params = config.strategy_params()
    assert a.horizon_quarters == params.horizon_quarters
    mix = seg.summary()["purpose_counts"]
    expected = strategy.sprint_roadmap(strategy.with_purpose_mix(
        params, {p: mix[p] / sum(mix.values()) for p in mix}))
    pd.testing.assert_frame_equal(a.roadmap.reset_index(drop=True),
                                  expected[["quarter", "purpose", "sprints"]])
    # exposure added by the sprints: items_per_sprint medium items per sprint
    last = a.lag[(a.lag.quarter == a.horizon_quarters) & (a.lag.scenario == "keeps_pace")]
    for row in last.itertuples():
        added = a.roadmap.loc[a.roadmap.purpose == row.purpose, "sprints"].sum()
        ref = a.params.purposes[row.purpose].reference_items
        assert row.exposure == pytest.approx(a.exposure[row.purpose] + added / ref)
    # an explicit strategy (params or roadmap) replaces the default one
    short = replace(params, horizon_quarters=4)
    assert sa.run(config, seg, short, n_trials=100).horizon_quarters == 4
    roadmap = security.sprint_pace_schedule(6, sprints_per_quarter=1.0)
    b = sa.run(config, seg, roadmap, n_trials=100)
    assert b.horizon_quarters == 6 and b.roadmap["sprints"].sum() == 18
    with pytest.raises(TypeError):
        sa.run(config, seg, "roadmap", n_trials=100)


def test_explicit_purpose_mix_in_config_wins(advisory):
    config, seg = advisory
    cfg = replace(config, strategy={"purpose_mix": {"IT": 0.0, "OT": 1.0, "CT": 0.0}})
    a = sa.run(cfg, seg, n_trials=100)
    assert set(a.roadmap.loc[a.roadmap["sprints"] > 0, "purpose"]) == {"OT"}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(maturity=st.floats(0.0, 0.5), lag_q=st.integers(0, 6), uplift=st.floats(0.0, 1.0),
       per_sprint=st.floats(0.0, 5.0), vul_mode=st.floats(0.01, 0.9))
def test_a_lag_never_lowers_the_projected_loss(advisory, maturity, lag_q, uplift, per_sprint,
                                               vul_mode):
    config, seg = advisory
    section = {"lag": {"maturity_rate": maturity, "lag_quarters": lag_q,
                       "uncovered_uplift": uplift, "items_per_sprint": per_sprint},
               "CT": {"vulnerability": {"min": 0.0, "mode": vul_mode, "max": 1.0}}}
    a = sa.run(replace(config, security=section), seg, n_trials=50)
    wide = a.lag.pivot_table(index=["purpose", "quarter"], columns="scenario",
                             values="expected_loss")
    assert (wide["lags"] >= wide["keeps_pace"] - 1e-9 * wide["keeps_pace"].abs()).all()
    assert (a.lag_totals["gap"] >= -1e-6).all()
    assert a.lag_totals.loc[0, "gap"] == pytest.approx(0.0, abs=1e-6)
    assert a.lag_cost >= -1e-6
    assert (a.lag_by_purpose()["lag_cost"] >= -1e-6).all()


# ------------------------------------------------------------------------------------------------
# text for the notebook: client text escaped, numbers from the model
# ------------------------------------------------------------------------------------------------

def test_client_text_is_escaped(advisory):
    config, seg = advisory
    hostile = '<img src=x onerror=alert(1)> [link](http://evil) *x*'
    items = seg.items.copy()
    items["name"] = items["name"].astype("str")
    items.loc[items.index[0], "name"] = hostile
    a = sa.run(replace(config, client=hostile), replace(seg, items=items), n_trials=200)
    for text in (a.intro_markdown(), a.heatmap_markdown()):
        assert "<img" not in text and "](http" not in text and "*x*" not in text
    assert "&#60;img" in a.heatmap_markdown()
    # the unescaped name stays in the data (pandas display escapes it)
    assert hostile in a.heatmap["items"].str.cat(sep="; ")


def test_text_reports_the_model_numbers(advisory_analysis):
    a = advisory_analysis
    text = a.consequence_text()
    for p in ("CT", "OT", "IT"):
        mean = a.table.set_index("purpose").loc[p, "mean"]
        assert f"**{p}**" in text and sa.format_money(mean, "USD") in text
    lag = a.lag_text()
    assert sa.format_money(a.lag_cost, "USD") in lag
    assert f"{a.horizon_quarters} quarters" in lag
    assert "EUR" in a.intro_markdown()  # the client's currency differs from the model's USD


def test_format_money():
    nb = "\u00a0"
    assert sa.format_money(1_234_567, "USD") == f"USD{nb}1.2{nb}m"
    assert sa.format_money(350_000, "EUR") == f"EUR{nb}350{nb}k"
    assert sa.format_money(-2.5e9, "USD") == f"-USD{nb}2.5{nb}bn"
    assert sa.format_money(12, "USD") == f"USD{nb}12"


def test_sources_are_cited_with_confidence(advisory_analysis):
    sources = advisory_analysis.sources()
    assert set(sources["confidence"]) <= {"P", "P-m", "S"}
    assert (sources.loc[sources["confidence"] == "S", "caveat"].str.len() > 0).all()
    assert sources["url"].str.startswith("http").all()
    md = advisory_analysis.sources_markdown()
    assert md.count("\n") == len(sources) - 1 and "](https://" in md


# ------------------------------------------------------------------------------------------------
# charts: builders draw the analysis frames
# ------------------------------------------------------------------------------------------------

def test_chart_builders(advisory_analysis):
    a = advisory_analysis
    spec = sc.chart_exceedance(a.exceedance).to_dict()
    assert spec["encoding"]["x"]["scale"]["type"] == "log"
    assert spec["encoding"]["color"]["scale"]["domain"] == ["IT", "OT", "CT", "total"]
    spec = sc.chart_forms(a.by_form).to_dict()
    assert spec["mark"]["type"] == "bar" and spec["encoding"]["x"]["stack"] == "zero"
    assert sc.chart_forms(a.by_form, normalize=True).to_dict()["encoding"]["x"]["stack"] \
        == "normalize"
    spec = sc.chart_heatmap(a.heatmap).to_dict()
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["rect", "text"]
    data = next(iter(spec["datasets"].values()))
    assert len(data) == 25 and "items" not in data[0]  # counts only, no client text
    assert sc.chart_lag(a.lag).to_dict()["encoding"]["y"]["aggregate"] == "sum"
    assert "facet" in sc.chart_lag_by_purpose(a.lag).to_dict()


def test_every_cited_source_anchors_a_default(advisory_analysis):
    sources = advisory_analysis.sources().set_index("source")
    # titles may contain "; " (e.g. "(weknowcyber; CSO Online)"): matched by id, not by title
    lost_business = [s for s in sources.index if "lost business + post-breach" in s]
    assert lost_business and "CT.loss.fines_and_judgements" in sources.loc[lost_business[0],
                                                                           "used_for"]
    table = security.defaults_table()
    n_citations = sum(len(s.split(", ")) for s in sources["used_for"] if s)
    assert n_citations == sum(bool(c) for c in table["confidence"].str.split("; ").explode())
