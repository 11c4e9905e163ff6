"""The segmentation game, driven headlessly: picks in, the model's answers and the score out."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from techseg_lib.errors import PortfolioError
from techseg_lib.portfolio import load_portfolio
from techseg_lib.segment import classify
from techseg_lib.widgets.segmentation import (DEFAULT_PORTFOLIO, SegmentationGame, build_app,
                                              confusion_frame, play_order, score_results)

PURPOSES = ("IT", "OT", "CT")


@pytest.fixture(scope="module")
def classified() -> pd.DataFrame:
    """The advisory firm's portfolio, classified once for the module."""
    return classify(load_portfolio(DEFAULT_PORTFOLIO))


def _raw(names: list[str], descriptions: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"id": [f"X{i}" for i in range(len(names))], "name": names,
                         "description": descriptions})


def test_default_app_shows_a_balanced_first_batch_of_the_sample(classified):
    app = build_app()
    assert len(app.items) == len(classified) == 116
    assert app.batch == [0, 1, 2, 3, 4]
    assert len(app.toggles) == 5 and all(t.value is None for t in app.toggles)
    # balanced play order: the first three items cover all three purposes although only
    # 8 of the 116 items are OT
    assert set(app.items["purpose"].iloc[:3]) == set(PURPOSES)
    assert "0 of 5 picked" in app.progress_widget.value
    assert app.score["answered"] == 0 and np.isnan(app.score["agreement_rate"])
    assert app.confusion["count"].sum() == 0 and len(app.confusion) == 9
    assert app.chart_svg.startswith("<svg") and app.chart_widget.value == app.chart_svg
    assert app.reveal_button.disabled is False and app.next_button.disabled is True


def test_picking_updates_progress_and_reveal_scores_against_the_model(classified):
    app = SegmentationGame(classified, batch_size=4, seed=3)
    model = [app.items.at[p, "purpose"] for p in app.batch]
    wrong = {"IT": "OT", "OT": "CT", "CT": "IT"}
    app.pick(0, model[0])
    app.pick(1, wrong[model[1]])
    app.toggles[2].value = model[2]  # the same as a click on the toggle
    assert app.picks == {app.batch[0]: model[0], app.batch[1]: wrong[model[1]],
                         app.batch[2]: model[2]}
    assert "3 of 4 picked" in app.progress_widget.value
    svg_before, updates = app.chart_svg, app.n_updates
    app.reveal_button.click()
    assert app.revealed and app.n_updates == updates + 1
    assert app.score["answered"] == 3 and app.score["agreed"] == 2
    assert app.score["agreement_rate"] == pytest.approx(2 / 3)
    assert app.results["learner"].tolist() == [model[0], wrong[model[1]], model[2]]
    cells = app.confusion.set_index(["learner", "model"])["count"]
    assert cells[(wrong[model[1]], model[1])] == 1
    assert int(app.confusion.loc[app.confusion["agree"], "count"].sum()) == 2
    assert app.chart_svg != svg_before
    assert "2 of 3" in app.score_widget.value and "67%" in app.score_widget.value
    # every item shows the model's answer, the unanswered one says so and does not count
    for k, position in enumerate(app.batch):
        html = app.reveal_widgets[k].value
        assert f">{app.items.at[position, 'purpose']}</b>" in html
        assert "evidence" in html and "confidence" in html
    assert "not answered" in app.reveal_widgets[3].value
    assert "you said" in app.reveal_widgets[1].value
    assert all(t.disabled for t in app.toggles)
    assert app.reveal_button.disabled and not app.next_button.disabled


def test_evidence_shown_is_the_classifiers(classified):
    app = SegmentationGame(classified, batch_size=2)
    app.pick(0, "IT")
    app.reveal()
    item = app.items.iloc[app.batch[0]]
    first_part = str(item["evidence"]).split(" | ")[0].replace("<", "&lt;").replace(">", "&gt;")
    assert first_part in app.reveal_widgets[0].value
    assert f"{float(item['confidence']):.0%}" in app.reveal_widgets[0].value


def test_picks_after_reveal_are_ignored_and_reveal_is_idempotent(classified):
    app = SegmentationGame(classified, batch_size=3)
    for k, position in enumerate(app.batch):
        app.pick(k, app.items.at[position, "purpose"])
    app.reveal()
    app.reveal()
    assert app.score["answered"] == 3 and app.score["agreement_rate"] == 1.0
    app.on_pick(app.batch[0], {"new": "CT", "old": None})
    assert app.score["answered"] == 3 and len(app.results) == 3


def test_next_batch_moves_on_and_the_score_accumulates(classified):
    app = SegmentationGame(classified, batch_size=5, seed=1)
    app.next_batch()  # not revealed yet: stays
    assert app.batch == [0, 1, 2, 3, 4]
    seen = []
    for _ in range(3):
        for k, position in enumerate(app.batch):
            app.pick(k, app.items.at[position, "purpose"] if k % 2 == 0 else None)
        seen += app.batch
        app.reveal()
        app.next_button.click()
    assert app.batch == [15, 16, 17, 18, 19]
    assert "0 of 5 picked" in app.progress_widget.value
    assert len(set(seen)) == 15
    assert app.score["answered"] == 9 and app.score["agreed"] == 9
    by = app.score["by_purpose"]
    assert sum(v["answered"] for v in by.values()) == 9
    assert app.results["position"].is_unique


