"""A learned lexicon: word and word-pair weights fitted on labelled technology items.

The hand cues of the taxonomy say what the authors know; the lexicon says what labelled
examples show. It is a multinomial logistic regression over binary features: a phrase of one
or two words found in a field (``name:plc``), or in any field (``*:plc``, counted once per
field that has it). Each feature has a weight for each of six classes, the purposes crossed
with the difficulty of telling them (``IT clear``, ``IT ambiguous``, ``OT clear``, ...), so one
model gives both the purpose and the chance that the item's purpose depends on its use.

The lexicon is data, like the taxonomy: a CSV file (``techseg_lib/data/lexicon.csv`` ships
with techseg; ``scripts/train_lexicon.py`` rebuilds it from the development split of
``data/eval``) that a user can read, edit, replace, or fit on their own labelled items with
:func:`fit_lexicon`. Phrases are stored as the classifier's tokens: lower case, plurals
folded (:func:`techseg_lib.taxonomy.stem`).
"""
from __future__ import annotations

import csv
import functools
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import TaxonomyError
from .portfolio import PURPOSES
from .taxonomy import FIELDS, normalise_phrase, read_data_file

DIFFICULTIES = ("clear", "ambiguous")
CLASSES = tuple(f"{p} {d}" for p in PURPOSES for d in DIFFICULTIES)
"""The six classes, in weight-column order: ``IT clear``, ``IT ambiguous``, ``OT clear``, ..."""

ANY_FIELD = "*"
"""Field name of a feature that counts in every field."""

BIAS = "(bias)"
"""Field name of the one row of the lexicon file that holds the intercepts."""

MAX_LEXICON_WORDS = 2
"""Longest lexicon phrase, in words (hand cues may have up to
:data:`techseg_lib.taxonomy.MAX_WORDS`)."""

MIN_WORD_LENGTH = 2
"""Shortest word a feature may hold, in characters: single letters and digits (the "s" of
"What's", the "7" of "Model 7") are not features, as they say nothing of purpose."""

DEFAULT_LEXICON = "lexicon.csv"


@dataclass(frozen=True, eq=False)  # arrays inside: compare lexicons by identity
class Lexicon:
    """Learned feature weights.

    Attributes
    ----------
    fields : tuple of str, length n_features
        Canonical field of each feature (one of :data:`~techseg_lib.taxonomy.FIELDS`), or
        :data:`ANY_FIELD`.
    phrases : tuple of tuple of str, length n_features
        Each feature's phrase as classifier tokens (1 to :data:`MAX_LEXICON_WORDS` words).
    weights : ndarray of float, shape (n_features, 6)
        Weight of each feature for each of :data:`CLASSES` (log-odds units).
    bias : ndarray of float, shape (6,)
        Intercept of each class.
    source : str
        Where the lexicon was read from, or how it was made.
    """

    fields: tuple
    phrases: tuple
    weights: np.ndarray
    bias: np.ndarray
    source: str

    def __len__(self) -> int:
        return len(self.phrases)

    def for_field(self, field: str) -> tuple[np.ndarray, tuple[tuple[str, ...], ...]]:
        """Indices (int64) and phrases of the features that count in ``field``."""
        return self._by_field.get(field, self._by_field[ANY_FIELD])

    @functools.cached_property
    def _by_field(self) -> dict:
        fields = np.asarray(self.fields, dtype=object)
        out = {}
        for field in (*FIELDS, ANY_FIELD):
            index = np.flatnonzero((fields == field) | (fields == ANY_FIELD))
            out[field] = (index, tuple(self.phrases[i] for i in index))
        return out

    @functools.cached_property
    def votes(self) -> np.ndarray:
        """How much each feature favours each purpose, shape (n_features, 3): the mean of the
        purpose's two class weights minus the mean of all six (positive: for the purpose).
        A summary for the evidence text, not the model: a feature that moves weight between a
        purpose's clear and ambiguous classes has a vote near 0."""
        per_purpose = self.weights.reshape(len(self), len(PURPOSES), len(DIFFICULTIES)).mean(2)
        return per_purpose - per_purpose.mean(1, keepdims=True)

    @functools.cached_property
    def favours(self) -> np.ndarray:
        """Index in PURPOSES of the purpose each feature favours most, shape (n_features,)."""
        return self.votes.argmax(axis=1) if len(self) else np.empty(0, dtype=np.int64)

    @functools.cached_property
    def pull(self) -> np.ndarray:
        """Each feature's vote for the purpose it favours most, shape (n_features,)."""
        return self.votes.max(axis=1) if len(self) else np.empty(0)

    def label(self, index: int) -> str:
        """A feature as shown in evidence, e.g. ``name:plc`` or ``*:smart meter``."""
        return f"{self.fields[index]}:{' '.join(self.phrases[index])}"


