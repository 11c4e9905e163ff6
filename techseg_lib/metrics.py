"""Classification quality measures for the evaluation set and for analysts' own labels."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .portfolio import PURPOSES


def classification_report(truth: pd.Series, predicted: pd.Series, flagged: pd.Series,
                          ambiguous: pd.Series) -> dict:
    """Macro-F1, per-purpose precision/recall/F1 and review-flag rates.

    Parameters
    ----------
    truth, predicted : Series of str, shape (n,)
        Labels IT / OT / CT.
    flagged : Series of bool, shape (n,)
        ``needs_review`` from the classifier.
    ambiguous : Series of bool, shape (n,)
        True for items whose purpose depends on use (the evaluation set's ``difficulty``).

    Returns
    -------
    dict
        ``macro_f1``, ``accuracy``, ``macro_f1_clear`` (floats 0-1), ``per_purpose``
        {purpose: {precision, recall, f1, support}}, ``review_rate_clear`` and
        ``review_rate_ambiguous`` (shares 0-1; NaN when there are no such items).
    """
    truth = np.asarray(truth, dtype=object)
    predicted = np.asarray(predicted, dtype=object)
    flagged = np.asarray(flagged, dtype=bool)
    ambiguous = np.asarray(ambiguous, dtype=bool)

    def per_purpose(t, p):
        rows = {}
        for purpose in PURPOSES:
            tp = int(((p == purpose) & (t == purpose)).sum())
            predicted_n, support = int((p == purpose).sum()), int((t == purpose).sum())
            precision = tp / predicted_n if predicted_n else 0.0
            recall = tp / support if support else 0.0
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
            rows[purpose] = {"precision": precision, "recall": recall, "f1": f1,
                             "support": support}
        return rows

    rows = per_purpose(truth, predicted)
    clear_rows = per_purpose(truth[~ambiguous], predicted[~ambiguous])
    return {
        "macro_f1": float(np.mean([r["f1"] for r in rows.values()])),
        "macro_f1_clear": float(np.mean([r["f1"] for r in clear_rows.values()])),
        "accuracy": float((truth == predicted).mean()) if len(truth) else float("nan"),
        "per_purpose": rows,
        "review_rate_clear": float(flagged[~ambiguous].mean()) if (~ambiguous).any()
        else float("nan"),
        "review_rate_ambiguous": float(flagged[ambiguous].mean()) if ambiguous.any()
        else float("nan"),
    }
