"""The classifier: what it decides, its evidence, and its invariants (hypothesis)."""
from __future__ import annotations

import dataclasses
import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from techseg_lib import TaxonomyError, classify, load_taxonomy, summarize
from techseg_lib.lexicon import EMPTY, Lexicon
from techseg_lib.segment import (OUTPUT_COLUMNS, TokenisedColumn, _tokenise, effective_purpose,
                                 fold_plurals, review_rule)
from techseg_lib.taxonomy import normalise_phrase, stem

TAXONOMY = load_taxonomy()


def one(**fields) -> pd.Series:
    return classify(pd.DataFrame([fields], dtype="str")).iloc[0]


def test_deciding_question_is_what_it_acts_on():
    assert one(name="SAP S/4HANA", description="ERP for finance", users="Employees").purpose == "IT"
    assert one(name="Line 3 HMI", description="WinCC operator panel").purpose == "OT"
    assert one(name="Guest booking app", users="Guests", deployment="App Store").purpose == "CT"


def test_structured_columns_outweigh_free_text():
    # the text says "customer" but the users column says operators on the plant floor
    row = one(name="Customer order display", users="Machine operators", deployment="Plant floor")
    assert row.purpose == "OT"
    assert row.evidence.split(" | ")[0].split(" <- ")[1].startswith("users:")


def test_evidence_names_field_cue_and_weight():
    row = one(name="Cell PLC", category="PLC")
    assert row.evidence.startswith("OT ")
    assert "category:plc (x6)" in row.evidence  # cue weight 3 x category weight 2


def test_no_evidence_falls_to_prior_and_is_flagged():
    row = one(name="Zyxq")
    assert row.purpose == "IT" and row.needs_review
    assert re.fullmatch(r"no single strong cue; IT \d+% from the prior and weak learned words "
                        r"\| ambiguous \d+%", row.evidence), row.evidence
    alone = classify(pd.DataFrame({"name": ["Zyxq"]}, dtype="str"), lexicon=EMPTY)
    assert re.fullmatch(r"no single strong cue; IT \d+% from the prior", alone["evidence"][0])


def test_contested_technology_is_named_and_can_be_always_reviewed():
    row = one(name="Salesforce Sales Cloud", description="CRM for account managers",
              users="Sales staff")
    assert row.needs_review  # the lexicon finds CRMs use-dependent (ambiguous)
    assert "contested: " in row.evidence  # names the first contested phrase (by field order)
    assert one(name="Sales Cloud", description="CRM for account managers").evidence.endswith(
        "contested: crm")
    frame = pd.DataFrame({"name": ["Industrial switch", "Zendesk", "Smart meter"],
                          "description": ["", "help desk for customers", ""]}, dtype="str")
    assert classify(frame)["evidence"].str.contains("contested: ").all()
    strict = dataclasses.replace(TAXONOMY, contested_review=True)
    assert classify(frame, strict)["needs_review"].all()
    relaxed = dataclasses.replace(TAXONOMY, contested_review=False, review_below=0.0,
                                  ambiguous_above=1.0)
    assert not classify(frame, relaxed)["needs_review"].any()


# Words that occur in ordinary portfolio names whatever the purpose ("New ERP rollout", "Issue
# tracker", "Service account vault"): a cue that is one of these, after stemming, misfires.
COMMON_WORDS = {"new", "a", "i", "is", "us", "the", "it", "my", "all", "one", "use", "app", "web",
                "data", "service", "system", "user", "time", "tracker", "equipment", "account",
                "lead", "headless", "till", "visit", "listener", "crew", "rig", "fab", "drift",
                "deal", "community", "news", "test", "tool", "platform", "manager", "portal",
                "viewer", "tenant", "caller", "manipulator", "kds", "register", "counter"}


def test_no_single_word_cue_is_a_common_word():
    common = {normalise_phrase(word) for word in COMMON_WORDS}
    misfiring = [f"{c.purpose}: {c.text}" for c in TAXONOMY.cues if c.phrase in common]
    assert misfiring == [], "make these phrases of two or three words"


