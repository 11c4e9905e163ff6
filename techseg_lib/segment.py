"""Classify technology items into IT / OT / CT, with confidence, evidence and review flags.

The deciding question is what the technology acts on: information for the organisation's own
people (IT), physical processes and things (OT), or customers (CT). Each purpose gets a score:
its prior plus, for every cue of the taxonomy found in a field, the cue's weight times the
field's weight (structured columns such as ``users`` and ``category`` weigh more than free
text). The winner's margin over the runner-up and the winner's strength give the confidence::

    confidence = (1 - exp(-s1 / strength_scale)) * (s1 - s2) / s1        (0 when s1 = 0)

where ``s1`` and ``s2`` are the best and second-best scores. Items below the taxonomy's
``review_below`` are flagged ``needs_review`` rather than guessed silently.

Everything is vectorised: each text column is factorised, only its distinct values are
tokenised (with pyarrow compute kernels), and phrases of up to three words are found by joining
n-gram keys against the cue table. No Python loop runs per row.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .portfolio import PURPOSES, SYNONYMS, fold, resolve_columns
from .taxonomy import FIELDS, MAX_WORDS, Taxonomy, load_taxonomy

OUTPUT_COLUMNS = ("purpose", "confidence", "runner_up", "evidence", "needs_review",
                  "shadow_it", "mode", "purdue_level")
"""Columns :func:`classify` adds, in this order."""

Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)``: called as each stage of :func:`classify` completes."""


# ------------------------------------------------------------------------- phrase matching