EMPTY = Lexicon((), (), np.zeros((0, len(CLASSES))), np.zeros(len(CLASSES)), "(no lexicon)")
"""A lexicon with no features: the classifier then uses the hand cues alone, and estimates no
probability of ambiguity (only the confidence and contested rules flag items for review)."""


# ------------------------------------------------------------------------------ file format

def load_lexicon(path: str | Path | None = None) -> Lexicon:
    """Read a lexicon CSV (default: the one shipped with techseg).

    The file has a header ``field,phrase,IT clear,IT ambiguous,OT clear,OT ambiguous,CT clear,
    CT ambiguous``; one row per feature and one row whose field is ``(bias)``.

    Raises
    ------
    TaxonomyError
        Naming the file, the line and the column, and how to fix it.
    """
    source, text = read_data_file(path, DEFAULT_LEXICON, "lexicon")
    reader = csv.reader(io.StringIO(text))
    header = ["field", "phrase", *CLASSES]
    try:
        first = next(reader, [])
    except csv.Error as err:
        raise TaxonomyError(f"{source}: line {reader.line_num}: not CSV ({err}). "
                            "Fix: start from the shipped lexicon.csv") from None
    if [h.strip() for h in first] != header:
        raise TaxonomyError(f"{source}: line 1: the header must be {','.join(header)}. "
                            "Fix: start from the shipped lexicon.csv")
    fields, phrases, weights, bias, seen = [], [], [], None, set()
    allowed = (*FIELDS, ANY_FIELD)
    stable: dict[str, bool] = {}  # word -> already in classifier form (checked once a word)
    while True:
        try:
            row = next(reader, None)
        except csv.Error as err:
            raise TaxonomyError(f"{source}: line {reader.line_num}: not CSV ({err}). "
                                "Fix: one row per feature, cells separated by commas") from None
        if row is None:
            break
        line = reader.line_num  # the file line where the row ends
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise TaxonomyError(f"{source}: line {line}: {len(row)} cells, expected "
                                f"{len(header)}. Fix: one cell per column of the header")
        field, phrase_text = row[0].strip(), row[1]
        values = []
        for column, cell in zip(CLASSES, row[2:]):
            try:
                value = float(cell)
            except ValueError:
                value = float("nan")
            if not np.isfinite(value):
                raise TaxonomyError(f"{source}: line {line}, column {column!r}: {cell!r} is not "
                                    "a finite number. Fix: write a weight such as 0.5 or -1.2")
            values.append(value)
        if field == BIAS:
            if phrase_text.strip():
                raise TaxonomyError(f"{source}: line {line}, column 'phrase': the (bias) row "
                                    "has no phrase. Fix: leave the cell empty")
            if bias is not None:
                raise TaxonomyError(f"{source}: line {line}, column 'field': a second (bias) "
                                    "row. Fix: keep one")
            bias = np.array(values)
            continue
        if field not in allowed:
            raise TaxonomyError(f"{source}: line {line}, column 'field': unknown field "
                                f"{field!r}. Fix: use one of {', '.join(allowed)} or {BIAS}")
        phrase = _stored_phrase(phrase_text, stable)
        if not 1 <= len(phrase) <= MAX_LEXICON_WORDS:
            raise TaxonomyError(f"{source}: line {line}, column 'phrase': {phrase_text!r} has "
                                f"{len(phrase)} words. Fix: use 1 to {MAX_LEXICON_WORDS} words")
        if (field, phrase) in seen:
            raise TaxonomyError(f"{source}: line {line}, column 'phrase': {field}:{phrase_text} "
                                "appears twice. Fix: keep one row per field and phrase")
        seen.add((field, phrase))
        fields.append(field)
        phrases.append(phrase)
        weights.append(values)
    if bias is None:
        raise TaxonomyError(f"{source}: no {BIAS} row. Fix: add a row whose field is {BIAS} "
                            "with the six intercepts (zeros if unsure)")
    return Lexicon(tuple(fields), tuple(phrases),
                   np.array(weights, dtype=np.float64).reshape(len(fields), len(CLASSES)),
                   bias, source)


def _stored_phrase(text: str, stable: dict) -> tuple[str, ...]:
    """``normalise_phrase(text)``, without its regular expressions when ``text`` is already in
    the form :func:`save_lexicon` writes (words in classifier form, one space apart)."""
    words = text.split(" ")
    for word in words:
        if word not in stable:
            stable[word] = normalise_phrase(word) == (word,)
        if not stable[word]:
            return normalise_phrase(text)
    return tuple(words)


