"""What every feature selector shares: a boolean support mask, and the column
selection, inverse and feature names that follow from it."""

from __future__ import annotations

import warnings

import numpy as np

from ..base import TransformerMixin
from ..utils.validation import check_array, check_is_fitted


def _feature_names_in(estimator, input_features=None) -> np.ndarray:
    """Input feature names as an object array (``x0, x1, ...`` when none were seen).

    As scikit-learn's ``_check_feature_names_in``: given names must match
    ``feature_names_in_`` when it exists, and their number ``n_features_in_``.
    """
    fitted = getattr(estimator, "feature_names_in_", None)
    n = estimator.n_features_in_
    if input_features is None:
        if fitted is not None:
            return np.asarray(fitted, dtype=object)
        return np.asarray([f"x{i}" for i in range(n)], dtype=object)
    names = np.asarray(input_features, dtype=object)
    if fitted is not None and (len(names) != len(fitted) or np.any(names != fitted)):
        raise ValueError(
            f"input_features {list(names)[:5]} do not match the feature names seen in fit "
            f"by {type(estimator).__name__} ({list(fitted)[:5]}). Pass None to use them."
        )
    if len(names) != n:
        raise ValueError(
            f"input_features has {len(names)} names, but {type(estimator).__name__} was "
            f"fitted with {n} features. Pass one name per input feature."
        )
    return names


def _centered_sum_of_squares(X: np.ndarray, center: np.ndarray) -> np.ndarray:
    """Σ_i (X[i, j] − center[j])² per column, in blocks of rows.

    Two-pass sums of squares avoid the cancellation of Σx² − n·x̄²; the blocks keep
    the centred temporary small (cache-sized) instead of a copy of all of X.
    """
    out = np.zeros(X.shape[1])
    step = max(1, 2**16 // max(1, X.shape[1]))
    for start in range(0, X.shape[0], step):
        D = X[start:start + step] - center
        out += np.einsum("ij,ij->j", D, D)
    return out


def _class_indices(y) -> tuple[np.ndarray, int]:
    """Labels 0..K−1 in the order of the sorted classes, and K.

    Small non-negative integer labels take a counting shortcut instead of a sort.
    """
    y = np.asarray(y).ravel()
    if y.dtype.kind in "iu" and y.size and y.min() >= 0 and y.max() < 4 * y.size + 1024:
        present = np.bincount(y) > 0
        code = np.cumsum(present) - 1
        return code[y].astype(np.intp), int(present.sum())
    classes, y_idx = np.unique(y, return_inverse=True)
    return y_idx.ravel().astype(np.intp), len(classes)


def _class_sums(X: np.ndarray, y_idx: np.ndarray, n_classes: int) -> np.ndarray:
    """S[k, j] = Σ_{i in class k} X[i, j], as one product with the class indicator matrix."""
    onehot = np.zeros((X.shape[0], n_classes), dtype=X.dtype)
    onehot[np.arange(X.shape[0]), y_idx] = 1
    return (onehot.T @ X).astype(np.float64)


def _select_sparse_columns(X, mask: np.ndarray):
    """X[:, mask] for a CSRMatrix, on its three arrays (no densifying).

    A stored entry survives when its column is kept; its new column is the number of
    kept columns before it (``cumsum(mask) − 1``), and each row's new end offset is
    the number of surviving entries up to that row's old end offset.
    """
    keep = mask[X.indices]
    new_col = (np.cumsum(mask) - 1).astype(X.indices.dtype)
    survivors = np.concatenate(([0], np.cumsum(keep)))
    indptr = survivors[X.indptr].astype(X.indptr.dtype)
    shape = (X.shape[0], int(mask.sum()))
    return type(X)((X.data[keep], new_col[X.indices[keep]], indptr), shape=shape)


def _unselect_sparse_columns(X, mask: np.ndarray):
    """Inverse of :func:`_select_sparse_columns`: kept columns back at their positions."""
    cols = np.flatnonzero(mask).astype(X.indices.dtype)
    return type(X)((X.data.copy(), cols[X.indices], X.indptr.copy()),
                   shape=(X.shape[0], mask.size))


class SelectorMixin(TransformerMixin):
    """Transformer that keeps a subset of the input columns.

    A subclass implements ``_get_support_mask()`` (a boolean array with one entry
    per input feature); this mixin derives ``get_support``, ``transform``
    (X[:, mask]), ``inverse_transform`` (the kept columns back in place, zeros in
    the dropped ones) and ``get_feature_names_out``. A sparse X
    (:class:`scratchml.sparse.CSRMatrix`, or SciPy's) gives a CSRMatrix.
    """

    #: ``transform`` accepts NaN (and infinity): VarianceThreshold ignores missing values.
    _allow_nan = False

    def get_support(self, indices: bool = False) -> np.ndarray:
        """Boolean mask of the kept features, or their integer indices with ``indices=True``.

        Examples
        --------
        >>> from scratchml.feature_selection import VarianceThreshold
        >>> VarianceThreshold().fit([[0, 1], [0, 2]]).get_support()
        array([False,  True])
        """
        check_is_fitted(self, method="get_support")
        mask = self._get_support_mask()
        return np.flatnonzero(mask) if indices else mask

    def transform(self, X) -> np.ndarray:
        """Keep only the selected columns of X (dtype preserved)."""
        check_is_fitted(self)
        # A selector that tolerates NaN only copies values: no finiteness scan needed.
        X = self._validate_data(X, reset=False, dtype="numeric",
                                ensure_all_finite=not self._allow_nan, accept_sparse=True)
        mask = self._get_support_mask()
        if not mask.any():
            warnings.warn(
                "No features were selected: either the data is too noisy or the selection "
                f"test of {type(self).__name__} too strict; the output has 0 columns.",
                UserWarning, stacklevel=2,
            )
        if not isinstance(X, np.ndarray):
            return _select_sparse_columns(X, mask)
        return X.copy() if mask.all() else np.take(X, np.flatnonzero(mask), axis=1)

    def inverse_transform(self, X) -> np.ndarray:
        """Put the selected columns back at their positions; dropped columns are zeros."""
        check_is_fitted(self)
        mask = self._get_support_mask()
        X = check_array(X, dtype="numeric", ensure_all_finite=False, ensure_min_features=0,
                        estimator=self, accept_sparse=True)
        if X.shape[1] != mask.sum():
            raise ValueError(
                f"X has {X.shape[1]} columns, but {type(self).__name__} selected "
                f"{int(mask.sum())} features; pass the output of transform."
            )
        if not isinstance(X, np.ndarray):
            return _unselect_sparse_columns(X, mask)
        out = np.zeros((X.shape[0], mask.size), dtype=X.dtype)
        out[:, mask] = X
        return out

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Names of the selected input features."""
        check_is_fitted(self, method="get_feature_names_out")
        return _feature_names_in(self, input_features)[self._get_support_mask()]
