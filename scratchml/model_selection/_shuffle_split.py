"""Random splits: ShuffleSplit, StratifiedShuffleSplit and train_test_split.

Sizes follow scikit-learn exactly: a float test fraction p gives
n_test = ⌈p·n⌉, a float train fraction q gives n_train = ⌊q·n⌋, and an
unspecified side is the complement. Which samples land where comes from
scratchml's ``Generator`` (see :func:`~scratchml.utils.check_random_state`), so
the indices differ from scikit-learn's for the same seed; the sizes, and for
the stratified splitter the per-class counts, are the same rule.
"""

from __future__ import annotations

import math
import numbers
import warnings

import numpy as np

from ..utils.validation import check_random_state
from ._split import BaseCrossValidator
from ._utils import _num_samples, _safe_rows, check_consistent_length


def _size_kind(size) -> str | None:
    if size is None:
        return None
    if isinstance(size, numbers.Integral) and not isinstance(size, bool):
        return "i"
    if isinstance(size, numbers.Real) and not isinstance(size, bool):
        return "f"
    return "?"


def _validate_shuffle_split(n_samples: int, test_size, train_size, default_test_size=None):
    """``(n_train, n_test)`` from the size arguments, with scikit-learn's rules and errors."""
    if test_size is None and train_size is None:
        test_size = default_test_size
    for name, size in (("test_size", test_size), ("train_size", train_size)):
        kind = _size_kind(size)
        if kind == "?":
            raise ValueError(f"Invalid value for {name}: {size!r}; use an int, a float in "
                             "(0, 1), or None.")
        if (kind == "i" and not 0 < size < n_samples) or (kind == "f" and not 0 < size < 1):
            raise ValueError(
                f"{name}={size} should be either positive and smaller than the number of "
                f"samples {n_samples} or a float in the (0, 1) range."
            )
    t_kind, r_kind = _size_kind(test_size), _size_kind(train_size)
    if t_kind == "f" and r_kind == "f" and train_size + test_size > 1:
        raise ValueError(
            f"The sum of test_size and train_size = {train_size + test_size}, should be in "
            "the (0, 1) range. Reduce test_size and/or train_size."
        )
    n_test = math.ceil(test_size * n_samples) if t_kind == "f" else test_size
    n_train = math.floor(train_size * n_samples) if r_kind == "f" else train_size
    if train_size is None:
        n_train = n_samples - n_test
    elif test_size is None:
        n_test = n_samples - n_train
    if n_train + n_test > n_samples:
        raise ValueError(
            f"The sum of train_size and test_size = {n_train + n_test}, should be smaller "
            f"than the number of samples {n_samples}. Reduce test_size and/or train_size."
        )
    if n_train == 0:
        raise ValueError(
            f"With n_samples={n_samples}, test_size={test_size} and train_size={train_size}, "
            "the resulting train set will be empty. Adjust any of these parameters."
        )
    return int(n_train), int(n_test)


def _approximate_mode(class_counts: np.ndarray, n_draws: int, rng) -> np.ndarray:
    """Per-class counts of n_draws samples drawn in proportion to ``class_counts``.

    Each class first gets ⌊n_draws · c_k / Σc⌋; the remaining draws go to the
    classes with the largest fractional parts, ties broken at random. The
    result sums to ``n_draws`` and is within one of the exact proportions
    (scikit-learn's ``_approximate_mode``).
    """
    continuous = class_counts / class_counts.sum() * n_draws
    floored = np.floor(continuous)
    need = int(n_draws - floored.sum())
    if need > 0:
        remainder = continuous - floored
        for value in np.unique(remainder)[::-1]:
            (tied,) = np.nonzero(remainder == value)
            take = min(len(tied), need)
            floored[rng.choice(tied, size=take, replace=False)] += 1
            need -= take
            if need == 0:
                break
    return floored.astype(np.intp)