def _tokenise(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Tokenise distinct text values.

    Returns ``(owner, token_ids, vocabulary)``: for every token in reading order the index of
    the value it came from, its id in ``vocabulary`` (an array of distinct stemmed tokens).
    """
    array = pa.array(values, type=pa.large_string(), from_pandas=True)
    words = pc.utf8_split_whitespace(
        pc.replace_substring_regex(pc.utf8_lower(array), r"[^\p{L}\p{N}]+", " "))
    lengths = pc.list_value_length(words).fill_null(0).to_numpy(zero_copy_only=False)
    flat = pc.list_flatten(words)
    flat = pc.replace_substring_regex(flat, r"^(.{2,}[^s])s$", r"\1")  # == taxonomy.stem
    encoded = pc.dictionary_encode(flat).combine_chunks() if isinstance(
        flat, pa.ChunkedArray) else pc.dictionary_encode(flat)
    owner = np.repeat(np.arange(len(values), dtype=np.int64), lengths.astype(np.int64))
    token_ids = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    vocabulary = encoded.dictionary.to_numpy(zero_copy_only=False)
    return owner, token_ids, vocabulary


class PhraseMatcher:
    """Find phrases of 1 to :data:`MAX_WORDS` words in text, vectorised over distinct values.

    Parameters
    ----------
    phrases : sequence of tuple of str
        Normalised phrases (see :func:`techseg_lib.taxonomy.normalise_phrase`).
    """

    def __init__(self, phrases: Sequence[tuple[str, ...]]):
        self.phrases = tuple(phrases)

    def match_values(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """All (value index, phrase index) pairs where the phrase occurs in the value.

        Parameters
        ----------
        values : ndarray of str, shape (n_values,)
            Distinct text values (no missing values).

        Returns
        -------
        value_index, phrase_index : ndarray of int64, shape (n_matches,)
            Each pair once, sorted by value then phrase.
        """
        empty = np.empty(0, dtype=np.int64)
        if len(values) == 0 or not self.phrases:
            return empty, empty
        owner, token_ids, vocabulary = _tokenise(values)
        lookup = pd.Index(vocabulary)
        found_value, found_phrase = [], []
        for n in range(1, MAX_WORDS + 1):
            wanted = [i for i, p in enumerate(self.phrases) if len(p) == n]
            if not wanted or len(token_ids) < n:
                continue
            # phrase word ids; a phrase with a word absent from the text can never match
            ids = np.stack([lookup.get_indexer([self.phrases[i][k] for i in wanted])
                            for k in range(n)], axis=1)
            present = (ids >= 0).all(axis=1)
            if not present.any():
                continue
            ids, wanted = ids[present], np.asarray(wanted)[present]
            size = np.int64(len(vocabulary) + 1)
            starts = np.arange(len(token_ids) - n + 1)
            same_value = owner[starts] == owner[starts + n - 1]
            starts = starts[same_value]
            text_key = np.zeros(len(starts), dtype=np.int64)
            phrase_key = np.zeros(len(ids), dtype=np.int64)
            for k in range(n):  # mixed-radix key of the n word ids (at most 3 passes)
                text_key = text_key * size + token_ids[starts + k]
                phrase_key = phrase_key * size + ids[:, k]
            order = np.argsort(phrase_key, kind="stable")
            left = np.searchsorted(phrase_key[order], text_key, side="left")
            right = np.searchsorted(phrase_key[order], text_key, side="right")
            hits = right > left
            counts = (right - left)[hits]
            # expand each hit to every phrase with that key (several purposes may share one)
            first = np.repeat(left[hits], counts)
            offset = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
            found_value.append(np.repeat(owner[starts[hits]], counts))
            found_phrase.append(wanted[order[first + offset]])
        if not found_value:
            return empty, empty
        pairs = pd.DataFrame({"v": np.concatenate(found_value),
                              "p": np.concatenate(found_phrase)}).drop_duplicates()
        pairs = pairs.sort_values(["v", "p"], kind="stable")
        return pairs["v"].to_numpy(), pairs["p"].to_numpy()

    def match_column(self, column: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Factorise ``column`` and match its distinct values.

        Returns
        -------
        codes : ndarray of int64, shape (n_rows,)
            Index of each row's value in the distinct values, -1 where missing.
        value_index, phrase_index : ndarray of int64
            As in :meth:`match_values`.
        """
        codes, uniques = pd.factorize(column, use_na_sentinel=True)
        values = np.asarray(uniques, dtype=object)
        value_index, phrase_index = self.match_values(values)
        return codes.astype(np.int64), value_index, phrase_index

    def any_in(self, column: pd.Series) -> np.ndarray:
        """Boolean mask, shape (n_rows,): the row's value contains one of the phrases."""
        codes, value_index, _ = self.match_column(column)
        hit = np.zeros(int(codes.max(initial=-1)) + 2, dtype=bool)
        hit[value_index + 1] = True
        return hit[codes + 1]


# -------------------------------------------------------------------------------- classify

def _columns_for(frame: pd.DataFrame) -> dict[str, list[str]]:
    """Canonical field -> every input header that maps to it (best first)."""
    best = resolve_columns(frame.columns)
    spelled = {fold(s): field for field, spellings in SYNONYMS.items() for s in spellings}
    found: dict[str, list[str]] = {}
    for header in frame.columns:
        field = spelled.get(fold(header))
        if field is not None:
            found.setdefault(field, []).append(header)
    for field, header in best.items():
        found[field].remove(header)
        found[field].insert(0, header)
    return found


def _text(frame: pd.DataFrame, header: str) -> pd.Series:
    column = frame[header]
    return column if isinstance(column.dtype, pd.StringDtype) else column.astype("str")


def _any_phrase(frame, headers, phrases) -> np.ndarray:
    mask = np.zeros(len(frame), dtype=bool)
    if phrases:
        matcher = PhraseMatcher(phrases)
        for header in headers:
            mask |= matcher.any_in(_text(frame, header))
    return mask


def classify(frame: pd.DataFrame, taxonomy: Taxonomy | str | None = None, *,
             progress: Progress | None = None) -> pd.DataFrame:
    """Classify every item of a portfolio by purpose.

    Parameters
    ----------
    frame : DataFrame, shape (n_items, n_columns)
        A portfolio as :func:`~techseg_lib.portfolio.load_portfolio` returns it (any header
        spelling in :data:`~techseg_lib.portfolio.SYNONYMS`; a name column is required).
    taxonomy : Taxonomy or path, optional
        The cue file; default the one shipped with techseg.
    progress : callable, optional
        ``progress(stage, done, total)`` after each stage, for a progress bar.

    Returns
    -------
    DataFrame, shape (n_items, n_columns + 8)
        Every input column unchanged and in order, then :data:`OUTPUT_COLUMNS`:

        ``purpose`` (str) IT, OT or CT · ``confidence`` (float, 0-1) · ``runner_up`` (str) the
        second-best purpose · ``evidence`` (str) the cues that decided, e.g.
        ``OT <- category:plc (x2.0), name:line hmi | CT <- none`` · ``needs_review`` (bool)
        weak or conflicting evidence · ``shadow_it`` (bool) SaaS or personal device in use
        without IT's sanction · ``mode`` (int 1 or 2) bimodal mode, 2 for pilots, proofs of
        concept, experiments, new builds · ``purdue_level`` (Int64, 0-3) for OT items whose
        level can be told, else missing.

        An input column that already bears one of these names (re-classifying an output) is
        kept under the name ``<name>_input``. Identical inputs give identical outputs; the
        result does not depend on row order or on the case of the headers.
    """
    if not isinstance(taxonomy, Taxonomy):
        taxonomy = load_taxonomy(taxonomy)
    columns = _columns_for(frame)
    if "name" not in columns:
        raise ValueError("the portfolio has no name column; load it with load_portfolio() "
                         "to get a message that says how to fix it")
    n = len(frame)
    purpose_index = {p: i for i, p in enumerate(PURPOSES)}
    cue_purpose = np.array([purpose_index[c.purpose] for c in taxonomy.cues], dtype=np.int64)
    cue_weight = np.array([c.weight for c in taxonomy.cues], dtype=np.float64)
    cue_label = np.array([c.text for c in taxonomy.cues], dtype=object)
    matcher = PhraseMatcher([c.phrase for c in taxonomy.cues])
    scored = [f for f in FIELDS if f in columns and f in taxonomy.field_weights]
    stages = len(scored) + 3
    step = 0

    scores = np.tile(np.array([taxonomy.prior[p] for p in PURPOSES]), (n, 1))
    # per field and purpose: the index of the strongest cue found in each row (-1: none)
    best_cue = np.full((len(scored), len(PURPOSES), n), -1, dtype=np.int64)
    for f, field in enumerate(scored):
        codes, value_index, cue_index = matcher.match_column(_text(frame, columns[field][0]))
        n_values = int(codes.max(initial=-1)) + 1
        value_scores = np.zeros((n_values + 1, len(PURPOSES)))
        np.add.at(value_scores, (value_index + 1, cue_purpose[cue_index]),
                  cue_weight[cue_index] * taxonomy.field_weights[field])
        scores += value_scores[codes + 1]
        # strongest cue per (value, purpose): sort by weight, keep the last of each group
        strongest = np.full((n_values + 1, len(PURPOSES)), -1, dtype=np.int64)
        order = np.lexsort((cue_index, cue_weight[cue_index]))
        strongest[value_index[order] + 1, cue_purpose[cue_index[order]]] = cue_index[order]
        best_cue[f] = strongest[codes + 1].T
        step += 1
        if progress:
            progress(f"cues in {field}", step, stages)

    # winner and runner-up; ties go to the earlier purpose in PURPOSES (IT, OT, CT)
    ranking = np.argsort(-scores, axis=1, kind="stable")
    winner, second = ranking[:, 0], ranking[:, 1]
    rows = np.arange(n)
    s1, s2 = scores[rows, winner], scores[rows, second]
    with np.errstate(invalid="ignore", divide="ignore"):
        margin = np.where(s1 > 0, (s1 - s2) / s1, 0.0)
    confidence = np.clip((1.0 - np.exp(-s1 / taxonomy.strength_scale)) * margin, 0.0, 1.0)
    purposes = np.array(PURPOSES, dtype=object)

    evidence = _evidence(best_cue, winner, second, scored, cue_label, cue_weight,
                         taxonomy.field_weights, purposes)
    step += 1
    if progress:
        progress("evidence", step, stages)

    mode = _mode(frame, columns, taxonomy)
    shadow = _shadow_it(frame, columns, taxonomy)
    step += 1
    if progress:
        progress("mode and shadow IT", step, stages)
    purdue = _purdue(frame, columns, taxonomy, winner == purpose_index["OT"])
    step += 1
    if progress:
        progress("Purdue levels", step, stages)

    out = frame.rename(columns={c: f"{c}_input" for c in OUTPUT_COLUMNS if c in frame.columns})
    added = pd.DataFrame({
        "purpose": pd.Series(purposes[winner], index=frame.index, dtype="str"),
        "confidence": pd.Series(np.round(confidence, 4), index=frame.index),
        "runner_up": pd.Series(purposes[second], index=frame.index, dtype="str"),
        "evidence": pd.Series(evidence, index=frame.index, dtype="str"),
        "needs_review": pd.Series(confidence < taxonomy.review_below, index=frame.index),
        "shadow_it": pd.Series(shadow, index=frame.index),
        "mode": pd.Series(mode, index=frame.index, dtype="int64"),
        "purdue_level": pd.Series(purdue, index=frame.index, dtype="Int64"),
    })
    result = pd.concat([out, added], axis=1)
    result.attrs = dict(frame.attrs)
    return result


def _evidence(best_cue, winner, second, scored, cue_label, cue_weight, field_weights,
              purposes) -> np.ndarray:
    """One readable string per row, built once per distinct combination of deciding cues."""
    n = winner.shape[0]
    if n == 0:
        return np.empty(0, dtype=object)
    rows = np.arange(n)
    winner_cues = best_cue[:, winner, rows] if scored else np.empty((0, n), dtype=np.int64)
    second_cues = best_cue[:, second, rows] if scored else np.empty((0, n), dtype=np.int64)
    keys = np.vstack([winner[None, :], second[None, :], winner_cues, second_cues]).T
    combos, inverse = np.unique(keys, axis=0, return_inverse=True)
    k = len(scored)
    texts = np.empty(len(combos), dtype=object)
    for i, combo in enumerate(combos):  # one pass per distinct combination, not per row
        parts = []
        for purpose, cues in ((combo[0], combo[2:2 + k]), (combo[1], combo[2 + k:])):
            found = [f"{field}:{cue_label[c]} (x{cue_weight[c] * field_weights[field]:g})"
                     for field, c in zip(scored, cues) if c >= 0]
            parts.append(f"{purposes[purpose]} <- {', '.join(found) if found else 'none'}")
        if all(c < 0 for c in combo[2:]):
            parts = [f"no cue matched; {purposes[combo[0]]} by default (prior)"]
        texts[i] = " | ".join(parts)
    return texts[inverse.ravel()]


def _mode(frame, columns, taxonomy) -> np.ndarray:
    status_headers = columns.get("lifecycle", []) + columns.get("tags", [])
    text_headers = columns.get("name", [])[:1] + columns.get("description", [])[:1]
    exploratory = (_any_phrase(frame, status_headers, taxonomy.mode2_status)
                   | _any_phrase(frame, text_headers, taxonomy.mode2_text))
    return np.where(exploratory, 2, 1)


_YES = frozenset({"yes", "y", "true", "1", "approved", "sanctioned", "it approved", "managed"})


def _shadow_it(frame, columns, taxonomy) -> np.ndarray:
    """Shadow IT: not sanctioned by IT, and SaaS / a personal device or explicitly unsanctioned.

    ``explicit no``: a sanction column holds one of ``unsanctioned_values``, or tags / discovery
    source / owner carry an ``unsanctioned_cues`` phrase (e.g. "Unsanctioned", "SaaS discovery").
    ``explicit yes``: a sanction column says yes/approved. A personal device (BYOD) counts as
    shadow IT unless explicitly sanctioned; SaaS counts when there is explicit-no evidence.
    """
    n = len(frame)
    explicit_no = np.zeros(n, dtype=bool)
    explicit_yes = np.zeros(n, dtype=bool)
    for header in columns.get("sanctioned", []):
        value = _text(frame, header).str.strip().str.lower()
        explicit_no |= value.isin(taxonomy.unsanctioned_values).to_numpy()
        explicit_yes |= value.isin(_YES).to_numpy()
    cue_headers = columns.get("tags", []) + columns.get("source", []) + columns.get("owner", [])
    explicit_no |= _any_phrase(frame, cue_headers, taxonomy.unsanctioned_cues)
    text_headers = [h for f in ("name", "description", "deployment", "category", "tags", "users")
                    for h in columns.get(f, [])[:1]]
    personal = _any_phrase(frame, text_headers, taxonomy.personal_device_cues)
    return (explicit_no | personal) & ~explicit_yes


def _purdue(frame, columns, taxonomy, is_ot) -> pd.arrays.IntegerArray:
    """Purdue level 0-3 for OT rows: the highest level named in the first field that names one
    (category, then name, then description)."""
    level = np.full(len(frame), -1, dtype=np.int64)
    undecided = is_ot.copy()
    for field in ("category", "name", "description"):
        if field not in columns or not undecided.any():
            continue
        column = _text(frame, columns[field][0])
        found = np.full(len(frame), -1, dtype=np.int64)
        for purdue_level, phrases in sorted(taxonomy.purdue.items()):
            hit = PhraseMatcher(phrases).any_in(column)
            found = np.where(hit, purdue_level, found)  # ascending: the highest level wins
        take = undecided & (found >= 0)
        level[take] = found[take]
        undecided &= ~take
    return _int64_with_na(level)


def _int64_with_na(level: np.ndarray) -> pd.arrays.IntegerArray:
    return pd.arrays.IntegerArray(np.where(level >= 0, level, 0), level < 0)


# --------------------------------------------------------------------------------- summary

def effective_purpose(classified: pd.DataFrame) -> pd.Series:
    """The analyst's override where one is given (``purpose_override`` column), else the
    model's ``purpose``."""
    columns = resolve_columns(classified.columns)
    purpose = classified["purpose"]
    if "purpose_override" not in columns:
        return purpose
    override = classified[columns["purpose_override"]].astype("str").str.strip().str.upper()
    return override.where(override.isin(PURPOSES), purpose).astype("str")


def summarize(classified: pd.DataFrame) -> dict:
    """Counts and shares by purpose and by purpose x mode, review and shadow-IT counts.

    Parameters
    ----------
    classified : DataFrame
        Output of :func:`classify`.

    Returns
    -------
    dict
        ``items`` (int); ``purpose_counts`` {IT, OT, CT: int}; ``purpose_shares`` {IT, OT,
        CT: float 0-1, rounded to 4 places}; ``mode_counts`` {"IT": {"1": int, "2": int}, …};
        ``needs_review`` (int); ``shadow_it`` (int); ``overrides`` (int, items whose analyst
        override differs from the model). Shares use the effective purpose (override first).
    """
    purpose = effective_purpose(classified)
    counts = purpose.value_counts().reindex(list(PURPOSES), fill_value=0)
    total = int(len(classified))
    grid = pd.crosstab(purpose, classified["mode"]).reindex(
        index=list(PURPOSES), columns=[1, 2], fill_value=0)
    return {
        "items": total,
        "purpose_counts": {p: int(counts[p]) for p in PURPOSES},
        "purpose_shares": {p: round(float(counts[p]) / total, 4) if total else 0.0
                           for p in PURPOSES},
        "mode_counts": {p: {str(m): int(grid.loc[p, m]) for m in (1, 2)} for p in PURPOSES},
        "needs_review": int(classified["needs_review"].sum()),
        "shadow_it": int(classified["shadow_it"].sum()),
        "overrides": int((purpose != classified["purpose"]).sum()),
    }
