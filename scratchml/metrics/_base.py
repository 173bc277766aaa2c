"""Input checks and label encoding shared by the metric functions.

Every metric validates its inputs once, here, then works on small integer
codes: ``classes`` (the sorted distinct labels) and, for each input, the index
of each sample's label in ``classes``. Encoding integer labels with a bounded
range uses a lookup table (two linear passes) instead of sorting, which is
where most of the speed over a generic ``np.unique`` comes from.
"""

from __future__ import annotations

import warnings

import numpy as np

from ..utils.validation import check_array, column_or_1d


class UndefinedMetricWarning(UserWarning):
    """A metric is ill-defined for this input (e.g. a class never predicted).

    The same role as scikit-learn's warning of that name: the value returned
    is the documented fallback (``zero_division``, NaN...), not a real score.
    """


def _as_1d(y, name: str) -> np.ndarray:
    """``y`` as a 1D array of labels or values, with missing values rejected."""
    try:
        arr = column_or_1d(y, input_name=name)
    except ValueError:
        shape = np.shape(y)
        raise ValueError(
            f"{name} should be a 1D array of shape (n_samples,), got shape {shape}. "
            "Multilabel and multioutput targets are not supported by this metric."
        ) from None
    if arr.dtype.kind == "O":
        arr = _object_labels(arr, name)
    if arr.dtype.kind == "f" and arr.size and not np.isfinite(arr.sum()):
        bad = ~np.isfinite(arr)
        if bad.any():
            what = "NaN" if np.isnan(arr).any() else "infinity"
            raise ValueError(
                f"{name} contains {what} ({int(bad.sum())} values); labels and targets "
                "must be finite. Drop those samples first."
            )
    if arr.dtype.kind == "c":
        raise ValueError(f"{name} is complex; metrics need real numbers or string labels.")
    return arr


def _object_labels(arr: np.ndarray, name: str) -> np.ndarray:
    """Turn an object array into a string or numeric array, or explain why not."""
    if any(v is None or (isinstance(v, float) and v != v) for v in arr.tolist()):
        raise ValueError(
            f"{name} contains missing values (None or NaN); drop those samples first."
        )
    is_str = [isinstance(v, str) for v in arr.tolist()]
    if all(is_str):
        return arr.astype(str)
    if any(is_str):
        raise ValueError(
            f"{name} mixes strings and numbers (e.g. {arr[is_str.index(True)]!r} and "
            f"{arr[is_str.index(False)]!r}); use one label type, e.g. y.astype(str)."
        )
    out = np.array(arr.tolist())
    if out.dtype.kind not in "biuf":
        raise ValueError(f"{name} has values of an unsupported type ({out.dtype}).")
    return out


def _is_string(arr: np.ndarray) -> bool:
    return arr.dtype.kind in "US"


def check_consistent_length(**arrays) -> None:
    """Raise a ValueError naming the inputs when their lengths differ (None skipped)."""
    items = [(k, len(v)) for k, v in arrays.items() if v is not None]
    lengths = {n for _, n in items}
    if len(lengths) > 1:
        names = " and ".join(k for k, _ in items)
        counts = " and ".join(str(n) for _, n in items)
        raise ValueError(
            f"{names} have different numbers of samples: {counts}. "
            "Pass one value per sample in each."
        )


def check_sample_weight(sample_weight, n: int, allow_all_zero: bool = False):
    """Weights as a 1D array of length ``n`` (integer weights stay integer), or None."""
    if sample_weight is None:
        return None
    w = check_array(sample_weight, ensure_2d=False, dtype="numeric", ensure_min_samples=0,
                    input_name="sample_weight")
    if w.ndim != 1:
        w = _as_1d(w, "sample_weight")
    if w.shape[0] != n:
        raise ValueError(
            f"sample_weight has {w.shape[0]} values, but there are {n} samples; "
            "pass one weight per sample."
        )
    if w.dtype.kind == "b":
        w = w.astype(np.int64)
    if n and not allow_all_zero and not np.any(w):
        raise ValueError("Sample weights must contain at least one non-zero number.")
    return w


