"""ColumnTransformer, make_column_selector and TransformedTargetRegressor against scikit-learn's,
with scikit-learn transformers inside scratchml's ColumnTransformer (duck typing)."""

import io
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import scratchml
from scratchml.base import BaseEstimator, clone
from scratchml.compose import (
    ColumnTransformer,
    TransformedTargetRegressor,
    make_column_selector,
    make_column_transformer,
)
from scratchml.preprocessing import StandardScaler

pd = pytest.importorskip("pandas")
skc = pytest.importorskip("sklearn.compose")
from sklearn.linear_model import LinearRegression  # noqa: E402
from sklearn.preprocessing import MinMaxScaler, OneHotEncoder  # noqa: E402
from sklearn.preprocessing import StandardScaler as SkStandardScaler  # noqa: E402


def _frame(seed=0, n=30):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "age": rng.uniform(18, 80, n),
        "city": rng.choice(["paris", "rome", "oslo"], n),
        "income": rng.lognormal(10, 1, n),
        "pet": rng.choice(["cat", "dog"], n),
        "score": rng.integers(0, 100, n),
    })


def _both(transformers, **kwargs):
    """The same specification built as scratchml's and scikit-learn's ColumnTransformer."""
    ours = ColumnTransformer([(n, clone(t, safe=False), c) for n, t, c in transformers],
                             **kwargs)
    kwargs = {k: clone(v, safe=False) for k, v in kwargs.items()}
    theirs = skc.ColumnTransformer([(n, clone(t, safe=False), c) for n, t, c in transformers],
                                   **kwargs)
    return ours, theirs


def _assert_same_output(a, b):
    assert a.shape == b.shape
    if a.dtype == object or b.dtype == object:  # passthrough of strings: compare as objects
        assert a.tolist() == b.tolist()
    else:
        # Same transformer code on the same columns: equal up to rounding.
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


SPECS = [
    ([("num", SkStandardScaler(), ["age", "income"]),
      ("cat", OneHotEncoder(), ["city", "pet"])], {}),
    ([("num", SkStandardScaler(), make_column_selector(dtype_include=np.number)),
      ("cat", OneHotEncoder(), make_column_selector(dtype_exclude=np.number))], {}),
    ([("num", MinMaxScaler(), [0, 2]), ("cat", OneHotEncoder(), slice(3, 4))],
     {"remainder": "passthrough"}),
    ([("a", SkStandardScaler(), ["age"]), ("pass", "passthrough", ["score"]),
      ("gone", "drop", ["city", "pet"])], {"remainder": MinMaxScaler()}),
    ([("num", SkStandardScaler(), [True, False, True, False, True]),
      ("empty", OneHotEncoder(), [])], {"transformer_weights": {"num": 3.0}}),
    ([("range", SkStandardScaler(), slice("age", "income"))],
     {"remainder": "drop", "verbose_feature_names_out": False}),
]


@pytest.mark.parametrize("transformers, kwargs", SPECS)
def test_column_transformer_matches_sklearn_on_a_dataframe(transformers, kwargs):
    if any(t[0] == "range" for t in transformers):
        # A label slice selects "city" too: encode it instead of scaling.
        transformers = [("range", OneHotEncoder(), slice("city", "city")),
                        ("nums", SkStandardScaler(), slice("age", "age"))]
    df = _frame()
    ours, theirs = _both(transformers, **kwargs)
    _assert_same_output(ours.fit_transform(df), theirs.fit_transform(df))
    _assert_same_output(ours.transform(df), theirs.transform(df))
    np.testing.assert_array_equal(ours.get_feature_names_out(), theirs.get_feature_names_out())
    assert ours.output_indices_ == theirs.output_indices_
    assert ours.n_features_in_ == 5
    np.testing.assert_array_equal(ours.feature_names_in_, theirs.feature_names_in_)
    for (n1, t1, c1), (n2, t2, c2) in zip(ours.transformers_, theirs.transformers_):
        assert n1 == n2 and list(np.atleast_1d(c1)) == list(np.atleast_1d(c2))
        if not isinstance(t1, str):
            assert type(t1) is type(t2)
    # Columns in another order, plus an extra column, are found by name.
    shuffled = df[["score", "pet", "income", "city", "age"]].assign(extra=1.0)
    _assert_same_output(ours.transform(shuffled), theirs.transform(shuffled))


