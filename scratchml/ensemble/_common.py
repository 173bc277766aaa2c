"""Checks and out-of-bag scores shared by the forests, bagging and AdaBoost.

Out-of-bag (OOB) estimate: each training sample is predicted only by the members
that did not draw it. ``oob`` holds those mean predictions (NaN where no member left
the sample out) and ``seen`` marks the samples that have one; the score is
the accuracy (classifiers) or R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)² (regressors) over ``seen``.
"""

from __future__ import annotations

import numbers

import numpy as np


def check_n_estimators(n_estimators, est: str) -> None:
    """Raise the standard error unless ``n_estimators`` is an int >= 1."""
    ne = n_estimators
    if not isinstance(ne, numbers.Integral) or isinstance(ne, bool) or ne < 1:
        raise ValueError(f"n_estimators={ne!r} is invalid for {est}: use an int >= 1.")


class OOBClassifierMixin:
    """Stores ``oob_decision_function_`` and the OOB accuracy ``oob_score_``."""

    def _store_oob(self, oob, codes, seen):
        self.oob_decision_function_ = oob
        pred = np.argmax(oob[seen], axis=1)
        self.oob_score_ = float(np.mean(pred == codes[seen].astype(np.intp)))


class OOBRegressorMixin:
    """Stores ``oob_prediction_`` and the OOB R² ``oob_score_`` (0 for a constant y)."""

    def _store_oob(self, oob, y, seen):
        self.oob_prediction_ = oob[:, 0]
        resid = y[seen] - oob[seen, 0]
        total = y[seen] - y[seen].mean()
        denom = float(total @ total)
        self.oob_score_ = 1.0 - float(resid @ resid) / denom if denom > 0 else 0.0
