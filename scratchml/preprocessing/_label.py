"""Target encoders: labels to codes (LabelEncoder) and to indicator columns (LabelBinarizer)."""

from __future__ import annotations

import numpy as np

from ..base import BaseEstimator, TransformerMixin
from ..exceptions import DataValidationError
from ..utils.validation import check_array, check_is_fitted, column_or_1d
from ._encoders_base import _show, encode_column, unique_column


class LabelEncoder(TransformerMixin, BaseEstimator):
    """Encode target labels as integers 0 .. K−1.

    With the sorted distinct labels ``classes_ = [c_0 < ... < c_{K−1}]``,
    ``transform(y)[i] = k`` where ``y[i] == c_k``; ``inverse_transform`` maps codes
    back with ``classes_[k]``. Strings and numbers both work (None and NaN sort last).
    It encodes a target y; use :class:`OrdinalEncoder` for the columns of X.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The distinct labels, sorted.

    Examples
    --------
    >>> from scratchml.preprocessing import LabelEncoder
    >>> le = LabelEncoder().fit(["paris", "tokyo", "paris", "amsterdam"])
    >>> le.classes_.tolist()
    ['amsterdam', 'paris', 'tokyo']
    >>> le.transform(["tokyo", "amsterdam"])
    array([2, 0])
    >>> le.inverse_transform([1, 2]).tolist()
    ['paris', 'tokyo']
    """

    def __init__(self):
        pass  # no parameters; an explicit signature for get_params and the contract

    def _labels(self, y) -> np.ndarray:
        y = column_or_1d(y, estimator=self)
        if len(y) == 0:
            raise DataValidationError(
                f"y has no samples (in {type(self).__name__}), but at least 1 is required."
            )
        return y

    def fit(self, y):
        """Learn the sorted distinct labels of y."""
        self.classes_ = unique_column(self._labels(y), where="y")[0]
        return self

    def fit_transform(self, y):
        """Learn the labels of y and return its codes, in one pass."""
        self.classes_, codes = unique_column(self._labels(y), return_inverse=True, where="y")
        return codes

    def transform(self, y) -> np.ndarray:
        """Codes of the labels in y; an unseen label raises ValueError."""
        check_is_fitted(self)
        y = column_or_1d(y, estimator=self)
        if len(y) == 0:
            return np.array([], dtype=np.intp)
        codes, _, unknown = encode_column(y, self.classes_)
        if unknown:
            raise ValueError(
                f"y contains previously unseen labels: {_show(unknown)}. LabelEncoder was "
                f"fitted on {len(self.classes_)} labels; fit it on data with every label."
            )
        return codes

    def inverse_transform(self, y) -> np.ndarray:
        """Labels of the codes in y (integers from 0 to n_classes − 1)."""
        check_is_fitted(self)
        y = column_or_1d(y, estimator=self)
        if len(y) == 0:
            return self.classes_[:0].copy()
        unseen = np.setdiff1d(y, np.arange(len(self.classes_)))
        if unseen.size:
            raise ValueError(
                f"y contains previously unseen labels: {_show(unseen.tolist())}; codes are "
                f"integers from 0 to {len(self.classes_) - 1}."
            )
        return self.classes_[y.astype(np.intp)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.target_tags.one_d_labels = True
        return tags


def _as_target(y, estimator) -> np.ndarray:
    if hasattr(y, "to_numpy"):
        y = y.to_numpy()
    try:
        y = np.asarray(y)
    except ValueError:
        raise DataValidationError(
            f"y could not be read as an array (in {type(estimator).__name__}); pass a 1-D "
            "sequence of labels or a 2-D 0/1 indicator matrix."
        ) from None
    if y.ndim == 0 or len(y) == 0:
        raise DataValidationError(
            f"y has no samples (in {type(estimator).__name__}), but at least 1 is required."
        )
    return y


def type_of_target(y: np.ndarray) -> str:
    """'binary', 'multiclass', 'multilabel-indicator', 'continuous', '...-multioutput'
    or 'unknown', with scikit-learn's rules (at most two values: binary)."""
    if y.ndim > 2 or (y.ndim == 2 and y.shape[1] == 0) or y.dtype.kind == "c":
        return "unknown"
    if y.dtype == object and not isinstance(y.flat[0], str):
        return "unknown"
    if y.ndim == 2 and y.shape[1] > 1:
        values = np.unique(y)
        if len(values) < 3 and (y.dtype.kind in "biu" or np.all(values == np.round(values))):
            return "multilabel-indicator"
    suffix = "-multioutput" if y.ndim == 2 and y.shape[1] > 1 else ""
    if y.dtype.kind == "f":
        if np.isnan(y).any() or np.isinf(y).any():
            raise DataValidationError("y contains NaN or infinity; LabelBinarizer needs labels.")
        if np.any(y != np.round(y)):
            return "continuous" + suffix
    if len(unique_column(y.ravel())[0]) > 2 or suffix:
        return "multiclass" + suffix
    return "binary"


class LabelBinarizer(TransformerMixin, BaseEstimator):
    """Binarize labels one-vs-all: one indicator column per class.

    ``Y[i, k] = pos_label`` if ``y[i] == classes_[k]`` else ``neg_label``. With two
    classes a single column (that of the second class) is returned. Multilabel
    0/1 indicator matrices pass through with the labels applied.
    ``inverse_transform`` takes the arg-max per row (multiclass) or thresholds
    at ``(pos_label + neg_label) / 2`` (binary, multilabel).

    Parameters
    ----------
    neg_label, pos_label : int, default=0 and 1
        Values of the negative and positive cells (``neg_label < pos_label``).
    sparse_output : bool, default=False
        Only False is supported: scratchml has no sparse matrices yet.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    y_type_ : str
        'binary', 'multiclass' or 'multilabel-indicator'.
    sparse_input_ : bool
        Always False.

    Examples
    --------
    >>> from scratchml.preprocessing import LabelBinarizer
    >>> LabelBinarizer().fit([1, 2, 6, 4, 2]).transform([1, 6])
    array([[1, 0, 0, 0],
           [0, 0, 0, 1]])
    >>> LabelBinarizer().fit(["yes", "no", "no"]).transform(["yes", "no"])
    array([[1],
           [0]])
    """

    def __init__(self, *, neg_label: int = 0, pos_label: int = 1, sparse_output: bool = False):
        self.neg_label = neg_label
        self.pos_label = pos_label
        self.sparse_output = sparse_output

    def fit(self, y):
        """Learn the classes (and the kind of target) of y."""
        if self.neg_label >= self.pos_label:
            raise ValueError(f"neg_label={self.neg_label} must be strictly less than "
                             f"pos_label={self.pos_label}.")
        if self.sparse_output:
            raise ValueError(f"sparse_output={self.sparse_output!r} is not supported: scratchml "
                             "has no sparse matrices yet. Use sparse_output=False (the default).")
        y = _as_target(y, self)
        y_type = type_of_target(y)
        if "multioutput" in y_type:
            raise ValueError("Multioutput target data is not supported with label binarization")
        if y_type not in ("binary", "multiclass", "multilabel-indicator"):
            raise ValueError(f"Unknown label type: {y_type!r}. LabelBinarizer takes class "
                             "labels (strings or integers) or a 0/1 indicator matrix.")
        self.y_type_ = y_type
        self.sparse_input_ = False
        if y_type == "multilabel-indicator":
            self.classes_ = np.arange(y.shape[1])
        else:
            classes = unique_column(y.ravel(), where="y")[0]
            # As scikit-learn's unique_labels: a plain array (strings as NumPy str).
            self.classes_ = np.asarray(classes.tolist())
        return self

    def transform(self, y) -> np.ndarray:
        """Indicator matrix of y: (n_samples, n_classes), or (n_samples, 1) if binary."""
        check_is_fitted(self)
        y = _as_target(y, self)
        y_type = type_of_target(y)
        if y_type.startswith("multilabel") and not self.y_type_.startswith("multilabel"):
            raise ValueError("The object was not fitted with multilabel input.")
        return _binarize(y, y_type, self.classes_, self.neg_label, self.pos_label)

    def inverse_transform(self, Y, threshold: float | None = None) -> np.ndarray:
        """Labels back from indicator rows: arg-max (multiclass) or threshold."""
        check_is_fitted(self)
        Y = check_array(Y, ensure_2d=False, estimator=self, input_name="Y")
        classes = self.classes_
        if threshold is None:
            threshold = (self.pos_label + self.neg_label) / 2.0
        if self.y_type_ == "multiclass":
            return classes[np.clip(np.argmax(Y, axis=1), 0, len(classes) - 1)]
        if self.y_type_ == "binary" and Y.ndim == 2 and Y.shape[1] > 2:
            raise ValueError(f"output_type='binary', but y.shape = {Y.shape}")
        if self.y_type_ != "binary" and Y.shape[1] != len(classes):
            raise ValueError("The number of class is not equal to the number of dimension of y.")
        Y = (Y > threshold).astype(np.intp)
        if self.y_type_ == "multilabel-indicator":
            return Y
        if Y.ndim == 2 and Y.shape[1] == 2:
            return classes[Y[:, 1]]
        if len(classes) == 1:
            return np.repeat(classes[0], len(Y))
        return classes[Y.reshape(-1)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.target_tags.one_d_labels = True
        return tags


def _binarize(y, y_type, classes, neg_label, pos_label) -> np.ndarray:
    """scikit-learn's label_binarize, dense: one pos_label per row in its class column."""
    pos_switch = pos_label == 0
    if pos_switch:  # a zero positive is written as -neg_label, then swapped back
        pos_label = -neg_label
    if "multioutput" in y_type:
        raise ValueError("Multioutput target data is not supported with label binarization")
    if y_type not in ("binary", "multiclass", "multilabel-indicator"):
        raise ValueError(f"{y_type} target data is not supported with label binarization")
    n_samples, n_classes = len(y), len(classes)
    int_dtype = y.dtype if y.dtype.kind == "i" else np.intp
    if y.dtype.kind in "iu":
        classes = classes.astype(y.dtype) if classes.dtype.kind in "iuf" else classes
    if y_type == "binary":
        if n_classes == 1:
            return np.full((n_samples, 1), neg_label, dtype=int_dtype)
        if n_classes >= 3:
            y_type = "multiclass"
    sorted_classes = np.sort(classes)
    if y_type == "multilabel-indicator":
        if y.shape[1] != n_classes:
            raise ValueError(f"classes {classes} mismatch with the labels "
                             f"{np.arange(y.shape[1])} found in the data")
        Y = y.copy()
        if pos_label != 1:
            Y[Y != 0] = pos_label
    else:
        y = column_or_1d(y)
        known = np.isin(y, classes)
        Y = np.zeros((n_samples, n_classes), dtype=int_dtype)
        Y[np.flatnonzero(known), np.searchsorted(sorted_classes, y[known])] = pos_label
    if neg_label != 0:
        Y[Y == 0] = neg_label
    if pos_switch:
        Y[Y == pos_label] = 0
    Y = Y.astype(int_dtype, copy=False)
    if np.any(classes != sorted_classes):  # classes_ in a user order: follow it
        Y = Y[:, np.searchsorted(sorted_classes, classes)]
    if y_type == "binary":
        Y = Y[:, -1].reshape(-1, 1)
    return Y