class _BaseShuffleSplit(BaseCrossValidator):
    _default_test_size = 0.1

    def __init__(self, n_splits: int = 10, *, test_size=None, train_size=None,
                 random_state=None):
        self.n_splits = n_splits
        self.test_size = test_size
        self.train_size = train_size
        self.random_state = random_state

    def get_n_splits(self, X=None, y=None, groups=None) -> int:
        """The number of re-shuffled splits, ``n_splits``."""
        return self.n_splits

    def split(self, X, y=None, groups=None):
        """Yield ``(train, test)`` index arrays, one random pair per split."""
        check_consistent_length(X, y, groups)
        yield from self._iter_indices(X, y)


class ShuffleSplit(_BaseShuffleSplit):
    """Random permutation splits: each split draws a fresh random train/test partition.

    Split i permutes range(n) and takes the first n_test indices as the test
    set and the next n_train as the training set. Unlike k-fold, test sets of
    different splits may overlap.

    Parameters
    ----------
    n_splits : int, default=10
    test_size : float, int or None, default=None
        Fraction (0, 1) or count of test samples; None: the complement of
        ``train_size``, or 0.1 when both are None.
    train_size : float, int or None, default=None
    random_state : None, int or numpy.random.Generator, default=None

    Examples
    --------
    >>> from scratchml.model_selection import ShuffleSplit
    >>> train, test = next(ShuffleSplit(1, test_size=2, random_state=0).split(range(5)))
    >>> len(train), len(test)
    (3, 2)
    """

    def _iter_indices(self, X, y=None):
        n_samples = _num_samples(X)
        n_train, n_test = _validate_shuffle_split(
            n_samples, self.test_size, self.train_size, self._default_test_size)
        rng = check_random_state(self.random_state)
        for _ in range(self.n_splits):
            perm = rng.permutation(n_samples)
            yield perm[n_test:n_test + n_train], perm[:n_test]


