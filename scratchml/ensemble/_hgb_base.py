"""The boosting loop shared by the histogram gradient boosting classifier and regressor.

F_0 = the loss's best constant; at iteration m, with g, h the gradients and
hessians of the loss at F_{m-1}, one tree per output (per class for multiclass
log loss) is grown on the binned features (``_hgb_grower``) and

    F_m(x) = F_{m-1}(x) + learning_rate * tree_m(x).

With early stopping, a validation fraction is held out and boosting stops
when the validation score (minus the loss) has not improved by more than
``tol`` over the score ``n_iter_no_change`` iterations earlier.

Sample weights w_i (scikit-learn's semantics) multiply every g_i and h_i (a
constant hessian becomes h_i = w_i), weigh F_0, the bin quantiles and the
train / validation losses (the weights are split with their rows), and so the
``min_hessian`` of a split. ``min_samples_leaf`` still counts rows, weighted or
not, as scikit-learn's does; a zero weight therefore drops a row from every sum
but not from those counts.
"""

from __future__ import annotations

import numbers
import time

import numpy as np

from .._backend import get_kernel
from .._config import get_config
from ..base import BaseEstimator
from ..utils.validation import check_is_fitted, check_random_state
from . import _hist_kernels  # noqa: F401  (registers the kernels)
from ._hgb_binning import apply_bins, fit_bins
from ._hgb_grower import grow_tree, predict_tree
from ._hgb_loss import make_loss

# Rows the bin thresholds are fitted on (scikit-learn's subsample of the _BinMapper).
BIN_SUBSAMPLE = 200_000
# One tree rooted at node 0 and a zero baseline: ``hgb_predict`` then returns the
# tree's leaf values (0.0 + v == v exactly), added to the validation scores.
_ROOT = np.zeros((1, 1), dtype=np.intp)
_ZERO = np.zeros(1)
_TREE_KEYS = ("feature", "threshold", "missing_left", "left", "right", "value", "is_leaf")


def _check_param(est, name, kind, low, high=None, low_open=False, allow_none=False):
    value = getattr(est, name)
    if value is None and allow_none:
        return
    ok = isinstance(value, kind) and not isinstance(value, bool)
    if ok:
        ok = (value > low if low_open else value >= low) and (high is None or value <= high)
    if not ok:
        bound = f"> {low}" if low_open else f">= {low}"
        rng = bound + (f" and <= {high}" if high is not None else "")
        kinds = "a number" if kind is numbers.Real else "an integer"
        none = " or None" if allow_none else ""
        raise ValueError(
            f"{name}={value!r} is invalid in {type(est).__name__}: use {kinds} {rng}{none}."
        )


