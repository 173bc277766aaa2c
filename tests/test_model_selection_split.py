"""Splitters: the same folds as scikit-learn without shuffling, and the properties that hold
with it (partitions, stratification, groups kept whole, time order)."""

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scratchml.model_selection import (
    GroupKFold,
    KFold,
    LeaveOneOut,
    ShuffleSplit,
    StratifiedKFold,
    StratifiedShuffleSplit,
    TimeSeriesSplit,
    check_cv,
    train_test_split,
)

sk = pytest.importorskip("sklearn.model_selection")


def _same_splits(ours, theirs):
    ours, theirs = list(ours), list(theirs)
    assert len(ours) == len(theirs)
    for (tr1, te1), (tr2, te2) in zip(ours, theirs):
        np.testing.assert_array_equal(tr1, tr2)
        np.testing.assert_array_equal(te1, te2)


def _assert_partition(splits, n):
    """Every index is tested exactly once, and each train set is its test set's complement."""
    tested = np.concatenate([te for _, te in splits])
    np.testing.assert_array_equal(np.sort(tested), np.arange(n))
    for tr, te in splits:
        np.testing.assert_array_equal(np.sort(np.concatenate([tr, te])), np.arange(n))


sizes = st.integers(2, 60).flatmap(lambda n: st.tuples(st.just(n), st.integers(2, min(n, 8))))


@given(sizes)
def test_kfold_matches_sklearn_and_partitions(nk):
    n, k = nk
    X = np.zeros((n, 1))
    _same_splits(KFold(k).split(X), sk.KFold(k).split(X))
    splits = list(KFold(k, shuffle=True, random_state=1).split(X))
    _assert_partition(splits, n)
    # Shuffling changes membership, never the fold sizes.
    assert [len(te) for _, te in splits] == [len(te) for _, te in sk.KFold(k).split(X)]


@given(sizes, st.integers(1, 4), st.randoms(use_true_random=False))
def test_stratified_kfold_matches_sklearn(nk, n_classes, rnd):
    n, k = nk
    y = np.array([rnd.randrange(n_classes) for _ in range(n)])
    X = np.zeros((n, 2))
    counts = np.bincount(y)
    counts = counts[counts > 0]
    if np.all(counts < k):  # impossible for both libraries
        with pytest.raises(ValueError, match=f"n_splits={k} cannot be greater"):
            list(StratifiedKFold(k).split(X, y))
        with pytest.raises(ValueError):
            list(sk.StratifiedKFold(k).split(X, y))
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # classes smaller than k: both warn
        _same_splits(StratifiedKFold(k).split(X, y), sk.StratifiedKFold(k).split(X, y))
        shuffled = list(StratifiedKFold(k, shuffle=True, random_state=0).split(X, y))
    _assert_partition(shuffled, n)
    # Shuffled or not, class c puts floor(n_c/k) or ceil(n_c/k) samples in every fold.
    for c in np.unique(y):
        per_fold = [np.sum(y[te] == c) for _, te in shuffled]
        assert max(per_fold) - min(per_fold) <= 1


def test_stratified_kfold_string_labels_and_errors():
    y = np.array(["b", "a", "b", "a", "b", "a", "c"])
    X = np.zeros((7, 1))
    with pytest.warns(UserWarning, match=r"only 1 members.*\['c'\]"):
        ours = list(StratifiedKFold(3).split(X, y))
    with pytest.warns(UserWarning):
        _same_splits(ours, sk.StratifiedKFold(3).split(X, y))
    with pytest.raises(ValueError, match=r"cannot be greater.*'b': 3.*n_splits <= 3"):
        list(StratifiedKFold(4).split(X[:6], y[:6]))
    with pytest.raises(ValueError, match="continuous"):
        list(StratifiedKFold(2).split(X, np.linspace(0, 1, 7)))