def save_lexicon(lexicon: Lexicon, path: str | Path, *, decimals: int = 3) -> None:
    """Write ``lexicon`` as CSV (the format :func:`load_lexicon` reads), features sorted by
    field then phrase so that a retrained file diffs cleanly."""
    order = sorted(range(len(lexicon)), key=lambda i: (lexicon.fields[i], lexicon.phrases[i]))
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["field", "phrase", *CLASSES])
        writer.writerow([BIAS, "", *(f"{w:.{decimals}f}" for w in lexicon.bias)])
        for i in order:
            writer.writerow([lexicon.fields[i], " ".join(lexicon.phrases[i]),
                             *(f"{w:.{decimals}f}" for w in lexicon.weights[i])])


# -------------------------------------------------------------------------------- features

def _value_phrases(column) -> tuple[np.ndarray, np.ndarray]:
    """Every distinct phrase of 1 to :data:`MAX_LEXICON_WORDS` words in each distinct value of a
    :class:`~techseg_lib.segment.TokenisedColumn`: ``(value_index, phrase)``, phrase as
    words joined by a space (object array), each pair once."""
    owner, tokens = column._owner, column._tokens
    vocabulary = np.asarray(column._lookup, dtype=object)
    values, phrases = [owner], [vocabulary[tokens]]
    for n in range(2, MAX_LEXICON_WORDS + 1):
        starts = np.flatnonzero(owner[: len(owner) - n + 1] == owner[n - 1:])
        text = vocabulary[tokens[starts]]
        for k in range(1, n):
            text = text + " " + vocabulary[tokens[starts + k]]
        values.append(owner[starts])
        phrases.append(text)
    pairs = pd.DataFrame({"value": np.concatenate(values),
                          "phrase": np.concatenate(phrases)}).drop_duplicates()
    return pairs["value"].to_numpy(np.int64), pairs["phrase"].to_numpy(object)


def _row_features(frame: pd.DataFrame) -> pd.DataFrame:
    """(row, field, phrase) for every phrase of every scored field of ``frame``."""
    from .segment import TokenisedColumn, _columns_for  # segment imports this module

    columns = _columns_for(frame)
    parts = []
    for field in FIELDS:
        if field not in columns:
            continue
        column = TokenisedColumn(frame[columns[field][0]].astype("str"))
        value, phrase = _value_phrases(column)
        held = column.codes >= 0
        rows = pd.DataFrame({"row": np.flatnonzero(held), "value": column.codes[held]})
        found = rows.merge(pd.DataFrame({"value": value, "phrase": phrase}), on="value")
        parts.append(found[["row", "phrase"]].assign(field=field))
    if not parts:
        return pd.DataFrame({"row": np.empty(0, np.int64), "field": [], "phrase": []})
    return pd.concat(parts, ignore_index=True)