def check_labels_1d(y_true, y_pred, sample_weight=None, names=("y_true", "y_pred")):
    """Validate a pair of label vectors (and weights): 1D, finite, same length, same type."""
    a = _as_1d(y_true, names[0])
    b = _as_1d(y_pred, names[1])
    check_consistent_length(**{names[0]: a, names[1]: b})
    if a.shape[0] == 0:
        raise ValueError(
            f"Found empty input: {names[0]} and {names[1]} have no samples, "
            "but at least 1 is required."
        )
    if _is_string(a) != _is_string(b):
        kinds = ["strings" if _is_string(x) else "numbers" for x in (a, b)]
        raise ValueError(
            f"Mix of label input types (string and number): {names[0]} holds {kinds[0]} "
            f"and {names[1]} holds {kinds[1]}. Use the same label type in both, "
            "e.g. convert with .astype(str)."
        )
    w = check_sample_weight(sample_weight, a.shape[0])
    return a, b, w


def _integral_int64(y: np.ndarray) -> np.ndarray | None:
    """``y`` as int64 if it is a float array of exactly representable integers, else None."""
    if y.size and np.abs(y).max() >= 2.0**53:
        return None
    yi = y.astype(np.int64)
    return yi if np.array_equal(yi, y) else None


def check_discrete(y: np.ndarray, name: str) -> None:
    """Reject continuous values where class labels are expected."""
    if y.dtype.kind == "f" and _integral_int64(y) is None:
        example = y[y != np.round(y)]
        example = example[0] if example.size else y[np.argmax(np.abs(y))]
        raise ValueError(
            f"{name} has continuous values (e.g. {example!r}), but this metric needs class "
            "labels. Threshold scores into labels first, or use a regression or ranking "
            "metric."
        )


def encode_labels(*ys: np.ndarray):
    """Sorted distinct labels over all ``ys`` and each array's codes into them.

    Returns ``(classes, [codes_0, codes_1, ...])`` with ``classes[codes_i] == ys[i]``.
    Integer (and integral float) labels whose range is not much larger than
    the number of samples are encoded through a lookup table, O(n); other
    labels fall back to sorting with ``np.unique``.
    """
    dtype = np.result_type(*[y.dtype for y in ys]) if not any(map(_is_string, ys)) else None
    ints = []
    for y in ys:
        if y.dtype.kind in "biu":
            ints.append(y)
        elif y.dtype.kind == "f":
            yi = _integral_int64(y)
            if yi is None:
                break
            ints.append(yi)
        else:
            break
    total = sum(y.shape[0] for y in ys)
    if len(ints) == len(ys) and total:
        lo = min(int(y.min()) for y in ints)
        hi = max(int(y.max()) for y in ints)
        span = hi - lo + 1
        # Bounded range (and safely inside int64): a lookup table beats sorting.
        if span <= max(1 << 16, 2 * total) and -(2**62) < lo and hi < 2**62:
            present = np.zeros(span, dtype=bool)
            shifted = [(y.astype(np.int64) - lo) if lo or y.dtype.kind == "b" else y
                       for y in ints]
            for s in shifted:
                present[s] = True
            lookup = np.cumsum(present, dtype=np.intp) - 1
            classes = (np.flatnonzero(present) + lo).astype(dtype)
            return classes, [lookup[s] for s in shifted]
    joined = np.concatenate(ys) if len(ys) > 1 else ys[0]
    classes, inverse = np.unique(joined, return_inverse=True)
    inverse = inverse.reshape(-1).astype(np.intp, copy=False)
    bounds = np.cumsum([0] + [y.shape[0] for y in ys])
    return classes, [inverse[bounds[i]:bounds[i + 1]] for i in range(len(ys))]