@given(sizes, st.integers(2, 12), st.randoms(use_true_random=False))
def test_group_kfold_matches_sklearn_and_keeps_groups_whole(nk, n_groups, rnd):
    n, k = nk
    groups = np.array([rnd.randrange(n_groups) for _ in range(n)])
    X = np.zeros((n, 1))
    if len(np.unique(groups)) < k:
        with pytest.raises(ValueError, match="greater than the number of groups"):
            list(GroupKFold(k).split(X, groups=groups))
        return
    _same_splits(GroupKFold(k).split(X, groups=groups),
                 sk.GroupKFold(k).split(X, groups=groups))
    for shuffle in (False, True):
        splits = list(GroupKFold(k, shuffle=shuffle, random_state=0 if shuffle else None)
                      .split(X, groups=groups))
        _assert_partition(splits, n)
        for tr, te in splits:
            assert not set(groups[tr]) & set(groups[te])


@given(st.integers(4, 60), st.integers(2, 5), st.integers(0, 3), st.sampled_from([None, 1, 3]),
       st.sampled_from([None, 2, 5]))
def test_time_series_split_matches_sklearn_and_respects_order(n, k, gap, test_size, max_train):
    X = np.zeros((n, 1))
    ours = TimeSeriesSplit(k, gap=gap, test_size=test_size, max_train_size=max_train)
    theirs = sk.TimeSeriesSplit(k, gap=gap, test_size=test_size, max_train_size=max_train)
    try:
        expected = list(theirs.split(X))
    except ValueError:
        with pytest.raises(ValueError):
            list(ours.split(X))
        return
    got = list(ours.split(X))
    _same_splits(got, expected)
    for tr, te in got:
        assert tr.max() + gap < te.min()  # the past trains, the future tests
        np.testing.assert_array_equal(np.diff(te), 1)


def test_leave_one_out_matches_sklearn():
    X = np.zeros((5, 2))
    _same_splits(LeaveOneOut().split(X), sk.LeaveOneOut().split(X))
    assert LeaveOneOut().get_n_splits(X) == 5
    with pytest.raises(ValueError, match="n_samples=1"):
        list(LeaveOneOut().split(X[:1]))


def test_too_many_splits_message_has_counts_and_fix():
    with pytest.raises(ValueError, match=r"n_splits=5 greater than the number of samples: "
                                         r"n_samples=3\. Use n_splits <= 3"):
        list(KFold(5).split(np.zeros((3, 1))))
    with pytest.raises(ValueError, match="at least one train/test split"):
        KFold(1)
    with pytest.raises(ValueError, match="random_state has no effect"):
        KFold(3, random_state=0)


@given(st.integers(5, 80), st.sampled_from([None, 0.2, 0.5, 3]), st.sampled_from([None, 0.3, 2]))
def test_shuffle_split_sizes_match_sklearn(n, test_size, train_size):
    X = np.zeros((n, 1))
    kwargs = dict(test_size=test_size, train_size=train_size)
    try:
        expected = next(sk.ShuffleSplit(1, random_state=0, **kwargs).split(X))
    except ValueError:
        with pytest.raises(ValueError):
            next(ShuffleSplit(1, random_state=0, **kwargs).split(X))
        return
    for tr, te in ShuffleSplit(3, random_state=0, **kwargs).split(X):
        assert (len(tr), len(te)) == (len(expected[0]), len(expected[1]))
        assert not set(tr) & set(te)


@given(st.integers(2, 5), st.integers(2, 30), st.sampled_from([0.25, 0.5, 7]),
       st.randoms(use_true_random=False))
def test_stratified_shuffle_split_keeps_proportions(n_classes, per_class, test_size, rnd):
    y = np.repeat(np.arange(n_classes), [per_class + rnd.randrange(5) for _ in range(n_classes)])
    n = len(y)
    splitter = StratifiedShuffleSplit(4, test_size=test_size, random_state=rnd.randrange(99))
    try:
        ref = next(sk.StratifiedShuffleSplit(1, test_size=test_size, random_state=0)
                   .split(y, y))
    except ValueError:
        with pytest.raises(ValueError):
            next(splitter.split(y, y))
        return
    counts = np.bincount(y)
    for tr, te in splitter.split(y, y):
        assert (len(tr), len(te)) == (len(ref[0]), len(ref[1]))
        assert not set(tr) & set(te)
        # Train counts are the approximate mode: within 1 of the exact share. Test counts
        # come from the remaining samples, which adds at most one more.
        assert np.all(np.abs(np.bincount(y[tr], minlength=n_classes)
                             - len(tr) * counts / n) < 1)
        assert np.all(np.abs(np.bincount(y[te], minlength=n_classes)
                             - len(te) * counts / n) < 2)


