"""The learned lexicon: its file format, its errors, fitting, and how the classifier uses it."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from techseg_lib import TaxonomyError, classify, load_taxonomy
from techseg_lib.lexicon import (ANY_FIELD, BIAS, CLASSES, EMPTY, Lexicon, _stored_phrase,
                                 fit_lexicon, load_lexicon, save_lexicon)
from techseg_lib.taxonomy import normalise_phrase

HEADER = "field,phrase," + ",".join(CLASSES)


def toy_items() -> tuple[pd.DataFrame, list[str], list[bool]]:
    """Three purposes told apart by one word each; 'hub' items are ambiguous OT."""
    rows, purpose, ambiguous = [], [], []
    for i in range(12):
        for word, label, amb in (("ledger", "IT", False), ("valve", "OT", False),
                                 ("loyalty", "CT", False), ("hub", "OT", True)):
            rows.append({"name": f"{word} {i}", "description": f"the {word} item"})
            purpose.append(label)
            ambiguous.append(amb)
    return pd.DataFrame(rows, dtype="str"), purpose, ambiguous


def test_fit_learns_purpose_and_ambiguity_and_is_deterministic():
    frame, purpose, ambiguous = toy_items()
    first = fit_lexicon(frame, purpose, ambiguous, l2=0.1)
    second = fit_lexicon(frame.iloc[::-1].reset_index(drop=True), purpose[::-1], ambiguous[::-1],
                         l2=0.1)
    assert first.phrases == second.phrases and first.fields == second.fields
    np.testing.assert_allclose(first.weights, second.weights, atol=1e-4)
    test = pd.DataFrame({"name": ["ledger x", "valve y", "loyalty z", "hub w"]}, dtype="str")
    out = classify(test, lexicon=first)
    assert out["purpose"].tolist() == ["IT", "OT", "CT", "OT"]
    p_ambiguous = out["evidence"].str.extract(r"ambiguous (\d+)%")[0].astype(int)
    assert p_ambiguous[3] > 50 > p_ambiguous[1]


def test_fit_keeps_features_seen_often_enough_and_stores_them_stably():
    frame, purpose, ambiguous = toy_items()
    lexicon = fit_lexicon(frame, purpose, ambiguous, keep_rows=2)
    features = set(zip(lexicon.fields, lexicon.phrases))
    assert ("name", ("ledger",)) in features and (ANY_FIELD, ("valve",)) in features
    assert ("description", ("the", "hub")) in features
    assert ("name", ("ledger", "0")) not in features  # one item only: fitted, not kept
    assert all(normalise_phrase(" ".join(p)) == p for p in lexicon.phrases)
    assert lexicon.weights.shape == (len(lexicon), len(CLASSES))


def test_fit_rejects_labels_it_cannot_use():
    frame, purpose, ambiguous = toy_items()
    with pytest.raises(ValueError, match=r"'XT'\] at positions \[0\]"):
        fit_lexicon(frame, ["XT"] + purpose[1:], ambiguous)
    with pytest.raises(ValueError, match="one entry per item"):
        fit_lexicon(frame, purpose[:-1], ambiguous)


def test_fit_rejects_ambiguity_labels_that_are_not_booleans():
    frame, purpose, ambiguous = toy_items()
    with pytest.raises(ValueError, match=r"'False' at positions \[0, 1"):
        fit_lexicon(frame, purpose, [str(a) for a in ambiguous])
    lexicon = fit_lexicon(frame, purpose, [int(a) for a in ambiguous])  # 0 and 1 are fine
    assert len(lexicon) > 0


def test_a_phrase_in_any_field_counts_once_per_field():
    lexicon = Lexicon(fields=(ANY_FIELD,), phrases=(("gizmo",),),
                      weights=np.array([[0.0, 0.0, 0.0, 0.0, 1.0, 0.0]]), bias=np.zeros(6),
                      source="test")
    taxonomy = load_taxonomy()
    frame = pd.DataFrame({"name": ["gizmo", "gizmo"], "description": ["", "gizmo gizmo"]},
                         dtype="str")
    out = classify(frame, taxonomy, lexicon=lexicon)
    for row, times in ((0, 1), (1, 2)):  # twice in one field counts once
        logits = np.array([0.0, 0.0, 0.0, 0.0, float(times), 0.0])
        logits[:2] += taxonomy.hand_weight * taxonomy.prior["IT"]
        p = np.exp(logits) / np.exp(logits).sum()
        assert out["confidence"][row] == pytest.approx(p[4] + p[5], abs=1e-4)


def test_save_and_load_round_trip(tmp_path):
    frame, purpose, ambiguous = toy_items()
    lexicon = fit_lexicon(frame, purpose, ambiguous)
    path = tmp_path / "lexicon.csv"
    save_lexicon(lexicon, path)
    loaded = load_lexicon(path)
    assert set(zip(loaded.fields, loaded.phrases)) == set(zip(lexicon.fields, lexicon.phrases))
    order = {key: i for i, key in enumerate(zip(lexicon.fields, lexicon.phrases))}
    rows = [order[key] for key in zip(loaded.fields, loaded.phrases)]
    np.testing.assert_allclose(loaded.weights, lexicon.weights[rows], atol=5e-4)
    np.testing.assert_allclose(loaded.bias, lexicon.bias, atol=5e-4)


@pytest.mark.parametrize("body, where", [
    ("field,phrase,IT\n", "line 1: the header"),
    (f"{HEADER}\nname,plc,1,0,0,0,0\n{BIAS},,0,0,0,0,0,0\n", "line 2: 7 cells"),
    (f"{HEADER}\nname,plc,1,0,x,0,0,0\n{BIAS},,0,0,0,0,0,0\n", "line 2, column 'OT clear'"),
    (f"{HEADER}\nnam,plc,1,0,0,0,0,0\n{BIAS},,0,0,0,0,0,0\n", "line 2, column 'field'"),
    (f"{HEADER}\nname,a b c,1,0,0,0,0,0\n{BIAS},,0,0,0,0,0,0\n", "line 2, column 'phrase'"),
    (f"{HEADER}\nname,PLCs,1,0,0,0,0,0\nname,plc,1,0,0,0,0,0\n{BIAS},,0,0,0,0,0,0\n",
     "line 3, column 'phrase'"),
    (f"{HEADER}\nname,plc,1,0,0,0,0,0\n", "no (bias) row"),
    (f"{HEADER}\n{BIAS},,0,0,0,0,0,0\n{BIAS},,0,0,0,0,0,0\n", "line 3, column 'field'"),
    (f"{HEADER}\n{BIAS},x,0,0,0,0,0,0\n", "line 2, column 'phrase'"),
    (f"{HEADER}\n{BIAS},,0,0,0,0,0,0\nname,\"two\nlines\",1,0,0,0,0,0\nname,plc,1,0,0,0,0,1e400\n",
     "line 5, column 'CT ambiguous'"),  # file lines, not records
    (f"{HEADER}\n{BIAS},,0,0,0,0,0,0\nname,\"{'x' * 200_000}\",1,0,0,0,0,0\n", "line 3: not CSV"),
])
def test_bad_lexicon_names_file_line_and_column(tmp_path, body, where):
    path = tmp_path / "bad.csv"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(TaxonomyError) as caught:
        load_lexicon(path)
    message = str(caught.value)
    assert message.startswith(str(path)) and where in message and "Fix:" in message


def test_unreadable_lexicon_names_file_and_fix(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(HEADER.encode() + b"\nname,caf\xe9,1,0,0,0,0,0\n")
    with pytest.raises(TaxonomyError, match=r"latin1\.csv: cannot read the lexicon \(not UTF-8"):
        load_lexicon(path)
    with pytest.raises(TaxonomyError, match="No such file"):
        load_lexicon(tmp_path / "missing.csv")


def test_a_taxonomy_names_its_lexicon_relative_to_itself(tmp_path):
    (tmp_path / "mine.csv").write_text(
        f"{HEADER}\n{BIAS},,0,0,0,0,0,0\nname,gizmo,0,0,0,0,4,0\n", encoding="utf-8")
    (tmp_path / "t.yaml").write_text(
        "field_weights: {name: 1.0}\nconfidence: {review_below: 0.5}\nlexicon: mine.csv\n"
        "purposes: {IT: [widget]}\n", encoding="utf-8")
    taxonomy = load_taxonomy(tmp_path / "t.yaml")
    assert taxonomy.lexicon == str(tmp_path / "mine.csv")
    out = classify(pd.DataFrame({"name": ["gizmo", "widget"]}, dtype="str"), taxonomy)
    assert out["purpose"].tolist() == ["CT", "IT"]
    assert "learned name:gizmo" in out["evidence"][0]
    shipped = load_taxonomy()
    assert shipped.lexicon == "shipped" and len(load_lexicon()) > 1000


def test_empty_lexicon_leaves_the_hand_cues_alone():
    frame = pd.DataFrame({"name": ["Line PLC", "Payroll", "Loyalty app"]}, dtype="str")
    out = classify(frame, lexicon=EMPTY)
    assert out["purpose"].tolist() == ["OT", "IT", "CT"]
    assert not out["evidence"].str.contains("learned").any()
    assert isinstance(EMPTY, Lexicon) and len(EMPTY) == 0


@given(st.text(st.sampled_from("abcesihxyPLC _-.'Ä"), max_size=14))
def test_stored_phrases_read_as_normalise_phrase_reads_them(text):
    # the loader skips the regular expressions for phrases already in classifier form
    assert _stored_phrase(text, {}) == normalise_phrase(text)
