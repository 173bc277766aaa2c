"""k-nearest-neighbours imputation with the NaN-aware Euclidean distance."""

from __future__ import annotations

import numbers

import numpy as np

from ..base import BaseEstimator, TransformerMixin
from ..feature_selection._base import _feature_names_in
from ..utils.validation import check_is_fitted
from ._base import _check_missing_values, _finite_rule, _ImputerIndicatorMixin, _missing_mask

#: Entries of one block of the distance matrix (128 MiB of float64): rows of X are
#: processed in chunks so that memory stays bounded whatever the number of samples.
_CHUNK_ENTRIES = 2**24


def _nan_euclidean(X, mask_X, Y, mask_Y) -> np.ndarray:
    """NaN-aware Euclidean distances between the rows of X and Y.

    Only the coordinates present in both rows count, and the squared distance is
    scaled up to all n coordinates:

        d(x, y) = sqrt( n / |P| · Σ_{k∈P} (x_k − y_k)² ),   P = {k : x_k, y_k present},

    NaN when P is empty. The sum is expanded as ‖x‖² − 2 x·y + ‖y‖² over the zero-filled
    rows (one matrix product), minus the squares of the coordinates present on one side
    only. The operations follow scikit-learn's ``nan_euclidean_distances`` one by one, so
    the distances agree to the last bit and ties between neighbours break identically.
    """
    X = np.where(mask_X, 0.0, X)
    Y = np.where(mask_Y, 0.0, Y)
    XX = np.einsum("ij,ij->i", X, X)[:, None]
    YY = np.einsum("ij,ij->i", Y, Y)[None, :]
    d = -2 * (X @ Y.T)
    d += XX
    d += YY
    np.maximum(d, 0, out=d)
    d -= np.dot(X * X, mask_Y.T.astype(np.float64))
    d -= np.dot(mask_X.astype(np.float64), (Y * Y).T)
    np.clip(d, 0, None, out=d)
    present = np.dot((~mask_X).astype(np.float64), (~mask_Y).T.astype(np.float64))
    d[present == 0] = np.nan
    np.maximum(1, present, out=present)
    d /= present
    d *= X.shape[1]
    return np.sqrt(d, out=d)


