"""The classifier against techseg's own evaluation set (data/eval).

The shipped lexicon is fitted on the whole dev split, so scores on dev are in-sample and prove
little. What dev can show honestly is a first look: a lexicon fitted on the dev batches before
the last one scores the last one, as ``scripts/train_lexicon.py --choose`` simulates. The
held-out split (v16) is scored by the shipped model, committed before v16 was merged. Its one
look (2026-11-27, model 12ac43e): macro-F1 0.906, clear items flagged 9.7%, ambiguous items
flagged 71.9%. The targets it met are plain tests that guard them; a target it missed would be
a strict xfail, so that the test fails loudly (and must become a plain test) once a change
meets it.
"""
from __future__ import annotations

import dataclasses
import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from techseg_lib import classify, load_taxonomy
from techseg_lib.lexicon import load_lexicon
from techseg_lib.metrics import classification_report

ROOT = Path(__file__).resolve().parents[1]


def _load_training_script():
    spec = importlib.util.spec_from_file_location("train_lexicon",
                                                  ROOT / "scripts" / "train_lexicon.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SCRIPT = _load_training_script()  # it imports scripts/evaluate.py: the set's path, columns, reader


def report_on(items: pd.DataFrame, **kwargs) -> dict:
    result = classify(items[SCRIPT.INPUTS], **kwargs)
    return classification_report(items["purpose"], result["purpose"], result["needs_review"],
                                 items["difficulty"] == "ambiguous")


@pytest.fixture(scope="module")
def first_look() -> dict:
    dev = SCRIPT.dev_items()
    number = SCRIPT.batch_number(dev["added"])
    last = number.max()
    before = dev[number < last]
    lexicon = SCRIPT.fit(before, SCRIPT.SHIPPED_L2)
    # the shipped threshold is for the lexicon fitted on all dev items: move it back to the
    # prior of the one fitted here, as --choose moved it forward
    taxonomy = load_taxonomy()
    threshold = SCRIPT.shift_prior(taxonomy.ambiguous_above,
                                   (dev["difficulty"] == "ambiguous").mean(),
                                   (before["difficulty"] == "ambiguous").mean())
    return report_on(dev[number == last].reset_index(drop=True), lexicon=lexicon,
                     taxonomy=dataclasses.replace(taxonomy, ambiguous_above=threshold))


# v15 scored by a lexicon fitted on v1-v14 with the shipped settings: 0.885, 10.8%, 75.1%. The
# lexicon has not seen v15, but the settings (l2, hand_weight, ambiguous_above) were chosen on
# v13-v15, ambiguous_above on v15 alone, so for the review rates this is in-sample
# (data/eval/README.md, "The learned lexicon").
@pytest.mark.xfail(strict=True, reason="v15 simulated: macro-F1 0.885 (data/eval/README.md)")
def test_first_look_at_the_last_dev_batch_is_accurate(first_look):
    assert first_look["macro_f1"] >= 0.90


def test_first_look_rarely_flags_clear_items(first_look):
    assert first_look["review_rate_clear"] <= 0.15


def test_first_look_mostly_flags_ambiguous_items(first_look):
    assert first_look["review_rate_ambiguous"] >= 0.70


def test_shipped_lexicon_is_the_one_the_script_fits_on_dev():
    refitted = SCRIPT.fit_dev()
    shipped = load_lexicon()
    assert set(zip(refitted.fields, refitted.phrases)) == set(zip(shipped.fields,
                                                                   shipped.phrases))
    order = {key: i for i, key in enumerate(zip(refitted.fields, refitted.phrases))}
    rows = [order[key] for key in zip(shipped.fields, shipped.phrases)]
    np.testing.assert_allclose(shipped.weights, refitted.weights[rows], atol=2e-3)
    np.testing.assert_allclose(shipped.bias, refitted.bias, atol=2e-3)


def test_the_lexicon_earns_its_place_on_a_first_look(first_look):
    # the same batch, the same settings, the hand cues alone
    dev = SCRIPT.dev_items()
    number = SCRIPT.batch_number(dev["added"])
    hand = report_on(dev[number == number.max()].reset_index(drop=True),
                     taxonomy=dataclasses.replace(load_taxonomy(), lexicon=None))
    assert first_look["macro_f1"] > hand["macro_f1"] + 0.03


@pytest.fixture(scope="module")
def held_out() -> dict:
    items = SCRIPT.read_items()
    assert len(items) >= 300
    assert items["source_url"].notna().all() and items["rule"].notna().all()
    test = items[items["split"] == "test"].reset_index(drop=True)
    assert 0.30 <= len(test) / len(items) <= 0.35
    assert set(test["added"]) == {"v16"}
    return report_on(test)


def test_macro_f1_on_held_out_split(held_out):
    assert held_out["macro_f1"] >= 0.90


def test_clear_items_rarely_flagged(held_out):
    assert held_out["review_rate_clear"] <= 0.15


def test_ambiguous_items_mostly_flagged(held_out):
    assert held_out["review_rate_ambiguous"] >= 0.70


def test_blind_relabelling_covers_dev_items_only():
    # data/eval/relabel: two blind labellers' labels of 600 dev items; a test item among them
    # would leak the held-out split into what the README reports about label agreement
    labels = pd.read_csv(ROOT / "data" / "eval" / "relabel" / "labels.csv", dtype=str)
    items = SCRIPT.read_items().set_index("item_id")
    assert len(labels) == 600 and labels["item_id"].is_unique
    assert (items.loc[labels["item_id"], "split"] == "dev").all()
    for who in ("x", "y"):
        assert set(labels[f"purpose_{who}"]) <= {"IT", "OT", "CT"}
        assert set(labels[f"difficulty_{who}"]) <= {"clear", "ambiguous"}


def test_merge_batch_appends_new_rows_once(tmp_path, capsys):
    # data/eval/merge_batch.py appends a gathered batch: names already in the set or in an
    # earlier part (ignoring case, spaces and punctuation) are skipped and reported by file and
    # line; a second merge is refused
    spec = importlib.util.spec_from_file_location("merge_batch",
                                                  ROOT / "data" / "eval" / "merge_batch.py")
    merge = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(merge)
    fields = ["item_id", *merge.HEADER, "split", "added"]
    row = {"name": "Line HMI", "purpose": "OT", "difficulty": "clear", "rule": "R-OT-PURDUE",
           "source_title": "t", "source_url": "https://example.org/a"}
    pd.DataFrame([{**dict.fromkeys(fields, ""), **row, "item_id": "E0001", "split": "dev",
                   "added": "v1"}]).to_csv(tmp_path / "items.csv", index=False)
    part = pd.DataFrame([{**dict.fromkeys(merge.HEADER, ""), **row, "name": name}
                         for name in ("line hmi ", "Kiosk", "Badge reader", "kiosk", "Line-HMI",
                                      "badge_reader", "C++", "C#")])
    part.to_csv(tmp_path / "part_a.csv", index=False)
    argv = ["--batch", "v2", "--seed", "7", "--eval-set", str(tmp_path / "items.csv"),
            str(tmp_path / "part_a.csv")]
    assert merge.main(argv) == 0
    out = capsys.readouterr().out
    assert "part_a.csv:2: duplicate or empty name" in out
    for line in (5, 6, 7):
        assert f"part_a.csv:{line}: duplicate or empty name" in out
    assert "part_a.csv:8:" not in out and "part_a.csv:9:" not in out
    merged = pd.read_csv(tmp_path / "items.csv", dtype=str)
    assert merged["item_id"].tolist() == ["E0001", "E0002", "E0003", "E0004", "E0005"]
    assert sorted(merged["name"][1:]) == ["Badge reader", "C#", "C++", "Kiosk"]
    assert (merged["added"][1:] == "v2").all() and (merged["split"][1:] == "test").all()
    with pytest.raises(SystemExit, match="v2 is already merged"):
        merge.main(argv)
