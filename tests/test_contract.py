"""The estimator contract, checked on every public estimator (discovered automatically)."""

import copy
import inspect
import io
import pickle

import numpy as np
import pytest
from _estimators import (
    IMPORT_ERRORS,
    OUTPUT_METHODS,
    all_estimators,
    data_for,
    kind,
    make,
    outputs,
    skip_reason,
)

import scratchml
from scratchml.base import clone
from scratchml.exceptions import NotFittedError

ESTIMATORS = all_estimators()
ids = [c.__name__ for c in ESTIMATORS]


@pytest.fixture(autouse=True)
def _skip_inapplicable(request):
    """Skip a check that an estimator family declared inapplicable (with its reason)."""
    cls = request.node.callspec.params.get("cls") if hasattr(request.node, "callspec") else None
    if cls is not None:
        reason = skip_reason(cls, request.node.originalname)
        if reason:
            pytest.skip(f"{cls.__name__}: {reason}")


def _fit(est, X, y):
    return est.fit(X) if y is None else est.fit(X, y)


def test_every_public_module_imports():
    assert not IMPORT_ERRORS, IMPORT_ERRORS


def test_discovery_finds_estimators():
    # Guards the suite itself: if discovery broke, every test below would vanish.
    names = {c.__name__ for c in ESTIMATORS}
    assert {"NearestCentroid", "StandardScaler"} <= names


@pytest.mark.parametrize("cls", ESTIMATORS, ids=ids)
def test_init_stores_params_unchanged(cls):
    sig = inspect.signature(cls.__init__)
    est = cls()
    params = est.get_params(deep=False)
    assert set(params) == {p for p in sig.parameters if p != "self"}
    for name, p in sig.parameters.items():
        if name != "self" and p.default is not p.empty:
            assert params[name] is p.default, f"__init__ changed {name!r}"
    assert not [k for k in vars(est) if k.endswith("_") and not k.startswith("__")]


@pytest.mark.parametrize("cls", ESTIMATORS, ids=ids)
def test_clone_and_params_round_trip(cls):
    est = make(cls)
    c = clone(est)
    assert type(c) is cls and c is not est
    assert repr(c.get_params(deep=False)) == repr(est.get_params(deep=False))
    assert est.set_params(**est.get_params(deep=False)) is est
    with pytest.raises(ValueError, match="Invalid parameter"):
        est.set_params(not_a_parameter=1)
    assert cls.__name__ in repr(est)


@pytest.mark.parametrize("cls", ESTIMATORS, ids=ids)
def test_fit_returns_self_and_does_not_mutate_input(cls):
    est = make(cls)
    X, y = data_for(est)
    X0, y0 = X.copy(), None if y is None else y.copy()
    assert _fit(est, X, y) is est
    outputs(est, X)
    np.testing.assert_array_equal(X, X0)
    if y is not None:
        np.testing.assert_array_equal(y, y0)
    assert est.n_features_in_ == X.shape[1]


@pytest.mark.parametrize("cls", ESTIMATORS, ids=ids)
def test_clone_of_fitted_is_unfitted(cls):
    est = make(cls)
    X, y = data_for(est)
    _fit(est, X, y)
    assert not [k for k in vars(clone(est)) if k.endswith("_") and not k.startswith("__")]


@pytest.mark.parametrize("cls", ESTIMATORS, ids=ids)
def test_unfitted_use_raises_not_fitted(cls):
    est = make(cls)
    X, _ = data_for(est)
    methods = [m for m in OUTPUT_METHODS + ("inverse_transform",) if hasattr(est, m)]
    assert methods, f"{cls.__name__} has no prediction method"
    for method in methods:
        with pytest.raises(NotFittedError, match=rf"{cls.__name__}.*fit.*{method}"):
            getattr(est, method)(X)