ORDINARY_IT_NAMES = [
    "What's new in Windows 11", "Issue tracker", "Equipment loan register",
    "Service account vault", "Lead time analytics", "Chrome headless test runner",
    "Config drift detection", "Oracle TNS listener", "JetBrains Rider",
]


# Known misses of the shipped model, not tuned away: the lexicon fitted on v1 to v15 (l2 0.5)
# leans on one everyday word in a bare name ('new' towards CT, 53%; 'tracker' towards OT, 63%;
# 'equipment' towards OT, 74%; 'service' towards CT, 74%; 'listener' towards CT, 51%) and rates
# these 6-15% ambiguous, under the threshold chosen with it (24.9%), so they are neither IT nor
# reviewed. Package tables of the last batches (process equipment types, GPS trackers, public
# services) taught it these words. (With the v1-v14 lexicon and its 13.2% threshold the misses
# were three of these; with the v1-v12 one, none.)
LEANING_ON_ONE_WORD = {"What's new in Windows 11": ("new", "CT"),
                       "Issue tracker": ("tracker", "OT"),
                       "Equipment loan register": ("equipment", "OT"),
                       "Service account vault": ("service", "CT"),
                       "Oracle TNS listener": ("listener", "CT")}


@pytest.mark.parametrize("name", [
    pytest.param(name, marks=pytest.mark.xfail(
        strict=True, reason="the shipped lexicon's pull of one everyday word ({!r} towards {})"
                            .format(*LEANING_ON_ONE_WORD[name])))
    if name in LEANING_ON_ONE_WORD else name for name in ORDINARY_IT_NAMES])
def test_ordinary_it_rows_are_it_or_reviewed_by_the_shipped_classifier(name):
    row = one(name=name)
    assert row.purpose == "IT" or row.needs_review, row.evidence


@pytest.mark.parametrize("name", ORDINARY_IT_NAMES)
def test_ordinary_it_rows_are_not_pulled_to_ct_or_ot(name):
    # the hand cues alone: a cue that is an everyday word would pull these away from IT (the
    # learned lexicon may lean on such words; its pull is shown in the evidence)
    row = classify(pd.DataFrame({"name": [name]}, dtype="str"), lexicon=EMPTY).iloc[0]
    assert row.purpose == "IT", row.evidence


def test_conflicting_evidence_lowers_confidence():
    clear = one(name="Line HMI", description="Operator panel on the shop floor")
    mixed = one(name="Line HMI", description="Operator panel on the shop floor",
                users="Customers")
    assert mixed.confidence < clear.confidence


def test_shadow_it_from_sanction_tags_discovery_and_byod():
    frame = pd.DataFrame({
        "Name": ["Miro", "Trello", "Canva", "Slack", "Personal iPhones", "Jira"],
        "Approved by IT": ["No", "", "", "Yes", "", ""],
        "Tags": ["", "Unsanctioned", "", "", "", ""],
        "discovery_source": ["", "", "SaaS discovery", "", "", "SaaS discovery"],
        "Description": ["", "", "", "", "BYOD phones", ""],
    }, dtype="str")
    frame.loc[5, "Approved by IT"] = "Yes"
    assert classify(frame)["shadow_it"].tolist() == [True, True, True, False, True, False]


def test_mode_two_from_lifecycle_and_names_not_from_planning_words():
    frame = pd.DataFrame({
        "name": ["AGV fleet", "Robot mower pilot", "Production planning", "MES"],
        "used_for": ["Proof of Concept", "", "", "Production"],
        "install_status": ["Installed", "Installed", "Installed", "Installed"],
    }, dtype="str")
    assert classify(frame)["mode"].tolist() == [2, 2, 1, 1]


def test_purdue_levels_for_ot_only():
    frame = pd.DataFrame({"name": ["Flow transmitter", "Press PLC", "Line HMI",
                                   "Process historian", "SAP ERP"]}, dtype="str")
    out = classify(frame)
    assert out["purdue_level"].tolist()[:4] == [0, 1, 2, 3]
    assert pd.isna(out["purdue_level"].iloc[4])