class BaseHistGradientBoosting(BaseEstimator):
    """Shared fitting and prediction; subclasses encode y and pick the loss."""

    _allowed_losses: tuple = ()

    def _validate_params(self):
        name = type(self).__name__
        if self.loss not in self._allowed_losses:
            raise ValueError(f"loss={self.loss!r} is not supported by {name}; use one of "
                             f"{list(self._allowed_losses)}.")
        _check_param(self, "learning_rate", numbers.Real, 0, low_open=True)
        _check_param(self, "max_iter", numbers.Integral, 1)
        _check_param(self, "max_leaf_nodes", numbers.Integral, 2, allow_none=True)
        _check_param(self, "max_depth", numbers.Integral, 1, allow_none=True)
        _check_param(self, "min_samples_leaf", numbers.Integral, 1)
        _check_param(self, "l2_regularization", numbers.Real, 0)
        _check_param(self, "max_bins", numbers.Integral, 2, 255)
        _check_param(self, "n_iter_no_change", numbers.Integral, 1)
        _check_param(self, "tol", numbers.Real, 0)
        if self.early_stopping not in ("auto", True, False):
            raise ValueError(f"early_stopping={self.early_stopping!r} is invalid in {name}: "
                             "use 'auto', True or False.")
        if self.scoring != "loss":
            raise ValueError(f"scoring={self.scoring!r} is not supported by {name}; only "
                             "'loss' (the negative loss) is.")
        v = self.validation_fraction
        if v is not None and not (
            (isinstance(v, numbers.Integral) and not isinstance(v, bool) and v >= 1)
            or (isinstance(v, numbers.Real) and 0 < v < 1)
        ):
            raise ValueError(f"validation_fraction={v!r} is invalid in {name}: use a fraction "
                             "in (0, 1), a number of samples >= 1, or None.")

    # -- fitting --------------------------------------------------------------------

    def _fit(self, X, y, n_classes, sample_weight=None):
        """Boost on validated X (float, NaN allowed) and encoded y (float or class index);
        ``sample_weight`` is a validated float64 array or None (the unweighted code)."""
        self._validate_params()
        if not np.isfinite(np.sum(y, dtype=np.float64)):
            raise ValueError(f"y contains NaN or infinity in {type(self).__name__}; drop "
                             "those samples or impute the target first.")
        rng = check_random_state(self.random_state)
        n = X.shape[0]
        es = self.early_stopping
        self.do_early_stopping_ = bool(n > 10_000 if es == "auto" else es)
        X_val = y_val = sw = sw_val = None
        if self.do_early_stopping_ and self.validation_fraction is not None:
            train, val = self._split(y, n_classes, rng)
            X, X_val, y, y_val = X[train], X[val], y[train], y[val]
            if sample_weight is not None:
                sw, sw_val = sample_weight[train], sample_weight[val]
        elif sample_weight is not None:
            sw = sample_weight

        loss = make_loss(self.loss, n_classes)
        K = loss.n_trees
        # Equal weights give the unweighted quantiles: take the unweighted code, so that
        # sample_weight=ones bins (and subsamples) exactly as no weights do.
        bin_sw = None if sw is None or np.all(sw == sw[:1]) else sw
        thresholds = fit_bins(X, self.max_bins, BIN_SUBSAMPLE, rng, self.n_jobs,
                              sample_weight=bin_sw)
        Xb = apply_bins(X, thresholds, self.n_jobs)
        nbnm = np.array([len(t) + 1 for t in thresholds], dtype=np.intp)
        has_missing = np.isnan(X).any(axis=0)
        hist_build, _ = get_kernel("hist_build")
        # The split search reads a small histogram that the CUDA twin of hist_build
        # returns to the host anyway, and the partition feeds the next histogram's
        # gather on the host: under backend="cuda" both run on the CPU.
        cuda = str(get_config()["backend"]).lower() == "cuda"
        best_split, _ = get_kernel("hist_best_split", backend="auto" if cuda else None)
        partition, _ = get_kernel("hist_partition", backend="auto" if cuda else None)
        predict_val, _ = get_kernel("hgb_predict", backend="auto" if cuda else None)

        self.n_trees_per_iteration_ = K
        self._baseline_prediction = loss.baseline(y, sw).astype(np.float64)
        raw = np.repeat(self._baseline_prediction[:, None], len(y), axis=1)
        raw_val = (None if X_val is None
                   else np.repeat(self._baseline_prediction[:, None], len(y_val), axis=1))
        g = np.empty((K, len(y)), dtype=np.float32)
        if loss.constant_hessian and sw is None:
            h = None  # the kernels count samples instead: the fast unweighted path
        else:
            h = np.empty((K, len(y)), dtype=np.float32)
            if loss.constant_hessian:
                h[...] = sw  # h_i = w_i * 1, the same every iteration
        trees: list[dict] = []
        train_scores, val_scores = [], []
        if self.do_early_stopping_:
            self._record_scores(loss, y, raw, y_val, raw_val, train_scores, val_scores,
                                sw, sw_val)
        start = time.perf_counter()
        for it in range(self.max_iter):
            loss.gradients(y, raw, g, h, sw)
            for k in range(K):
                arrays, leaves = grow_tree(
                    Xb, g[k], None if h is None else h[k], thresholds=thresholds,
                    n_bins_non_missing=nbnm, has_missing=has_missing,
                    max_leaf_nodes=self.max_leaf_nodes, max_depth=self.max_depth,
                    min_samples_leaf=self.min_samples_leaf, l2=float(self.l2_regularization),
                    shrinkage=float(self.learning_rate), hist_build=hist_build,
                    best_split=best_split, partition=partition, n_jobs=self.n_jobs)
                if loss.needs_leaf_update:
                    residual = y - raw[k]
                    for node, rows in leaves:
                        arrays["value"][node] = self.learning_rate * loss.leaf_value(
                            residual[rows], None if sw is None else sw[rows])
                for node, rows in leaves:
                    raw[k, rows] += arrays["value"][node]
                if raw_val is not None:
                    raw_val[k] += predict_val(X_val, arrays, _ROOT, _ZERO, n_jobs=self.n_jobs)[0]
                trees.append(arrays)
            stop = False
            if self.do_early_stopping_:
                self._record_scores(loss, y, raw, y_val, raw_val, train_scores, val_scores,
                                    sw, sw_val)
                stop = self._should_stop(val_scores if raw_val is not None else train_scores)
            if self.verbose:
                self._print_progress(it, trees[-K:], train_scores, val_scores, start)
            if stop:
                break
        self.n_iter_ = len(trees) // K
        self.train_score_ = np.asarray(train_scores, dtype=np.float64)
        self.validation_score_ = np.asarray(val_scores, dtype=np.float64)
        self._store_trees(trees)
        return self

    def _split(self, y, n_classes, rng):
        """Train / validation row indices (stratified for classifiers)."""
        n = len(y)
        v = self.validation_fraction
        n_val = int(v) if isinstance(v, numbers.Integral) else int(np.ceil(v * n))
        if not 0 < n_val < n:
            raise ValueError(f"validation_fraction={v!r} leaves {n - n_val} training and "
                             f"{n_val} validation samples out of {n}; both need at least one.")
        if n_classes is None:
            perm = rng.permutation(n)
            return np.sort(perm[n_val:]), np.sort(perm[:n_val])
        val = []
        for c in range(n_classes):
            rows = rng.permutation(np.flatnonzero(y == c))
            val.append(rows[: int(round(len(rows) * n_val / n))])
        val = np.sort(np.concatenate(val))
        train = np.setdiff1d(np.arange(n), val)
        return train, val

    @staticmethod
    def _record_scores(loss, y, raw, y_val, raw_val, train_scores, val_scores, sw, sw_val):
        train_scores.append(-loss.loss(y, raw, sw))
        if raw_val is not None:
            val_scores.append(-loss.loss(y_val, raw_val, sw_val))

    def _should_stop(self, scores) -> bool:
        """No score of the last n_iter_no_change beats the one before them by more than tol."""
        ref = self.n_iter_no_change + 1
        if len(scores) < ref:
            return False
        reference = scores[-ref] + self.tol
        return not any(s > reference for s in scores[-self.n_iter_no_change:])

    def _print_progress(self, it, trees, train_scores, val_scores, start):
        leaves = sum(int(t["is_leaf"].sum()) for t in trees)
        msg = f"[{it + 1}/{self.max_iter}] {len(trees)} tree(s), {leaves} leaves"
        if train_scores:
            msg += f", train loss: {-train_scores[-1]:.5f}"
        if val_scores:
            msg += f", val loss: {-val_scores[-1]:.5f}"
        print(msg + f", in {time.perf_counter() - start:.3f}s", flush=True)

    def _store_trees(self, trees):
        """Concatenate every tree's node arrays (child ids made absolute) into ``trees_``."""
        sizes = np.array([len(t["value"]) for t in trees], dtype=np.intp)
        starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.intp)
        out = {}
        for key in _TREE_KEYS:
            parts = [t[key] for t in trees]
            if key in ("left", "right"):
                parts = [np.where(t["is_leaf"], -1, t[key] + s) for t, s in zip(trees, starts)]
            out[key] = np.concatenate(parts) if parts else np.empty(0)
        self.trees_ = out
        self.tree_roots_ = starts.reshape(-1, self.n_trees_per_iteration_)

    # -- prediction -----------------------------------------------------------------

    def _check_X(self, X, method: str):
        check_is_fitted(self, method=method)
        return self._validate_data(X, reset=False, ensure_all_finite="allow-nan")

    def _staged_raw(self, X):
        """Raw predictions (n_trees_per_iteration, n_samples) after each iteration."""
        raw = np.repeat(self._baseline_prediction[:, None], X.shape[0], axis=1)
        for roots in self.tree_roots_:
            for k, root in enumerate(roots):
                raw[k] += predict_tree(self.trees_, int(root), X)
            yield raw.copy()

    def _raw_predict(self, X):
        """Raw predictions (n_trees_per_iteration, n_samples) of all the trees."""
        # No CUDA twin: under backend="cuda" the walk runs on the CPU.
        cuda = str(get_config()["backend"]).lower() == "cuda"
        predict, _ = get_kernel("hgb_predict", backend="auto" if cuda else None)
        return predict(X, self.trees_, self.tree_roots_, self._baseline_prediction,
                       n_jobs=self.n_jobs)

    _persist_private = ("_baseline_prediction",)