def fit_lexicon(frame: pd.DataFrame, purpose, ambiguous, *, min_rows: int = 1,
                keep_rows: int = 2, l2: float = 1.0, max_iter: int = 2000) -> Lexicon:
    """Fit a lexicon on labelled items.

    Parameters
    ----------
    frame : DataFrame, shape (n_items, n_columns)
        Items with any of the classifier's text columns (``name``, ``description``,
        ``category``, ``users``, ``deployment``, ``vendor``, ``tags``; any header spelling the
        loader accepts).
    purpose : array-like of str, shape (n_items,)
        The label of each item: IT, OT or CT.
    ambiguous : array-like of bool, shape (n_items,)
        Whether the item's purpose depends on how it is used.
    min_rows : int, default 1
        A feature is fitted only if at least this many items have it.
    keep_rows : int, default 2
        A fitted feature is kept in the result only if at least this many items have it.
        Rarer features are still fitted: they absorb what is peculiar to a few items, so
        the common features' weights stay general. Dropping them keeps the file small.
    l2 : float, default 1.0
        Strength of the L2 penalty on the feature weights (the intercepts are not penalised);
        larger gives smaller, smoother weights.
    max_iter : int, default 2000
        Iterations of L-BFGS.

    Returns
    -------
    Lexicon
        Deterministic: the same items give the same weights. The intercepts are shifted so
        that every purpose has the same prior (the clear/ambiguous split within a purpose is
        kept): an item with no known words takes its purpose from the taxonomy's ``prior``.
    """
    from scipy import optimize, sparse

    purpose = pd.Series(np.asarray(purpose, dtype=object))
    ambiguous = pd.Series(np.asarray(ambiguous, dtype=object))
    if len(purpose) != len(frame) or len(ambiguous) != len(frame):
        raise ValueError("purpose and ambiguous need one entry per item of frame")
    bad = np.flatnonzero(~purpose.isin(PURPOSES).to_numpy())
    if len(bad):
        raise ValueError(f"unknown purpose labels {sorted(set(purpose[bad]))} at positions "
                         f"{bad[:10].tolist()}: use IT, OT or CT")
    # a string such as "False" would silently be truthy: accept only booleans (or 0 and 1)
    bad = np.flatnonzero(~ambiguous.map(lambda v: isinstance(v, (bool, np.bool_))
                                        or (isinstance(v, (int, np.integer)) and v in (0, 1))
                                        ).to_numpy(bool))
    if len(bad):
        raise ValueError(f"ambiguous must be true/false (or 1/0); got {ambiguous[bad[0]]!r} at "
                         f"positions {bad[:10].tolist()}")
    ambiguous = ambiguous.to_numpy(bool)
    codes = pd.Categorical(purpose, categories=list(PURPOSES)).codes.astype(np.int64)
    target = codes * len(DIFFICULTIES) + ambiguous.astype(np.int64)

    pairs = _row_features(frame)
    anywhere = pairs.drop_duplicates(["row", "field", "phrase"]).assign(field=ANY_FIELD)
    pairs = pd.concat([pairs, anywhere], ignore_index=True)
    # keep features that enough distinct items have, and whose phrase is stored stably
    support = pairs.drop_duplicates(["row", "field", "phrase"]).groupby(
        ["field", "phrase"]).size()
    kept = support[support >= min_rows].index.to_frame(index=False)
    # keep phrases stored stably (normalising them again gives the same words) and of words
    # of at least MIN_WORD_LENGTH characters; the test runs once per distinct word
    words = pd.Series(kept["phrase"].str.split(" "))
    vocabulary = pd.Index(words.explode().unique())
    good_word = pd.Series([len(w) >= MIN_WORD_LENGTH and normalise_phrase(w) == (w,)
                           for w in vocabulary], index=vocabulary)
    stable = words.explode().map(good_word).groupby(level=0).all().to_numpy(bool)
    kept = kept[stable].sort_values(["field", "phrase"], ignore_index=True)
    kept["feature"] = np.arange(len(kept))
    kept["support"] = support.reindex(pd.MultiIndex.from_frame(kept[["field", "phrase"]])
                                      ).to_numpy()
    pairs = pairs.merge(kept, on=["field", "phrase"], how="inner")
    n, k, c = len(frame), len(kept), len(CLASSES)
    design = sparse.csr_matrix((np.ones(len(pairs)), (pairs["row"], pairs["feature"])),
                               shape=(n, k))  # duplicates sum: a '*' phrase counts per field
    onehot = np.zeros((n, c))
    onehot[np.arange(n), target] = 1.0

    def loss(theta):
        weights, bias = theta[: k * c].reshape(k, c), theta[k * c:]
        logits = design @ weights + bias
        logits -= logits.max(1, keepdims=True)
        log_p = logits - np.log(np.exp(logits).sum(1, keepdims=True))
        value = -(onehot * log_p).sum() + 0.5 * l2 * (weights ** 2).sum()
        residual = np.exp(log_p) - onehot
        grad_w = design.T @ residual + l2 * weights
        return value, np.concatenate([np.asarray(grad_w).ravel(), residual.sum(0)])

    result = optimize.minimize(loss, np.zeros(k * c + c), jac=True, method="L-BFGS-B",
                               options={"maxiter": max_iter})
    converged = "" if result.success else f", not converged after {result.nit} iterations"
    theta = result.x
    weights, bias = theta[: k * c].reshape(k, c), theta[k * c:]
    # give every purpose the same total intercept (log-sum-exp of its two classes), keeping the
    # split between clear and ambiguous: an item without known words then takes its purpose
    # from the taxonomy's prior, not from the balance of purposes in the labelled items
    per_purpose = bias.reshape(len(PURPOSES), len(DIFFICULTIES))
    top = per_purpose.max(axis=1, keepdims=True)
    total = top + np.log(np.exp(per_purpose - top).sum(axis=1, keepdims=True))
    bias = (per_purpose - total).ravel()
    shipped = (kept["support"] >= keep_rows).to_numpy()
    kept = kept[shipped]
    phrases = tuple(tuple(p.split(" ")) for p in kept["phrase"])
    return Lexicon(tuple(kept["field"]), phrases, weights[shipped], bias,
                   f"fitted on {n} items ({k} features, {len(kept)} kept, l2={l2:g}"
                   f"{converged})")