class KNNImputer(_ImputerIndicatorMixin, TransformerMixin, BaseEstimator):
    """Impute each missing entry from the k nearest training samples that have it.

    For a sample x missing feature j, the donors are the ``n_neighbors`` training
    samples nearest to x (NaN-aware Euclidean distance, see below) among those
    where feature j is present; the imputed value is their (weighted) mean

        x̂_j = Σ_i w_i z_ij / Σ_i w_i,   w_i = 1 ("uniform") or 1/d(x, z_i) ("distance").

    With ``weights="distance"`` a donor at distance 0 takes all the weight. The
    distance between two rows uses the coordinates present in both, scaled to all
    n features: d = sqrt(n/|P| · Σ_{k∈P} (x_k − z_k)²). A sample with no defined
    distance to any donor gets the column's training mean. Columns entirely
    missing in ``fit`` are dropped (or set to 0 with ``keep_empty_features``).
    Distances are computed in blocks of rows so memory stays bounded.

    Parameters
    ----------
    missing_values : float, default=np.nan
        The marker of missing entries (NaN, or a number such as -1).
    n_neighbors : int, default=5
    weights : {"uniform", "distance"} or callable, default="uniform"
        A callable maps an array of donor distances to weights of the same shape.
    metric : {"nan_euclidean"}, default="nan_euclidean"
    copy : bool, default=True
        If False, ``transform`` may impute a float array in place.
    add_indicator : bool, default=False
        Append a :class:`MissingIndicator` block to the output.
    keep_empty_features : bool, default=False

    Attributes
    ----------
    indicator_ : MissingIndicator or None
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.impute import KNNImputer
    >>> X = [[1.0, 2.0, np.nan], [3.0, 4.0, 3.0], [np.nan, 6.0, 5.0], [8.0, 8.0, 7.0]]
    >>> KNNImputer(n_neighbors=2).fit_transform(X)
    array([[1. , 2. , 4. ],
           [3. , 4. , 3. ],
           [5.5, 6. , 5. ],
           [8. , 8. , 7. ]])
    """

    # The training data is the model: persisted as private arrays.
    _persist_private = ("_fit_X", "_mask_fit_X", "_valid_mask")

    def __init__(self, *, missing_values: float = np.nan, n_neighbors: int = 5,
                 weights="uniform", metric: str = "nan_euclidean", copy: bool = True,
                 add_indicator: bool = False, keep_empty_features: bool = False):
        self.missing_values = missing_values
        self.n_neighbors = n_neighbors
        self.weights = weights
        self.metric = metric
        self.copy = copy
        self.add_indicator = add_indicator
        self.keep_empty_features = keep_empty_features

    def _check_params(self) -> None:
        _check_missing_values(self)
        k = self.n_neighbors
        if isinstance(k, bool) or not isinstance(k, numbers.Integral) or k < 1:
            raise ValueError(f"n_neighbors={k!r} must be a positive integer.")
        if not (callable(self.weights) or self.weights in ("uniform", "distance")):
            raise ValueError(
                f"weights={self.weights!r} is not supported; use 'uniform', 'distance' or a "
                "callable."
            )
        if self.metric != "nan_euclidean":
            raise ValueError(f"metric={self.metric!r} is not supported; use 'nan_euclidean'.")

    def fit(self, X, y=None):
        """Store the training data (the donors) and its missing mask."""
        self._check_params()
        X = self._validate_data(X, dtype="float",
                                ensure_all_finite=_finite_rule(self.missing_values))
        self._fit_X = X.astype(np.float64, copy=True)
        self._mask_fit_X = _missing_mask(self._fit_X, self.missing_values)
        self._valid_mask = ~self._mask_fit_X.all(axis=0)
        self._fit_indicator(self._mask_fit_X)
        return self

    def _weights(self, dist: np.ndarray) -> np.ndarray:
        if self.weights == "uniform":
            w = np.ones_like(dist)
            w[np.isnan(dist)] = 0.0
            return w
        if self.weights == "distance":
            with np.errstate(divide="ignore"):
                w = 1.0 / dist
            inf = np.isinf(w)
            rows = inf.any(axis=1)
            w[rows] = inf[rows]  # a donor at distance 0: it alone decides
        else:
            w = np.asarray(self.weights(dist), dtype=np.float64)
        w[np.isnan(w)] = 0.0
        return w

    def _impute_block(self, X, mask, rows, dist) -> None:
        """Fill the missing entries of X[rows] (in place) from their distances to the donors."""
        fit_X, mask_fit = self._fit_X, self._mask_fit_X
        for col in np.flatnonzero(self._valid_mask):
            need = mask[rows, col]
            if not need.any():
                continue
            donors = np.flatnonzero(~mask_fit[:, col])
            receivers = np.flatnonzero(need)
            d = dist[np.ix_(receivers, donors)]
            # No defined distance to any donor: fall back on the column's mean.
            no_dist = np.isnan(d).all(axis=1)
            if no_dist.any():
                X[rows[receivers[no_dist]], col] = fit_X[donors, col].mean()
                receivers, d = receivers[~no_dist], d[~no_dist]
                if not receivers.size:
                    continue
            k = min(self.n_neighbors, donors.size)
            nearest = np.argpartition(d, k - 1, axis=1)[:, :k]
            w = self._weights(np.take_along_axis(d, nearest, axis=1))
            values = fit_X[donors, col][nearest]
            X[rows[receivers], col] = (values * w).sum(axis=1) / w.sum(axis=1)

    def transform(self, X) -> np.ndarray:
        """Impute every missing entry of X from its nearest training samples."""
        check_is_fitted(self)
        X = self._validate_data(X, reset=False, dtype="float", copy=self.copy,
                                ensure_all_finite=_finite_rule(self.missing_values))
        mask = _missing_mask(X, self.missing_values)
        valid = self._valid_mask
        rows_missing = np.flatnonzero(mask[:, valid].any(axis=1))
        if rows_missing.size:
            fit_X, mask_fit = self._fit_X, self._mask_fit_X
            chunk = max(1, _CHUNK_ENTRIES // max(1, fit_X.shape[0]))
            for start in range(0, rows_missing.size, chunk):
                rows = rows_missing[start:start + chunk]
                dist = _nan_euclidean(X[rows].astype(np.float64), mask[rows], fit_X, mask_fit)
                self._impute_block(X, mask, rows, dist)
        if self.keep_empty_features:
            X[:, ~valid] = 0
            out = X
        else:
            out = X[:, valid]
        return self._with_indicator(out, mask)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Names of the kept features, then ``missingindicator_<name>`` columns."""
        check_is_fitted(self, method="get_feature_names_out")
        names = _feature_names_in(self, input_features)
        return self._indicator_names(names[self._valid_mask], input_features)
