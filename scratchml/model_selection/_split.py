"""K-fold splitters: KFold, StratifiedKFold, GroupKFold, LeaveOneOut, and check_cv.

A splitter turns a number of samples n into (train, test) index pairs. The
k-fold family partitions range(n) into k test folds; every index is tested
exactly once and trains in the k − 1 other splits. Without shuffling, each
splitter gives exactly scikit-learn's folds. With ``shuffle=True`` the order
comes from scratchml's :func:`~scratchml.utils.check_random_state` (a NumPy
``Generator``), so the folds differ from scikit-learn's (which uses the legacy
``RandomState``) while following the same rules.
"""

from __future__ import annotations

import numbers
import warnings
from collections.abc import Iterable, Iterator

import numpy as np

from ..utils.validation import check_random_state
from ._utils import _num_samples, _type_of_target, check_consistent_length


def _build_repr(obj) -> str:
    params = ", ".join(f"{k}={v!r}" for k, v in sorted(obj._repr_params().items()))
    return f"{type(obj).__name__}({params})"


class BaseCrossValidator:
    """Base of the splitters: ``split`` from the test folds, ``get_n_splits``, repr.

    Subclasses define ``_iter_test_indices`` (or ``_iter_test_masks``); the
    training set of a split is the complement of its test set:
    train_j = {0, ..., n−1} \\ test_j.

    Examples
    --------
    >>> from scratchml.model_selection import KFold
    >>> cv = KFold(n_splits=2)
    >>> [(train.tolist(), test.tolist()) for train, test in cv.split([[0], [1], [2], [3]])]
    [([2, 3], [0, 1]), ([0, 1], [2, 3])]
    """

    def split(self, X, y=None, groups=None) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Yield ``(train, test)`` index arrays, one pair per split."""
        n_samples = _num_samples(X)
        check_consistent_length(X, y, groups)
        indices = np.arange(n_samples)
        for test_mask in self._iter_test_masks(X, y, groups):
            yield indices[~test_mask], indices[test_mask]

    def _iter_test_masks(self, X, y=None, groups=None):
        n_samples = _num_samples(X)
        for test in self._iter_test_indices(X, y, groups):
            mask = np.zeros(n_samples, dtype=bool)
            mask[test] = True
            yield mask

    def _iter_test_indices(self, X, y=None, groups=None):
        raise NotImplementedError

    def _repr_params(self) -> dict:
        return {k: v for k, v in vars(self).items() if not k.startswith("_")}

    def __repr__(self) -> str:
        return _build_repr(self)


class _BaseKFold(BaseCrossValidator):
    """Shared parameter checks of the k-fold splitters (done at construction, as sklearn)."""

    def __init__(self, n_splits: int, *, shuffle: bool, random_state):
        if not isinstance(n_splits, numbers.Integral) or isinstance(n_splits, bool):
            raise ValueError(
                f"n_splits={n_splits!r} must be an integer (the number of folds), got "
                f"{type(n_splits).__name__}."
            )
        if n_splits <= 1:
            raise ValueError(
                f"k-fold cross-validation requires at least one train/test split: got "
                f"n_splits={n_splits}; use n_splits=2 or more."
            )
        if not isinstance(shuffle, bool):
            raise TypeError(f"shuffle must be True or False; got {shuffle!r}.")
        if not shuffle and random_state is not None:
            raise ValueError(
                "Setting a random_state has no effect since shuffle is False. Leave "
                "random_state at None, or set shuffle=True."
            )
        self.n_splits = int(n_splits)
        self.shuffle = shuffle
        self.random_state = random_state

    def split(self, X, y=None, groups=None):
        """Yield ``(train, test)`` index arrays, one pair per fold."""
        n_samples = _num_samples(X)
        if self.n_splits > n_samples:
            raise ValueError(
                f"Cannot have number of splits n_splits={self.n_splits} greater than the "
                f"number of samples: n_samples={n_samples}. Use n_splits <= {n_samples} "
                "(or LeaveOneOut for one sample per test set)."
            )
        yield from super().split(X, y, groups)

    def get_n_splits(self, X=None, y=None, groups=None) -> int:
        """The number of folds, ``n_splits``."""
        return self.n_splits


class KFold(_BaseKFold):
    """K-fold cross-validator: k consecutive folds, each the test set once.

    The first n mod k folds hold ⌊n/k⌋ + 1 samples, the others ⌊n/k⌋; fold j
    tests the j-th block of (optionally shuffled) indices.

    Parameters
    ----------
    n_splits : int, default=5
        Number of folds, at least 2.
    shuffle : bool, default=False
        Shuffle the indices once before cutting them into folds.
    random_state : None, int or numpy.random.Generator, default=None
        Seeds the shuffle (only with ``shuffle=True``). Shuffled folds differ
        from scikit-learn's for the same seed (different generator).

    Examples
    --------
    >>> from scratchml.model_selection import KFold
    >>> [test.tolist() for _, test in KFold(n_splits=2).split([[0], [1], [2]])]
    [[0, 1], [2]]
    """

    def __init__(self, n_splits: int = 5, *, shuffle: bool = False, random_state=None):
        super().__init__(n_splits, shuffle=shuffle, random_state=random_state)

    def _iter_test_indices(self, X, y=None, groups=None):
        n_samples = _num_samples(X)
        indices = np.arange(n_samples)
        if self.shuffle:
            indices = check_random_state(self.random_state).permutation(n_samples)
        fold_sizes = np.full(self.n_splits, n_samples // self.n_splits, dtype=np.intp)
        fold_sizes[: n_samples % self.n_splits] += 1
        bounds = np.concatenate(([0], np.cumsum(fold_sizes)))
        for start, stop in zip(bounds[:-1], bounds[1:]):
            yield indices[start:stop]


def _encode_by_appearance(y: np.ndarray):
    """Classes in order of first appearance and y encoded as 0..K-1 in that order (sklearn's)."""
    classes, first, inverse = np.unique(y, return_index=True, return_inverse=True)
    order = np.argsort(first)  # class codes by order of first appearance
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return classes[order], rank[inverse.ravel()]


class StratifiedKFold(_BaseKFold):
    """Stratified k-fold: each fold keeps the class proportions of y.

    The samples of each class are dealt out round-robin over the folds, so
    class k (n_k samples) puts ⌊n_k/k⌋ or ⌈n_k/k⌉ samples in every fold. As in
    scikit-learn the counts come from dealing the sorted labels y_(i) to fold
    i mod k, and within a class the samples fill the folds in data order (as
    blocks), which keeps the folds identical to scikit-learn's when
    ``shuffle=False``. With ``shuffle=True`` the fold assignment is permuted
    within each class by scratchml's generator (folds differ from sklearn's).

    A class with fewer members than ``n_splits`` makes some folds miss it: a
    ``UserWarning`` names it. When every class is that small the split is
    impossible and ``ValueError`` is raised.

    Parameters
    ----------
    n_splits : int, default=5
    shuffle : bool, default=False
    random_state : None, int or numpy.random.Generator, default=None

    Examples
    --------
    >>> from scratchml.model_selection import StratifiedKFold
    >>> y = [0, 0, 1, 1]
    >>> [test.tolist() for _, test in StratifiedKFold(2).split(y, y)]
    [[0, 2], [1, 3]]
    """

    def __init__(self, n_splits: int = 5, *, shuffle: bool = False, random_state=None):
        super().__init__(n_splits, shuffle=shuffle, random_state=random_state)

    def _make_test_folds(self, y) -> np.ndarray:
        y = np.asarray(y)
        kind = _type_of_target(y)
        if kind not in ("binary", "multiclass"):
            raise ValueError(
                f"Supported target types are: ('binary', 'multiclass'). Got {kind!r} instead. "
                "Stratify on class labels, or use KFold for a continuous target."
            )
        y = y.ravel()
        classes, y_encoded = _encode_by_appearance(y)
        n_classes, k = len(classes), self.n_splits
        y_counts = np.bincount(y_encoded, minlength=n_classes)
        if np.all(k > y_counts):
            raise ValueError(
                f"n_splits={k} cannot be greater than the number of members in each class: "
                f"every class has fewer ({dict(zip(classes.tolist(), y_counts.tolist()))}). "
                f"Use n_splits <= {int(y_counts.max())}, or KFold."
            )
        small = classes[y_counts < k]
        if len(small):
            warnings.warn(
                f"The least populated class in y has only {int(y_counts.min())} members, "
                f"which is less than n_splits={k}; classes {small.tolist()[:10]} will be "
                "missing from some test folds.",
                UserWarning,
                stacklevel=3,
            )
        # Deal the sorted labels round-robin: allocation[f, c] = members of class c in fold f.
        y_order = np.sort(y_encoded)
        allocation = np.stack([np.bincount(y_order[f::k], minlength=n_classes) for f in range(k)])
        # Within a class the folds come as blocks 0..0 1..1 ... in data order.
        folds_per_class = np.repeat(np.tile(np.arange(k), n_classes), allocation.T.ravel())
        if self.shuffle:
            rng = check_random_state(self.random_state)
            # Sorting by (class, random key) shuffles the fold blocks within each class.
            order = np.lexsort((rng.random(len(y)), y_encoded))
        else:
            order = np.argsort(y_encoded, kind="stable")
        test_folds = np.empty(len(y), dtype=np.intp)
        test_folds[order] = folds_per_class
        return test_folds

    def _iter_test_masks(self, X, y=None, groups=None):
        test_folds = self._make_test_folds(y)
        for f in range(self.n_splits):
            yield test_folds == f

    def split(self, X, y, groups=None):
        """Yield ``(train, test)`` index arrays; ``y`` (the class labels) is required."""
        if y is None:
            raise ValueError("StratifiedKFold.split needs y (the class labels to stratify on).")
        if groups is not None:
            warnings.warn("The groups parameter is ignored by StratifiedKFold", UserWarning,
                          stacklevel=2)
        return super().split(X, y, None)


class GroupKFold(_BaseKFold):
    """K-fold where all samples of a group fall in the same fold.

    Without shuffling, groups are taken from the largest to the smallest and
    each is put into the fold that currently has the fewest samples (greedy
    balancing, scikit-learn's rule, so folds match sklearn's). With
    ``shuffle=True`` the groups are permuted and cut into ``n_splits``
    near-equal sets of groups.

    Parameters
    ----------
    n_splits : int, default=5
        Number of folds; at most the number of distinct groups.
    shuffle : bool, default=False
    random_state : None, int or numpy.random.Generator, default=None

    Examples
    --------
    >>> from scratchml.model_selection import GroupKFold
    >>> groups = ["a", "a", "b", "c"]
    >>> [test.tolist() for _, test in GroupKFold(2).split(groups, groups=groups)]
    [[0, 1], [2, 3]]
    """

    def __init__(self, n_splits: int = 5, *, shuffle: bool = False, random_state=None):
        super().__init__(n_splits, shuffle=shuffle, random_state=random_state)

    def _iter_test_indices(self, X, y, groups):
        if groups is None:
            raise ValueError("The 'groups' parameter should not be None: GroupKFold needs "
                             "the group label of every sample.")
        groups = np.asarray(groups)
        unique_groups, group_idx = np.unique(groups, return_inverse=True)
        group_idx = group_idx.ravel()
        n_groups = len(unique_groups)
        if self.n_splits > n_groups:
            raise ValueError(
                f"Cannot have number of splits n_splits={self.n_splits} greater than the "
                f"number of groups: {n_groups}. Use n_splits <= {n_groups}."
            )
        if self.shuffle:
            rng = check_random_state(self.random_state)
            fold_of_group = np.empty(n_groups, dtype=np.intp)
            for f, part in enumerate(np.array_split(rng.permutation(n_groups), self.n_splits)):
                fold_of_group[part] = f
        else:
            sizes = np.bincount(group_idx)
            # Largest groups first; ties keep sklearn's order (reversed stable sort).
            by_size = np.argsort(sizes, kind="stable")[::-1]
            fold_load = np.zeros(self.n_splits)
            fold_of_group = np.zeros(n_groups, dtype=np.intp)
            # Greedy: each choice depends on the loads so far, so this loop over
            # groups (not samples) is inherently sequential.
            for g in by_size:
                lightest = int(np.argmin(fold_load))
                fold_load[lightest] += sizes[g]
                fold_of_group[g] = lightest
        sample_fold = fold_of_group[group_idx]
        for f in range(self.n_splits):
            yield np.flatnonzero(sample_fold == f)


class LeaveOneOut(BaseCrossValidator):
    """Each sample is the test set once: n splits of n − 1 training samples.

    Examples
    --------
    >>> from scratchml.model_selection import LeaveOneOut
    >>> [test.tolist() for _, test in LeaveOneOut().split([[1], [2]])]
    [[0], [1]]
    """

    def _iter_test_indices(self, X, y=None, groups=None):
        n_samples = _num_samples(X)
        if n_samples <= 1:
            raise ValueError(
                f"Cannot perform LeaveOneOut with n_samples={n_samples}: at least 2 samples "
                "are needed (one to train, one to test)."
            )
        return iter(np.arange(n_samples)[:, None])

    def get_n_splits(self, X=None, y=None, groups=None) -> int:
        """The number of samples of X (one split per sample)."""
        if X is None:
            raise ValueError("The 'X' parameter should not be None: LeaveOneOut makes one "
                             "split per sample.")
        return _num_samples(X)


class _CVIterableWrapper(BaseCrossValidator):
    """A list of (train, test) pairs given by the user, as a splitter."""

    def __init__(self, cv: Iterable):
        self.cv = [(np.asarray(train), np.asarray(test)) for train, test in cv]

    def split(self, X=None, y=None, groups=None):
        yield from self.cv

    def get_n_splits(self, X=None, y=None, groups=None) -> int:
        return len(self.cv)


def check_cv(cv=5, y=None, classifier: bool = False, *, shuffle: bool = False,
             random_state=None):
    """Turn a ``cv`` argument into a splitter.

    * None or an int k: ``StratifiedKFold(k)`` when ``classifier`` is True and y is
      binary or multiclass, else ``KFold(k)`` (None means 5);
    * an object with a ``split`` method (scratchml's or scikit-learn's
      splitters, duck-typed): returned as is;
    * an iterable of ``(train, test)`` index pairs: wrapped as a splitter.

    Parameters
    ----------
    cv : None, int, splitter or iterable, default=5
    y : array-like or None
        The target, to decide whether to stratify.
    classifier : bool, default=False
        Whether the estimator is a classifier.
    shuffle, random_state :
        Passed to the k-fold splitter built from an int.

    Returns
    -------
    splitter : object with ``split`` and ``get_n_splits``

    Examples
    --------
    >>> from scratchml.model_selection import check_cv
    >>> check_cv(3, [0, 1, 0, 1], classifier=True)
    StratifiedKFold(n_splits=3, random_state=None, shuffle=False)
    """
    cv = 5 if cv is None else cv
    if isinstance(cv, numbers.Integral) and not isinstance(cv, bool):
        if classifier and y is not None and _type_of_target(y) in ("binary", "multiclass"):
            return StratifiedKFold(int(cv), shuffle=shuffle, random_state=random_state)
        return KFold(int(cv), shuffle=shuffle, random_state=random_state)
    if hasattr(cv, "split") and not isinstance(cv, str):
        return cv
    if isinstance(cv, Iterable) and not isinstance(cv, str):
        return _CVIterableWrapper(cv)
    raise ValueError(
        f"Expected cv as an integer, a splitter object (with a split method), or an "
        f"iterable yielding (train, test) index arrays. Got {cv!r}."
    )