numeric_specs = st.lists(
    st.one_of(st.lists(st.integers(0, 4), min_size=1, max_size=3, unique=True),
              st.lists(st.booleans(), min_size=5, max_size=5)),
    min_size=1, max_size=3)


@given(numeric_specs, st.sampled_from(["drop", "passthrough"]), st.integers(0, 100))
def test_column_transformer_matches_sklearn_on_arrays(specs, remainder, seed):
    X = np.random.default_rng(seed).standard_normal((12, 5))
    transformers = [(f"t{i}", SkStandardScaler() if i % 2 else MinMaxScaler(), cols)
                    for i, cols in enumerate(specs)]
    ours, theirs = _both(transformers, remainder=remainder)
    _assert_same_output(ours.fit_transform(X), theirs.fit_transform(X))
    _assert_same_output(ours.transform(X[::-1]), theirs.transform(X[::-1]))
    # scikit-learn leaves output_indices_ unset when no column is selected at all.
    expected = getattr(theirs, "output_indices_", {n: slice(0, 0) for n, _, _ in transformers})
    assert ours.output_indices_ == {"remainder": slice(0, 0), **expected}
    np.testing.assert_array_equal(ours.get_feature_names_out(), theirs.get_feature_names_out())


def test_scratchml_transformers_threads_and_persistence():
    df = _frame(1)
    numbers = make_column_selector(dtype_include=np.number)
    ct = ColumnTransformer([("num", StandardScaler(), numbers),
                            ("center", StandardScaler(with_std=False), ["age"])], n_jobs=2)
    out = ct.fit_transform(df)
    nums = df[["age", "income", "score"]].to_numpy(float)
    np.testing.assert_allclose(out[:, :3], SkStandardScaler().fit_transform(nums),
                               rtol=1e-12, atol=1e-12)
    assert ct.transformers_[0][2] == ["age", "income", "score"]  # the selector's choice
    assert ct.transformers_[-1][:2] == ("remainder", "drop")
    assert set(ct.named_transformers_) == {"num", "center", "remainder"}
    buf = io.BytesIO()
    scratchml.save(ct, buf)
    buf.seek(0)
    loaded = scratchml.load(buf)
    np.testing.assert_array_equal(loaded.transform(df), ct.transform(df))
    assert loaded.output_indices_ == ct.output_indices_
    assert loaded.transformers[0][2].get_params() == {
        "pattern": None, "dtype_include": "number", "dtype_exclude": None}


class _OneDimensional(BaseEstimator):
    def fit(self, X, y=None):
        return self

    def transform(self, X):
        return np.asarray(X)[:, 0]


def test_errors_and_params():
    df = _frame()
    ct = ColumnTransformer([("num", SkStandardScaler(), ["age", "income"])])
    ct.fit(df)
    with pytest.raises(ValueError, match=r"columns are missing: \['income'\]"):
        ct.transform(df.drop(columns="income"))
    arr = df[["age", "income", "score"]].to_numpy()
    ct_arr = ColumnTransformer([("num", SkStandardScaler(), [0, 1])]).fit(arr)
    with pytest.raises(ValueError, match="X has 2 features, but ColumnTransformer.*3"):
        ct_arr.transform(arr[:, :2])
    with pytest.raises(ValueError, match="only supported for pandas DataFrames"):
        ColumnTransformer([("n", SkStandardScaler(), ["a"])]).fit(arr)
    with pytest.raises(ValueError, match="not a column of the dataframe: 'nope'"):
        ColumnTransformer([("n", SkStandardScaler(), ["nope"])]).fit(df)
    with pytest.raises(ValueError, match="remainder="):
        ColumnTransformer([("n", SkStandardScaler(), [0])], remainder="keep").fit(arr)
    with pytest.raises(ValueError, match="list of one item instead of a scalar"):
        ColumnTransformer([("n", SkStandardScaler(), 0)]).fit(arr)
    with pytest.raises(ValueError, match="should be 2D"):
        ColumnTransformer([("n", _OneDimensional(), [0])]).fit(arr)
    ct.set_params(num__with_mean=False)
    assert ct.get_params()["num__with_mean"] is False
    ct.set_params(num=MinMaxScaler())
    assert isinstance(ct.transformers[0][1], MinMaxScaler) and ct.transformers[0][2] == [
        "age", "income"]
    names = [n for n, _, _ in make_column_transformer(
        (SkStandardScaler(), [0]), (SkStandardScaler(), [1]), ("drop", [2])).transformers]
    assert names == [n for n, _, _ in skc.make_column_transformer(
        (SkStandardScaler(), [0]), (SkStandardScaler(), [1]), ("drop", [2])).transformers]