@pytest.mark.parametrize("cls", ESTIMATORS, ids=ids)
def test_wrong_feature_count_raises(cls):
    est = make(cls)
    X, y = data_for(est)
    _fit(est, X, y)
    for method in OUTPUT_METHODS:
        if hasattr(est, method):
            with pytest.raises(ValueError, match=rf"X has 3 features, but {cls.__name__}.*4"):
                getattr(est, method)(X[:, :3])


@pytest.mark.parametrize("cls", ESTIMATORS, ids=ids)
def test_nan_input_gives_documented_error(cls):
    est = make(cls)
    X, y = data_for(est)
    Xn = X.copy()
    Xn[3, 1] = np.nan
    with pytest.raises(ValueError, match=r"NaN.*column.*'1'.*SimpleImputer"):
        _fit(est, Xn, y)
    _fit(est, X, y)
    for method in OUTPUT_METHODS:
        if hasattr(est, method):
            with pytest.raises(ValueError, match="NaN"):
                getattr(est, method)(Xn)


@pytest.mark.parametrize("cls", ESTIMATORS, ids=ids)
def test_empty_and_string_input_errors(cls):
    est = make(cls)
    X, y = data_for(est)
    with pytest.raises(ValueError, match="no samples"):
        _fit(est, X[:0], None if y is None else y[:0])
    Xs = X.astype(object)
    Xs[0, 2] = "red"
    with pytest.raises(ValueError, match=r"non-numeric.*'2'.*Encoder"):
        _fit(est, Xs, y)


@pytest.mark.parametrize("cls", ESTIMATORS, ids=ids)
def test_same_random_state_same_result(cls):
    est = make(cls)
    X, y = data_for(est)
    if "random_state" in est.get_params():
        est.set_params(random_state=0)
    a = outputs(_fit(clone(est), X, y), X)
    b = outputs(_fit(clone(est), X, y), X)
    for m in a:
        np.testing.assert_array_equal(a[m], b[m])


@pytest.mark.parametrize("cls", ESTIMATORS, ids=ids)
def test_save_load_and_pickle_round_trips(cls, tmp_path):
    est = make(cls)
    X, y = data_for(est)
    _fit(est, X, y)
    expected = outputs(est, X)
    path = tmp_path / "model.zip"
    scratchml.save(est, path)
    loaded = scratchml.load(path)
    assert type(loaded) is cls
    assert repr(loaded.get_params(deep=False)) == repr(est.get_params(deep=False))
    got = outputs(loaded, X)
    for m in expected:
        np.testing.assert_array_equal(got[m], expected[m])
    buf = io.BytesIO(pickle.dumps(est))
    unpickled = pickle.load(buf)
    for m, v in outputs(unpickled, X).items():
        np.testing.assert_array_equal(v, expected[m])
    for m, v in outputs(copy.deepcopy(est), X).items():
        np.testing.assert_array_equal(v, expected[m])


@pytest.mark.parametrize("cls", ESTIMATORS, ids=ids)
def test_accepts_lists_and_float32(cls):
    est = make(cls)
    X, y = data_for(est)
    ref = outputs(_fit(clone(est), X, y), X)
    from_lists = outputs(_fit(clone(est), X.tolist(), None if y is None else y.tolist()), X)
    for m in ref:
        np.testing.assert_allclose(from_lists[m], ref[m])
    X32 = X.astype(np.float32)
    out32 = outputs(_fit(clone(est), X32, y), X32)
    for m in out32:
        assert np.all(np.isfinite(np.asarray(out32[m], dtype=float)))


@pytest.mark.parametrize("cls", ESTIMATORS, ids=ids)
def test_score_if_supervised(cls):
    est = make(cls)
    X, y = data_for(est)
    if kind(est) not in ("classifier", "regressor"):
        pytest.skip("not supervised")
    _fit(est, X, y)
    s = est.score(X, y)
    assert np.isfinite(s)
    if kind(est) == "classifier":
        assert 0.7 <= s <= 1.0  # the contract data is nearly separable
        with pytest.raises(ValueError, match="1 class"):
            clone(est).fit(X, np.zeros(len(X), dtype=int))