def _encode_labels(y: np.ndarray):
    """(classes, codes, counts), with an O(n) bincount path for small-range integer labels."""
    if y.dtype.kind in "iu" and y.size:
        lo, hi = int(y.min()), int(y.max())
        if hi - lo <= max(1024, y.size // 4) and hi <= np.iinfo(np.intp).max:
            shifted = y.astype(np.intp) - lo  # in intp: no overflow of small int types
            counts = np.bincount(shifted, minlength=hi - lo + 1)
            present = np.flatnonzero(counts)
            remap = np.zeros(hi - lo + 1, dtype=np.intp)
            remap[present] = np.arange(len(present))
            return (present + lo).astype(y.dtype), remap[shifted], counts[present]
    classes, codes, counts = np.unique(y, return_inverse=True, return_counts=True)
    return classes, codes.ravel(), counts


class StratifiedShuffleSplit(_BaseShuffleSplit):
    """Random splits that keep the class proportions of y in both sets.

    Class k (n_k samples) puts n_i[k] samples in the training set and t_i[k]
    in the test set, where n_i and t_i are the approximate modes of the
    multivariate hypergeometric (counts within one of n_train·n_k/n and
    n_test·n_k/n). The samples are chosen from one random permutation: a
    sample trains if it is among the first n_i[k] of its class in that order,
    and tests if it is among the next t_i[k].

    Parameters
    ----------
    n_splits : int, default=10
    test_size, train_size : float, int or None, default=None
    random_state : None, int or numpy.random.Generator, default=None

    Examples
    --------
    >>> from scratchml.model_selection import StratifiedShuffleSplit
    >>> y = [0, 0, 0, 0, 1, 1, 1, 1]
    >>> sss = StratifiedShuffleSplit(1, test_size=0.5, random_state=0)
    >>> train, test = next(sss.split(y, y))
    >>> sorted(y[i] for i in test)
    [0, 0, 1, 1]
    """

    def _iter_indices(self, X, y=None):
        if y is None:
            raise ValueError("StratifiedShuffleSplit.split needs y (the labels to stratify on).")
        n_samples = _num_samples(X)
        y = np.asarray(y)
        if y.ndim == 2 and y.shape[1] == 1:
            y = y.ravel()
        if y.ndim == 2:  # multilabel: each distinct row is a stratum
            y = np.array([" ".join(row.astype(str)) for row in y])
        n_train, n_test = _validate_shuffle_split(
            n_samples, self.test_size, self.train_size, self._default_test_size)
        classes, codes, counts = _encode_labels(y)
        n_classes = len(classes)
        if counts.min() < 2:
            raise ValueError(
                "The least populated classes in y have only 1 member, which is too few: "
                "each class needs at least 2 (one per side). Classes with too few members "
                f"are: {classes[counts < 2].tolist()[:10]}. Merge or drop them, or use "
                "ShuffleSplit."
            )
        if n_train < n_classes:
            raise ValueError(f"The train_size = {n_train} should be greater or equal to the "
                             f"number of classes = {n_classes}.")
        if n_test < n_classes:
            raise ValueError(f"The test_size = {n_test} should be greater or equal to the "
                             f"number of classes = {n_classes}.")
        # Small codes sort with NumPy's O(n) radix sort (stable sort of <= 16-bit ints).
        codes = codes.astype(np.uint8 if n_classes <= 256 else
                             np.uint16 if n_classes <= 65536 else np.intp)
        starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
        rng = check_random_state(self.random_state)
        for _ in range(self.n_splits):
            n_i = _approximate_mode(counts, n_train, rng)
            t_i = _approximate_mode(counts - n_i, n_test, rng)
            perm = rng.permutation(n_samples)
            code_p = codes[perm]
            # rank[j]: how many samples of the same class come before perm[j] in perm.
            order = np.argsort(code_p, kind="stable")
            rank = np.empty(n_samples, dtype=np.intp)
            rank[order] = np.arange(n_samples) - np.repeat(starts, counts)
            n_of = n_i[code_p]
            # Subsequences of a random permutation: already in random order.
            yield perm[rank < n_of], perm[(rank >= n_of) & (rank < n_of + t_i[code_p])]

    def split(self, X, y, groups=None):
        """Yield ``(train, test)`` index arrays; ``y`` (the labels) is required."""
        if groups is not None:
            warnings.warn("The groups parameter is ignored by StratifiedShuffleSplit",
                          UserWarning, stacklevel=2)
        return super().split(X, y, None)


def train_test_split(*arrays, test_size=None, train_size=None, random_state=None,
                     shuffle: bool = True, stratify=None) -> list:
    """Split arrays into random train and test subsets (rows alike across arrays).

    Equivalent to ``next(ShuffleSplit(...).split(arrays[0]))`` (or
    ``StratifiedShuffleSplit`` with ``stratify``) applied to every array. Without
    shuffling, the first n_train rows train and the next n_test rows test.

    Parameters
    ----------
    *arrays : sequence of array-likes with the same number of rows
        Lists, NumPy arrays, pandas DataFrames/Series (indexed with ``.iloc``).
    test_size : float, int or None, default=None
        Fraction or count of test samples; 0.25 when both sizes are None.
    train_size : float, int or None, default=None
    random_state : None, int or numpy.random.Generator, default=None
        Seeds the shuffle; indices differ from scikit-learn's for the same seed.
    shuffle : bool, default=True
    stratify : array-like or None, default=None
        Class labels whose proportions both sides keep.

    Returns
    -------
    splitting : list of length 2 * len(arrays)
        ``[a_train, a_test, b_train, b_test, ...]``, each of its input's type.

    Examples
    --------
    >>> from scratchml.model_selection import train_test_split
    >>> train_test_split([1, 2, 3, 4], shuffle=False, test_size=1)
    [[1, 2, 3], [4]]
    """
    if not arrays:
        raise ValueError("At least one array required as input.")
    check_consistent_length(*arrays)
    n_samples = _num_samples(arrays[0])
    n_train, n_test = _validate_shuffle_split(n_samples, test_size, train_size, 0.25)
    if not shuffle:
        if stratify is not None:
            raise ValueError("Stratified train/test split is not implemented for "
                             "shuffle=False; set shuffle=True or stratify=None.")
        train, test = np.arange(n_train), np.arange(n_train, n_train + n_test)
    else:
        cls = StratifiedShuffleSplit if stratify is not None else ShuffleSplit
        splitter = cls(1, test_size=n_test, train_size=n_train, random_state=random_state)
        train, test = next(splitter.split(arrays[0], stratify))
    out = []
    for a in arrays:
        out += [_safe_rows(a, train), _safe_rows(a, test)]
    return out