def test_make_column_selector_matches_sklearn():
    df = _frame().assign(kind=lambda d: d["pet"].astype("category"))
    for kwargs in ({"dtype_include": np.number}, {"dtype_include": "category"},
                   {"dtype_exclude": [np.number, "category"]}, {"pattern": "^[ai]"},
                   {"pattern": "e", "dtype_include": np.number}):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pandas' notes on the 'str' dtype, both sides
            assert make_column_selector(**kwargs)(df) == skc.make_column_selector(**kwargs)(df)
    with pytest.raises(ValueError, match="pandas dataframes"):
        make_column_selector(dtype_include=np.number)(np.zeros((2, 2)))


def test_verbose_and_empty_output(capsys):
    df = _frame()
    ColumnTransformer([("num", SkStandardScaler(), ["age"])], verbose=True).fit(df)
    line = capsys.readouterr().out.strip()
    assert line.startswith("[ColumnTransformer] ") and "(1 of 1) Processing num" in line
    assert ColumnTransformer([("d", "drop", ["age"])]).fit_transform(df).shape == (30, 0)


def test_transformed_target_regressor_matches_sklearn():
    rng = np.random.default_rng(0)
    X = rng.uniform(0, 2, (40, 3))
    y = np.exp(X @ np.array([0.5, -0.3, 0.2]) + 0.05 * rng.standard_normal(40))
    for kwargs in ({"func": np.log, "inverse_func": np.exp},
                   {"transformer": SkStandardScaler()}, {}):
        ours = TransformedTargetRegressor(LinearRegression(), **kwargs).fit(X, y)
        theirs = skc.TransformedTargetRegressor(LinearRegression(), **kwargs).fit(X, y)
        # Same least-squares problem solved by the same code on both sides.
        np.testing.assert_allclose(ours.predict(X), theirs.predict(X), rtol=1e-12)
        assert ours.predict(X).shape == (40,)
        np.testing.assert_allclose(ours.score(X, y), theirs.score(X, y), rtol=1e-12)
        assert ours.n_features_in_ == 3
    # A scratchml transformer of the target, and a 2-D target keeps its shape.
    Y = np.c_[y, 2 * y]
    two = TransformedTargetRegressor(LinearRegression(), transformer=StandardScaler()).fit(X, Y)
    np.testing.assert_allclose(
        two.predict(X),
        skc.TransformedTargetRegressor(LinearRegression(), transformer=SkStandardScaler())
        .fit(X, Y).predict(X), rtol=1e-10)
    with pytest.warns(UserWarning, match="not strictly inverse"):
        TransformedTargetRegressor(LinearRegression(), func=np.sqrt,
                                   inverse_func=np.exp).fit(X, y)
    with pytest.raises(ValueError, match="cannot both be set"):
        TransformedTargetRegressor(transformer=SkStandardScaler(), func=np.log).fit(X, y)
    with pytest.raises(ValueError, match="'inverse_func' must also be provided"):
        TransformedTargetRegressor(LinearRegression(), func=np.log).fit(X, y)
    with pytest.raises(scratchml.exceptions.NotFittedError, match="TransformedTarget"):
        TransformedTargetRegressor(LinearRegression()).predict(X)