def test_override_kept_beside_model_label():
    frame = pd.DataFrame({"Name": ["Salesforce", "Kiosk"], "Purpose override": ["CT", None]},
                         dtype="str")
    out = classify(frame)
    assert out["Purpose override"].tolist()[0] == "CT"  # the input column is untouched
    assert effective_purpose(out).tolist() == ["CT", "CT"]
    summary = summarize(out)
    assert summary["purpose_counts"]["CT"] == 2
    assert summary["overrides"] == int(out["purpose"].iloc[0] != "CT")


def test_output_columns_added_after_every_input_column():
    frame = pd.DataFrame({"Name": ["PLC"], "Weird column": ["x"], "purpose": ["mine"]},
                         dtype="str")
    out = classify(frame)
    assert list(out.columns) == ["Name", "Weird column", "purpose_input", *OUTPUT_COLUMNS]
    assert out["purpose_input"].tolist() == ["mine"]


def test_user_taxonomy_file(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text("""
field_weights: {name: 1.0}
confidence: {hand_weight: 1.0, review_below: 0.5}
lexicon: null
purposes:
  IT: [widget]
  OT: [gizmo]
  CT: [thing]
""")
    taxonomy = load_taxonomy(path)
    assert taxonomy.lexicon is None and taxonomy.ambiguous_above == 1.0
    out = classify(pd.DataFrame({"name": ["gizmo", "widget", "thing"]}, dtype="str"), taxonomy)
    assert out["purpose"].tolist() == ["OT", "IT", "CT"]
    assert not out["evidence"].str.contains("learned").any()


@pytest.mark.parametrize("text, message", [
    ("purposes: {XT: [a]}\nfield_weights: {name: 1}\nconfidence: {}", "unknown purpose"),
    ("purposes: {IT: [a, a]}\nfield_weights: {name: 1}\n"
     "confidence: {review_below: 0.5}", "appears twice"),
    ("purposes: {IT: [a b c d]}\nfield_weights: {name: 1}\n"
     "confidence: {review_below: 0.5}", "4 words"),
    ("purposes: {IT: [a]}\nfield_weights: {name: 1}\n"
     "confidence: {strength_scale: 1, review_below: 0.5}", "unknown setting"),
    ("purposes: {IT: [a]}\nfield_weights: {name: 1}\n"
     "confidence: {review_below: 0.5, contested_review: maybe}", "true or false"),
    ("purposes: {IT: [a]}\nfield_weights: {name: 1}\nlexicon: [a]\n"
     "confidence: {review_below: 0.5}", "not a path"),
    ("purposes: {IT: [a]}\nfield_weights: {name: 1}\nlexicon: ''\n"
     "confidence: {review_below: 0.5}", "key 'lexicon': empty"),
    ("purposes: {IT: [a]}\nfield_weights: {name: 1}\nlexicon: nothere.csv\n"
     "confidence: {review_below: 0.5}", "no lexicon file at"),
    ("purposes: {IT: [a]}\nfield_weights: {name: 1}\n"
     "confidence: {review_below: 0.5, hand_weight: .inf}", "finite number"),
    ("purposes: {IT: [a]}\nfield_weights: {name: -1}\nconfidence: {}", "out of range"),
    ("purposes: {IT: [a]}\nfield_weights: {nme: 1}\nconfidence: {}", "unknown field"),
    ("purpose: {}", "unknown key"),
])
def test_bad_taxonomy_names_file_and_key(tmp_path, text, message):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(TaxonomyError) as caught:
        load_taxonomy(path)
    assert "bad.yaml" in str(caught.value) and message in str(caught.value)


def test_phrase_matching_whole_words_plural_and_three_word_phrases():
    column = TokenisedColumn(pd.Series(["Robots on the shop-floor", "shopping", None,
                                        "Programmable logic controllers"], dtype="str"))
    phrases = [normalise_phrase(p) for p in
               ("robot", "shop floor", "shop", "programmable logic controller")]
    value, phrase = column.match(phrases)
    found = {(int(v), int(p)) for v, p in zip(value, phrase)}
    codes = column.codes
    assert codes[2] == -1  # missing never matches
    assert found == {(codes[0], 0), (codes[0], 1), (codes[0], 2), (codes[3], 3)}


# -------------------------------------------------------------------------- invariants

WORDS = ["PLC", "HMI", "ERP", "kiosk", "customer", "app", "sensor", "payroll", "robot",
         "CRM", "pilot", "SaaS", "Siemens", "staff", "guests", "plant floor", "", "x"]
text = st.lists(st.sampled_from(WORDS), min_size=0, max_size=4).map(" ".join)
portfolios = st.lists(
    st.fixed_dictionaries({"Name": text.filter(bool), "Description": text, "Used by": text,
                           "Hosting": text, "Status": st.sampled_from(["Live", "Pilot", ""])}),
    min_size=1, max_size=25).map(lambda rows: pd.DataFrame(rows, dtype="str"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(portfolios, st.randoms(use_true_random=False))
def test_row_count_order_and_ranges(frame, random):
    out = classify(frame, TAXONOMY)
    assert len(out) == len(frame)
    assert out.index.equals(frame.index)
    assert out["Name"].tolist() == frame["Name"].tolist()
    assert out["confidence"].between(0, 1).all()
    assert set(out["purpose"].astype(str)) <= {"IT", "OT", "CT"}
    assert (out["runner_up"].astype(str) != out["purpose"].astype(str)).all()
    assert out["mode"].isin([1, 2]).all()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(portfolios, st.randoms(use_true_random=False))
def test_independent_of_row_order(frame, random):
    order = list(range(len(frame)))
    random.shuffle(order)
    shuffled = frame.iloc[order]
    a = classify(frame, TAXONOMY).iloc[order].reset_index(drop=True)
    b = classify(shuffled, TAXONOMY).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)  # values, dtypes and the categories of evidence


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(portfolios, st.lists(st.booleans(), min_size=5, max_size=5))
def test_independent_of_column_name_case(frame, upper):
    renamed = frame.rename(columns={c: c.upper() if u else c.lower()
                                    for c, u in zip(frame.columns, upper)})
    a = classify(frame, TAXONOMY)[list(OUTPUT_COLUMNS)]
    b = classify(renamed, TAXONOMY)[list(OUTPUT_COLUMNS)]
    pd.testing.assert_frame_equal(a.astype(str), b.astype(str))


def test_identical_inputs_identical_outputs():
    frame = pd.DataFrame({"Name": ["PLC", "Kiosk", "ERP"] * 3}, dtype="str")
    first, second = classify(frame), classify(frame.copy())
    pd.testing.assert_frame_equal(first, second)
    assert first.iloc[0:3].astype(str).values.tolist() == first.iloc[3:6].astype(str).values.tolist()


def test_empty_portfolio():
    out = classify(pd.DataFrame({"Name": pd.Series([], dtype="str")}))
    assert len(out) == 0 and list(out.columns) == ["Name", *OUTPUT_COLUMNS]


def test_progress_reports_every_stage():
    seen = []
    classify(pd.DataFrame({"Name": ["PLC"], "Vendor": ["Siemens"]}, dtype="str"),
             progress=lambda stage, done, total: seen.append((done, total)))
    assert [d for d, _ in seen] == list(range(1, seen[-1][1] + 1))


def test_confidence_is_the_softmax_of_hand_scores_and_learned_weights():
    lexicon = Lexicon(fields=("name",), phrases=(("plc",),),
                      weights=np.array([[0.0, 0.0, 1.0, 0.5, 0.0, 0.0]]),
                      bias=np.array([0.2, -1.0, 0.1, -1.0, 0.0, -0.5]), source="test")
    taxonomy = dataclasses.replace(TAXONOMY, prior={"IT": 0.0, "OT": 0.0, "CT": 0.0})
    row = classify(pd.DataFrame({"name": ["plc"]}, dtype="str"), taxonomy,
                   lexicon=lexicon).iloc[0]
    hand = np.array([0.0, 0.0, 3.0, 3.0, 0.0, 0.0]) * taxonomy.field_weights["name"]  # "plc": 3
    logits = lexicon.bias + lexicon.weights[0] + taxonomy.hand_weight * hand
    p = np.exp(logits) / np.exp(logits).sum()
    assert row.purpose == "OT"
    assert row.confidence == pytest.approx(p[2] + p[3], abs=1e-4)
    assert f"ambiguous {p[1] + p[3] + p[5]:.0%}" in row.evidence
    assert "learned name:plc" in row.evidence
    alone = classify(pd.DataFrame({"name": ["plc"]}, dtype="str"), taxonomy,
                     lexicon=EMPTY).iloc[0]  # hand cues alone: two equal classes a purpose
    e = np.exp(taxonomy.hand_weight * 3.0 * taxonomy.field_weights["name"])
    assert alone.confidence == pytest.approx(e / (e + 2), abs=1e-4)


def test_plural_forms_meet_their_singular_cue():
    rows = pd.DataFrame({"name": ["Item"] * 4,
                         "users": ["families", "family", "parents", "parent"]})
    out = classify(rows, TAXONOMY)
    assert out["purpose"].tolist() == ["CT"] * 4
    assert out["evidence"][0] == out["evidence"][1]
    assert normalise_phrase("Switches, boxes, batteries, caches") == normalise_phrase(
        "switch box battery cache")
    assert normalise_phrase("access bus") == ("access", "bus")


def test_tokeniser_gives_one_answer_for_trailing_spaces():
    # pyarrow 26's utf8_split_whitespace sometimes kept the trailing space of the last value
    # ("siemens " unstemmed, so the cue "siemens" missed it) in about one call of three
    column = pd.Series(["pilot", " kiosk", "payroll customer app robot", "sensor robot",
                        "SaaS PLC", "pilot pilot", "customer ERP SaaS", "HMI", "ERP robot", "x",
                        "customer ", "app ERP kiosk", "Siemens "], dtype="str")
    answers = {tuple(TokenisedColumn(column)._lookup) for _ in range(60)}
    assert answers == {("pilot", "kiosk", "payroll", "customer", "app", "robot", "sensor", "saa",
                        "plc", "erp", "hmi", "x", "siemen")}
    owner, _, vocabulary = _tokenise(pa.array(["", "  a  b ", "x"]))
    assert owner.tolist() == [1, 1, 2] and vocabulary.tolist() == ["a", "b", "x"]


@given(st.lists(st.text(alphabet="abcehiosxy", min_size=1, max_size=9), min_size=1, max_size=25))
@settings(max_examples=300, deadline=None)
def test_vectorised_tokeniser_folds_plurals_exactly_as_stem(words):
    # the classifier stems in Arrow (segment._tokenise); cues are stemmed in Python
    # (taxonomy.stem): both must give every word the same form, or a cue silently misses
    text = " ".join(words)
    _, token_ids, vocabulary = _tokenise(pa.array([text]))
    assert tuple(vocabulary[token_ids]) == normalise_phrase(text)


@given(st.lists(st.text(st.characters(categories=["L", "N"]) | st.sampled_from("iesxchy"),
                        min_size=1, max_size=9), min_size=1, max_size=40))
@settings(max_examples=300, deadline=None)
def test_arrow_plural_folding_equals_python_stem_on_any_letters(words):
    # the rule table itself, bypassing lower-casing and splitting: RE2 (Arrow) and Python's re
    # must read every pattern alike on any letters or digits, not only ASCII
    assert fold_plurals(pa.array(words)).to_pylist() == [stem(w) for w in words]


def test_review_rule_says_the_taxonomys_thresholds():
    shipped = load_taxonomy()
    assert review_rule(shipped) == (
        f"flagged when the likeliest purpose is under {100 * shipped.review_below:.3g}% likely "
        f"or the chance that it depends on use is {100 * shipped.ambiguous_above:.3g}% or more")
    own = dataclasses.replace(shipped, review_below=0.6, ambiguous_above=0.25,
                              contested_review=True)
    assert review_rule(own) == ("flagged when the likeliest purpose is under 60% likely, the "
                                "chance that it depends on use is 25% or more, or its evidence "
                                "names contested technology")
    # without a lexicon the chance of depending on use is not estimated, so not part of the rule
    assert review_rule(dataclasses.replace(own, lexicon=None, contested_review=False)) == (
        "flagged when the likeliest purpose is under 60% likely")