def label_index(classes: np.ndarray, labels, name: str = "labels") -> np.ndarray:
    """Index of each of ``labels`` in ``classes`` (-1 where absent)."""
    labels = np.asarray(labels)
    if labels.ndim != 1:
        labels = labels.reshape(-1)
    if labels.dtype.kind == "O":
        labels = _object_labels(labels, name)
    if labels.size and _is_string(labels) != _is_string(classes) and classes.size:
        raise ValueError(
            f"{name} holds {'strings' if _is_string(labels) else 'numbers'} but the "
            f"targets hold {'strings' if _is_string(classes) else 'numbers'}; "
            "use the same label type."
        )
    if classes.size == 0:
        return np.full(labels.shape[0], -1, dtype=np.intp)
    pos = np.searchsorted(classes, labels)
    pos = np.clip(pos, 0, classes.shape[0] - 1)
    found = classes[pos] == labels
    return np.where(found, pos, -1).astype(np.intp)


def take_or_zero(values: np.ndarray, index: np.ndarray) -> np.ndarray:
    """``values[index]`` with 0 where ``index`` is -1 (a label absent from the data)."""
    out = values[np.maximum(index, 0)]
    out[index < 0] = 0
    return out


def contains(classes: np.ndarray, value) -> bool:
    """Whether ``value`` is one of ``classes`` (False, not an error, across types)."""
    if isinstance(value, (str, bytes)) != _is_string(classes):
        return False
    return bool(np.any(classes == value))


def check_pos_label(pos_label, classes: np.ndarray):
    """Default ``pos_label`` for a binary target with sorted distinct labels ``classes``.

    When ``pos_label`` is None the labels must be {0, 1} or {-1, 1} (or one of
    them alone), and the positive class is 1; otherwise the caller must say.
    """
    if pos_label is not None:
        return pos_label
    ok = (
        not _is_string(classes)
        and classes.shape[0] <= 2
        and any(
            classes.shape == np.shape(c) and np.all(classes == np.asarray(c))
            for c in ([0, 1], [-1, 1], [0], [-1], [1])
        )
    )
    if not ok:
        shown = ", ".join(repr(c) for c in classes.tolist())
        raise ValueError(
            f"y_true takes value in {{{shown}}} and pos_label is not specified: either "
            "make y_true take value in {0, 1} or {-1, 1} or pass pos_label explicitly."
        )
    return 1


def weighted_mean(values: np.ndarray, weights=None, axis=None, normalize: bool = True):
    """Mean (or sum, ``normalize=False``) of ``values``, weighted along ``axis``."""
    values = np.asarray(values, dtype=np.float64)
    if weights is None:
        return values.mean(axis=axis) if normalize else values.sum(axis=axis)
    weights = np.asarray(weights, dtype=np.float64)
    if axis is not None and values.ndim > 1 and weights.ndim == 1:
        shape = [1] * values.ndim
        shape[axis] = weights.shape[0]
        weights = weights.reshape(shape)
    total = np.sum(values * weights, axis=axis)
    if not normalize:
        return total
    scale = np.sum(weights, axis=axis)
    if np.any(scale == 0):
        raise ZeroDivisionError("Weights sum to zero, can't be normalized")
    return total / scale


def nan_average(values: np.ndarray, weights=None) -> float:
    """Weighted mean ignoring NaN entries; plain mean when the weights sum to zero."""
    if values.shape[0] == 0:
        return float("nan")
    mask = np.isnan(values)
    if mask.all():
        return float("nan")
    if weights is None:
        return float(np.sum(np.where(mask, 0.0, values)) / np.sum(~mask))
    values, weights = values[~mask], np.asarray(weights)[~mask]
    try:
        return float(weighted_mean(values, weights))
    except ZeroDivisionError:
        return float(np.mean(values))


def warn_undefined(message: str, stacklevel: int = 3) -> None:
    warnings.warn(message, UndefinedMetricWarning, stacklevel=stacklevel)


def fill_doc(**blocks: str):
    """Decorator: put ``blocks[name]`` where the docstring says ``{name}``.

    Metrics that share parameters describe them once; the docstring users see
    is the one written out in full. Blocks are filled in the order given, so a
    block may itself hold a later block's marker.
    """
    def decorate(fn):
        doc = fn.__doc__
        for name, text in blocks.items():
            marker = "{" + name + "}"
            if marker not in doc:
                raise ValueError(f"{fn.__name__}'s docstring has no {marker} to fill.")
            doc = doc.replace(marker, text)
        fn.__doc__ = doc
        return fn
    return decorate