def test_stratified_shuffle_split_errors_name_classes():
    y = np.array([0, 0, 0, 1, 1, 1, 7])
    with pytest.raises(ValueError, match=r"only 1 member.*\[7\]"):
        next(StratifiedShuffleSplit(1, test_size=0.5).split(y, y))


def test_train_test_split_containers_and_sizes():
    pd = pytest.importorskip("pandas")
    X = np.arange(40).reshape(20, 2)
    y = list(range(20))
    df = pd.DataFrame(X, columns=["a", "b"], index=np.arange(100, 120))
    Xtr, Xte, ytr, yte, dtr, dte = train_test_split(X, y, df, random_state=0)
    assert isinstance(ytr, list) and isinstance(dtr, pd.DataFrame)
    sk_out = sk.train_test_split(X, y, df, random_state=0)
    assert [len(a) for a in (Xtr, Xte, ytr, yte, dtr, dte)] == [len(a) for a in sk_out]
    # The rows stay aligned across arrays, and frames keep their index.
    np.testing.assert_array_equal(Xtr[:, 0] // 2, ytr)
    np.testing.assert_array_equal(dtr.to_numpy(), Xtr)
    np.testing.assert_array_equal(dtr.index - 100, ytr)
    # Without shuffling, the split is scikit-learn's exactly.
    for a, b in zip(train_test_split(X, y, shuffle=False, test_size=0.3),
                    sk.train_test_split(X, y, shuffle=False, test_size=0.3)):
        np.testing.assert_array_equal(a, b)
    a = train_test_split(X, random_state=3)
    np.testing.assert_array_equal(a[0], train_test_split(X, random_state=3)[0])
    with pytest.raises(ValueError, match="inconsistent numbers of samples: \\[20, 3\\]"):
        train_test_split(X, [1, 2, 3])
    with pytest.raises(ValueError, match="shuffle=False"):
        train_test_split(X, shuffle=False, stratify=y)
    with pytest.raises(ValueError, match="test_size=1.5"):
        train_test_split(X, test_size=1.5)


def test_train_test_split_stratify():
    y = np.r_[np.zeros(30, int), np.ones(10, int), np.full(20, 5)]
    # 20% of each class is a whole number here, so there is no tie to break at random.
    tr, te = train_test_split(y, stratify=y, test_size=0.2, random_state=0)
    np.testing.assert_array_equal(np.bincount(te), [6, 2, 0, 0, 0, 4])
    np.testing.assert_array_equal(np.bincount(tr), [24, 8, 0, 0, 0, 16])


def test_random_state_reproducible_and_generator_consumed():
    X = np.zeros((30, 1))
    a = list(KFold(3, shuffle=True, random_state=5).split(X))
    b = list(KFold(3, shuffle=True, random_state=5).split(X))
    _same_splits(a, b)
    gen = np.random.default_rng(0)
    cv = ShuffleSplit(1, random_state=gen)
    first, second = next(cv.split(X))[1], next(cv.split(X))[1]
    assert not np.array_equal(first, second)


def test_check_cv():
    y_bin = np.array([0, 1] * 10)
    assert isinstance(check_cv(3, y_bin, classifier=True), StratifiedKFold)
    assert isinstance(check_cv(3, y_bin, classifier=False), KFold)
    assert isinstance(check_cv(None, np.linspace(0, 1, 20), classifier=True), KFold)
    assert check_cv(None).get_n_splits() == 5
    folds = [(np.arange(5, 10), np.arange(5)), (np.arange(5), np.arange(5, 10))]
    wrapped = check_cv(folds)
    assert wrapped.get_n_splits() == 2
    _same_splits(wrapped.split(), folds)
    theirs = sk.KFold(4)
    assert check_cv(theirs) is theirs  # scikit-learn splitters are used as they are
    with pytest.raises(ValueError, match="Expected cv"):
        check_cv("five")
    assert repr(KFold(3)) == repr(sk.KFold(3))