def test_last_batch_finishes_the_game():
    frame = _raw(["Website", "PLC line 3", "Email", "Badge reader", "Webshop", "HR system",
                  "Customer portal"],
                 ["public site for customers", "controller of machines on the shop floor",
                  "mailboxes for staff", "door access control", "online store for customers",
                  "payroll and absence for employees", "customers log in to see orders"])
    app = build_app(frame, batch_size=3, seed=0)
    assert len(app.items) == 7
    while True:
        app.pick(0, "IT")
        app.reveal()
        if app.finished:
            break
        app.next_batch()
    assert app.batch == [6] and len(app.toggles) == 1
    assert app.next_button.disabled and app.reveal_button.disabled
    assert "last batch" in app.progress_widget.value
    assert app.score["answered"] == 3  # one pick per batch
    app.next_batch()
    assert app.batch == [6]


def test_raw_dataframe_is_classified_and_a_classified_one_is_used_as_given():
    raw = _raw(["Siemens S7 PLC", "Customer web portal"],
               ["PLC controlling the packaging line", "customers log in to track orders"])
    app = build_app(raw, batch_size=2)
    labels = dict(zip(app.items["name"], app.items["purpose"]))
    assert labels == {"Siemens S7 PLC": "OT", "Customer web portal": "CT"}
    # an already classified frame is not re-classified: the given labels are the model's
    given = classify(raw)
    given["purpose"] = pd.Categorical(["CT", "IT"], categories=list(PURPOSES))
    app = build_app(given, batch_size=2)
    labels = dict(zip(app.items["name"], app.items["purpose"]))
    assert labels == {"Siemens S7 PLC": "CT", "Customer web portal": "IT"}


def test_client_text_is_escaped():
    raw = _raw(["<img src=x onerror=alert(1)>", "Email"],
               ["<script>alert('x')</script> for customers", "mailboxes for staff"])
    app = build_app(raw, batch_size=2)
    cards = "".join(row.children[0].value for row in app.rows_box.children)
    assert "<img" not in cards and "<script" not in cards
    assert "&lt;img src=x onerror=alert(1)&gt;" in cards
    app.pick(0, "IT")
    app.reveal()
    assert "<script" not in "".join(w.value for w in app.reveal_widgets)


def test_unusable_inputs_raise_with_a_fix():
    with pytest.raises(PortfolioError, match="name"):
        build_app(pd.DataFrame({"description": ["a", "b"]}))
    with pytest.raises(PortfolioError, match="no items"):
        build_app(classify(_raw(["x"], ["y"])).iloc[0:0])
    bad = classify(_raw(["x", "y"], ["a", "b"]))
    bad["purpose"] = ["IT", "XX"]
    with pytest.raises(PortfolioError, match="'XX' is not IT, OT or CT"):
        build_app(bad)
    with pytest.raises(ValueError, match="batch_size"):
        build_app(bad, batch_size=0)
    app = build_app(_raw(["x", "y"], ["a", "b"]), batch_size=1)
    with pytest.raises(ValueError, match="purpose"):
        app.pick(0, "it")


def test_same_seed_same_order_other_seed_other_order(classified):
    a = SegmentationGame(classified, seed=7).items["id"].tolist()
    b = SegmentationGame(classified, seed=7).items["id"].tolist()
    c = SegmentationGame(classified, seed=8).items["id"].tolist()
    assert a == b and a != c and sorted(a) == sorted(c)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(PURPOSES), min_size=0, max_size=60), st.integers(0, 2**32 - 1),
       st.booleans())
def test_play_order_is_a_permutation_and_balanced_rounds_interleave(labels, seed, balanced):
    purpose = pd.Series(labels, dtype="str")
    order = play_order(purpose, seed=seed, balanced=balanced)
    assert sorted(order.tolist()) == list(range(len(labels)))
    if balanced and labels:
        shown = purpose.to_numpy()[order]
        k = len(set(labels))
        # the first k items are k different purposes, and every prefix is as even as possible:
        # no purpose is shown twice more than another that still has items left
        assert len(set(shown[:k])) == k
        counts = {p: 0 for p in set(labels)}
        total = pd.Series(labels).value_counts().to_dict()
        for p in shown:
            counts[p] += 1
            open_ = [q for q in counts if counts[q] < total[q]]
            assert all(counts[p] - counts[q] <= 1 for q in open_)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(PURPOSES), st.sampled_from(PURPOSES), st.booleans()),
                max_size=40))
def test_score_and_confusion_agree_with_a_direct_count(rows):
    results = pd.DataFrame(rows, columns=["learner", "model", "needs_review"])
    results["agree"] = results["learner"] == results["model"]
    score = score_results(results)
    grid = confusion_frame(results)
    assert len(grid) == 9 and grid["count"].sum() == len(rows)
    assert int(grid.loc[grid["agree"], "count"].sum()) == score["agreed"]
    assert score["agreed"] == sum(a == b for a, b, _ in rows)
    assert score["disagreed_on_review"] == sum(a != b and r for a, b, r in rows)
    for p in PURPOSES:
        n = sum(m == p for _, m, _ in rows)
        assert score["by_purpose"][p]["answered"] == n
        assert grid.loc[grid["model"] == p, "count"].sum() == n
    if rows:
        assert score["agreement_rate"] == pytest.approx(score["agreed"] / len(rows))
