"""Binning continuous features into intervals (KBinsDiscretizer) with a 1-D k-means."""

from __future__ import annotations

import numbers
import warnings

import numpy as np

from ..base import BaseEstimator, TransformerMixin
from ..exceptions import ConvergenceWarning
from ..utils.validation import check_array, check_is_fitted, check_random_state
from ._scalers_base import _feature_names_in

_ENCODINGS = ("onehot", "onehot-dense", "ordinal")
_STRATEGIES = ("uniform", "quantile", "kmeans")
_QUANTILE_METHODS = (
    "inverted_cdf", "averaged_inverted_cdf", "closest_observation",
    "interpolated_inverted_cdf", "hazen", "weibull", "linear", "median_unbiased",
    "normal_unbiased",
)
_DTYPES = {None: None, np.float64: np.float64, np.float32: np.float32,
           "float64": np.float64, "float32": np.float32}


class KBinsDiscretizer(TransformerMixin, BaseEstimator):
    """Bin each continuous feature into intervals; output bin indices or one-hot codes.

    Feature j gets edges e_0 < e_1 < ... < e_k and x falls in bin b when
    e_b <= x < e_{b+1} (the outer edges are open-ended at transform time). The
    edges come from one of three strategies:

    * ``"uniform"``: k equal-width bins between the column's min and max;
    * ``"quantile"``: e_b = the (100 b / k)-th percentile, so bins hold about equally
      many samples (``quantile_method`` is NumPy's percentile method);
    * ``"kmeans"``: 1-D k-means (Lloyd) started from the uniform bin centres, edges
      halfway between consecutive centres (see :func:`kmeans_1d`); a column needs at
      least n_bins samples.

    Bins narrower than 1e-8 (duplicate quantiles or centres) are removed with a
    warning, and a constant feature gets a single bin (−∞, ∞), as in scikit-learn.
    A feature whose whole range is <= 1e-8 keeps one bin [min, max] (scikit-learn is
    left with zero bins there, and its transform fails).

    Parameters
    ----------
    n_bins : int or array-like of shape (n_features,), default=5
        Number of bins per feature, >= 2.
    encode : {"onehot", "onehot-dense", "ordinal"}, default="onehot"
        ``"ordinal"``: the bin index. ``"onehot"`` and ``"onehot-dense"``: one column
        per bin. scratchml has no sparse matrices yet, so ``"onehot"`` also returns a
        dense array (scikit-learn returns a sparse one).
    strategy : {"uniform", "quantile", "kmeans"}, default="quantile"
    quantile_method : str, default="averaged_inverted_cdf"
        Method of ``numpy.percentile`` for ``strategy="quantile"``; the default is
        scikit-learn 1.9's (before 1.7 it used ``"linear"``: pass that to get the old
        edges).
    dtype : {None, numpy.float32, numpy.float64, "float32", "float64"}, default=None
        Output dtype; None keeps the input's float dtype. Strings persist with
        ``scratchml.save``; NumPy type objects do not.
    subsample : int or None, default=200_000
        Fit on this many rows drawn with replacement when X has more; None uses all.
    random_state : int, Generator or None
        Seeds the subsample draw (scratchml's draws differ from scikit-learn's).

    Attributes
    ----------
    bin_edges_ : ndarray of object, shape (n_features,)
        ``bin_edges_[j]`` is the float array of edges of feature j.
    n_bins_ : ndarray of int, shape (n_features,)
        Bins per feature after removing too-narrow ones.

    Notes
    -----
    Deviations from scikit-learn: no ``sample_weight``; ``"onehot"`` output is
    dense; ``inverse_transform`` maps a constant feature to its value where
    scikit-learn returns NaN; rows beyond ``subsample`` are drawn with scratchml's
    generator.

    Examples
    --------
    >>> from scratchml.preprocessing import KBinsDiscretizer
    >>> X = [[0.0], [1.0], [2.0], [3.0]]
    >>> KBinsDiscretizer(2, encode="ordinal", strategy="uniform").fit_transform(X).ravel()
    array([0., 0., 1., 1.])
    """

    def __init__(self, n_bins=5, *, encode: str = "onehot", strategy: str = "quantile",
                 quantile_method: str = "averaged_inverted_cdf", dtype=None,
                 subsample: int | None = 200_000, random_state=None):
        self.n_bins = n_bins
        self.encode = encode
        self.strategy = strategy
        self.quantile_method = quantile_method
        self.dtype = dtype
        self.subsample = subsample
        self.random_state = random_state

    def _check_params(self):
        for name, allowed in (("encode", _ENCODINGS), ("strategy", _STRATEGIES),
                              ("quantile_method", _QUANTILE_METHODS)):
            if getattr(self, name) not in allowed:
                raise ValueError(f"{name} must be one of {allowed}, got {getattr(self, name)!r}.")
        try:
            known = self.dtype in _DTYPES
        except TypeError:  # unhashable
            known = False
        if not known:
            raise ValueError(f"dtype must be None, numpy.float32, numpy.float64, 'float32' or "
                             f"'float64', got {self.dtype!r}.")
        s = self.subsample
        if s is not None and not (isinstance(s, numbers.Integral) and s >= 1):
            raise ValueError(f"subsample must be a positive int or None, got {s!r}.")

    def _validate_n_bins(self, n_features: int) -> np.ndarray:
        n_bins = self.n_bins
        if isinstance(n_bins, numbers.Integral) and not isinstance(n_bins, bool):
            if n_bins < 2:
                raise ValueError(f"n_bins must be an int >= 2, got {n_bins}.")
            return np.full(n_features, int(n_bins), dtype=np.int64)
        arr = np.asarray(n_bins)
        if arr.ndim != 1 or arr.shape[0] != n_features:
            raise ValueError(f"n_bins must be an int or an array of shape ({n_features},) "
                             f"(one per feature), got shape {arr.shape}.")
        if arr.dtype.kind not in "iuf" or np.any(arr != np.round(arr)) or np.any(arr < 2):
            bad = np.flatnonzero((arr != np.round(arr)) | (arr < 2)) if arr.dtype.kind in "iuf" \
                else np.arange(len(arr))
            raise ValueError(f"n_bins has invalid values at indices {bad.tolist()}: each "
                             "number of bins must be an int >= 2.")
        return arr.astype(np.int64)

    def fit(self, X, y=None):
        """Compute the bin edges of every feature of X."""
        self._check_params()
        X = self._validate_data(X)
        n_samples, n_features = X.shape
        if self.subsample is not None and n_samples > self.subsample:
            rng = check_random_state(self.random_state)
            # With replacement, as scikit-learn's resample: keeps the distribution.
            X = X[rng.integers(0, n_samples, size=self.subsample)]
        n_bins = self._validate_n_bins(n_features)
        edges = np.empty(n_features, dtype=object)
        constants = np.full(n_features, np.nan)
        for j in range(n_features):
            column = X[:, j]
            col_min, col_max = column.min(), column.max()
            if col_min == col_max:
                warnings.warn(f"Feature {j} is constant and will be replaced with 0.",
                              stacklevel=2)
                n_bins[j] = 1
                edges[j] = np.array([-np.inf, np.inf])
                constants[j] = col_min
                continue
            if self.strategy == "uniform":
                edges[j] = np.linspace(col_min, col_max, n_bins[j] + 1)
            elif self.strategy == "quantile":
                levels = np.linspace(0, 100, n_bins[j] + 1)
                edges[j] = np.asarray(
                    np.percentile(column, levels, method=self.quantile_method), dtype=np.float64
                )
            else:
                uniform = np.linspace(col_min, col_max, n_bins[j] + 1)
                init = (uniform[1:] + uniform[:-1]) * 0.5
                centers = np.sort(kmeans_1d(column, init, feature=j))
                edges[j] = np.r_[col_min, (centers[1:] + centers[:-1]) * 0.5, col_max]
            if self.strategy != "uniform":
                keep = np.ediff1d(edges[j], to_begin=np.inf) > 1e-8
                if keep.sum() < 2:  # range <= 1e-8: one bin (scikit-learn keeps 0 and breaks)
                    keep[-1] = True
                edges[j] = edges[j][keep]
                if len(edges[j]) - 1 != n_bins[j]:
                    warnings.warn(
                        f"Bins whose width are too small (i.e., <= 1e-8) in feature {j} are "
                        "removed. Consider decreasing the number of bins.", stacklevel=2
                    )
                    n_bins[j] = len(edges[j]) - 1
        self.bin_edges_ = edges
        self.n_bins_ = n_bins
        self._constant_values_ = constants
        return self

    def transform(self, X):
        """Bin index of every value (``"ordinal"``), or its one-hot code."""
        check_is_fitted(self)
        dtype = _DTYPES[self.dtype] or "float"
        Xt = self._validate_data(X, reset=False, dtype=dtype, copy=True)
        for j, edges in enumerate(self.bin_edges_):
            # side="right": a value equal to an inner edge starts the next bin.
            Xt[:, j] = np.searchsorted(edges[1:-1], Xt[:, j], side="right")
        if self.encode == "ordinal":
            return Xt
        offsets = np.concatenate(([0], np.cumsum(self.n_bins_)[:-1]))
        out = np.zeros((Xt.shape[0], int(self.n_bins_.sum())), dtype=Xt.dtype)
        rows = np.arange(Xt.shape[0])[:, None]
        out[rows, offsets + Xt.astype(np.intp)] = 1
        return out

    def inverse_transform(self, X):
        """Map bin indices (or one-hot codes) back to the centres of their bins."""
        check_is_fitted(self)
        n_bins = self.n_bins_
        codes = check_array(X, dtype=(np.float64, np.float32), copy=True, estimator=self)
        if self.encode != "ordinal":
            codes = self._decode_onehot(codes)
        if codes.shape[1] != len(n_bins):
            raise ValueError(f"X has {codes.shape[1]} features, but KBinsDiscretizer was "
                             f"fitted with {len(n_bins)} features.")
        bad = (codes != np.round(codes)) | (codes < 0) | (codes >= n_bins)
        if bad.any():
            cols = np.flatnonzero(bad.any(axis=0)).tolist()
            raise ValueError(f"X has values that are not bin indices in columns {cols}: "
                             f"column j must hold integers in [0, n_bins_[j]).")
        for j, edges in enumerate(self.bin_edges_):
            if np.isnan(self._constant_values_[j]):
                centers = (edges[1:] + edges[:-1]) * 0.5
            else:  # the bin (−∞, ∞) of a constant feature has no centre: use the value
                centers = np.array([self._constant_values_[j]])
            codes[:, j] = centers[codes[:, j].astype(np.intp)]
        return codes

    def _decode_onehot(self, X: np.ndarray) -> np.ndarray:
        total = int(self.n_bins_.sum())
        if X.shape[1] != total:
            raise ValueError(f"X has {X.shape[1]} columns, but the one-hot encoding of "
                             f"KBinsDiscretizer has {total} (sum of n_bins_).")
        bounds = np.cumsum(self.n_bins_)[:-1]
        codes = np.empty((X.shape[0], len(self.n_bins_)), dtype=X.dtype)
        for j, block in enumerate(np.split(X, bounds, axis=1)):
            valid = np.all((block == 0) | (block == 1), axis=1) & (block.sum(axis=1) == 1)
            if not valid.all():
                raise ValueError(f"Rows {np.flatnonzero(~valid)[:5].tolist()} of X are not "
                                 f"one-hot codes for feature {j}: each block of n_bins_[j] "
                                 "columns must hold a single 1.")
            codes[:, j] = block.argmax(axis=1)
        return codes

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Input names (``"ordinal"``) or ``"<name>_<bin>.0"`` per one-hot column."""
        check_is_fitted(self, "n_features_in_")
        names = _feature_names_in(self, input_features)
        if self.encode == "ordinal":
            return names
        return np.asarray([f"{name}_{float(b)}" for name, k in zip(names, self.n_bins_)
                           for b in range(k)], dtype=object)


def kmeans_1d(x: np.ndarray, init: np.ndarray, *, max_iter: int = 300, tol: float = 1e-4,
              feature: int = 0) -> np.ndarray:
    """Lloyd's k-means on one feature; returns the centres (unsorted, like scikit-learn's).

    Alternates the two steps of Lloyd's algorithm, minimising Σ_i (x_i − c_{label_i})²:

    * assignment: label_i = argmin_j (c_j² − 2 x_i c_j), i.e. the nearest centre
      (|x − c|² without the constant x²; the lowest index wins a tie);
    * update: c_j = mean of the points labelled j.

    It follows scikit-learn's ``KMeans(init=init, n_init=1)`` step for step, so the
    same start gives the same centres: the data is centred on its mean first, the
    loop stops when the labels stop changing or when Σ_j (shift of c_j)² <=
    tol · Var(x), and an empty cluster is re-seeded with the point farthest from its
    centre. On data with points exactly halfway between two centres, scikit-learn's
    choice depends on rounding (and on its thread count for > 256 samples), so the
    results can differ there.
    """
    k, n = len(init), len(x)
    if n < k:
        raise ValueError(f"Feature {feature} has {n} samples, fewer than the {k} bins that "
                         "strategy='kmeans' needs; lower n_bins.")
    tol = float(np.var(x)) * tol
    mean = x.mean()
    xc = x - mean
    centers = init.astype(x.dtype) - mean
    labels_old = None
    for _ in range(max_iter):
        labels = _nearest_center(xc, centers)
        sums = np.bincount(labels, weights=xc, minlength=k)
        counts = np.bincount(labels, minlength=k).astype(np.float64)
        empty = np.flatnonzero(counts == 0)
        if len(empty):
            _relocate_empty(xc, centers, labels, sums, counts, empty)
        new = _average(sums, counts).astype(x.dtype)
        shift = float(np.sum((new - centers) ** 2))
        centers = new
        if labels_old is not None and np.array_equal(labels, labels_old):
            break
        if shift <= tol:
            break
        labels_old = labels
    n_distinct = len(np.unique(_nearest_center(xc, centers)))
    if n_distinct < k:
        warnings.warn(f"Number of distinct clusters ({n_distinct}) found smaller than "
                      f"n_clusters ({k}) in feature {feature}. Possibly due to duplicate points "
                      "in X.", ConvergenceWarning, stacklevel=3)
    return centers + mean


def _average(sums: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Cluster means; a cluster still empty after relocation copies the biggest one.

    scikit-learn's loop visits clusters in order, so an empty cluster placed before
    the biggest one copies its not-yet-divided sum: reproduced here for equal results.
    """
    means = sums.copy()
    filled = counts > 0
    means[filled] *= 1.0 / counts[filled]
    biggest = int(np.argmax(counts))
    for j in np.flatnonzero(~filled):
        means[j] = means[biggest] if biggest < j else sums[biggest]
    return means


def _nearest_center(xc: np.ndarray, centers: np.ndarray) -> np.ndarray:
    """argmin_j c_j² − 2 x c_j, rounded as scikit-learn's GEMM-based version, by row chunks."""
    sq = centers * centers
    labels = np.empty(len(xc), dtype=np.intp)
    step = max(1, (1 << 16) // len(centers))  # bounded n x k temporaries
    for start in range(0, len(xc), step):
        rows = slice(start, start + step)
        labels[rows] = np.argmin(sq - 2 * np.multiply.outer(xc[rows], centers), axis=1)
    return labels


def _relocate_empty(xc, centers, labels, sums, counts, empty):
    """Re-seed each empty cluster with one of the points farthest from their centre."""
    n_empty = len(empty)
    dist = (xc - centers[labels]) ** 2
    if dist.max() == 0:  # fewer distinct values than clusters: nothing to move
        return
    far = np.argpartition(dist, -n_empty)[: -n_empty - 1 : -1]  # scikit-learn's selection
    for new_id, i in zip(empty, far):
        old_id = labels[i]
        sums[old_id] -= xc[i]
        counts[old_id] -= 1
        sums[new_id] = xc[i]
        counts[new_id] = 1
