"""Categorical encoders against scikit-learn: same categories, same codes, same names.

Encoders produce integers and 0/1 indicators, so every comparison here is exact.
"""

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import scratchml
from scratchml.preprocessing import LabelBinarizer, LabelEncoder, OneHotEncoder, OrdinalEncoder

sk = pytest.importorskip("sklearn.preprocessing")
pd = pytest.importorskip("pandas")

pytestmark = pytest.mark.filterwarnings("ignore:Found unknown categories:UserWarning")

# Values of each column kind; the "new" ones appear only at transform (unseen categories).
KINDS = {
    "str": (["a", "b", "c", "dd"], ["zz", "e"]),
    "int": ([-2, 0, 1, 3], [9, -7]),
    "float": ([0.5, 1.0, 2.0, np.nan], [7.5]),
    "str_missing": (["a", "b", None, np.nan], ["q"]),
}


def _is_nan(v):
    return isinstance(v, (float, np.floating)) and v != v


def assert_same(ours, theirs):
    """Element-wise equality where None matches None and NaN matches NaN only."""
    a, b = np.asarray(ours, dtype=object), np.asarray(theirs, dtype=object)
    assert a.shape == b.shape
    for x, y in zip(a.ravel(), b.ravel()):
        if x is None or y is None:
            assert x is y, (x, y)
        elif _is_nan(x) or _is_nan(y):
            assert _is_nan(x) and _is_nan(y), (x, y)
        else:
            assert x == y and isinstance(x, str) == isinstance(y, str), (x, y)


def assert_same_categories(ours, theirs):
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        assert a.dtype == b.dtype
        assert_same(a, b)


def outcome(fn, *args):
    """fn(*args), or ValueError/TypeError if it raised one (to compare failures, too)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return fn(*args)
    except ValueError:  # scratchml's DataValidationError is one
        return ValueError
    except TypeError:
        return TypeError


def _nan_and_infrequent(enc):
    if not (enc.max_categories or enc.min_frequency):
        return False
    return any(rare is not None and _is_nan(cats[-1])
               for cats, rare in zip(enc.categories_, enc.infrequent_categories_))


@st.composite
def categorical_data(draw, allow_new=True):
    """(X_fit, X_new) in one input format: object array, DataFrame or numeric array."""
    p = draw(st.integers(1, 3))
    n = draw(st.integers(1, 25))
    kinds = [draw(st.sampled_from(sorted(KINDS))) for _ in range(p)]
    fmt = draw(st.sampled_from(["object", "frame", "numeric", "str"]))
    if fmt == "numeric" and not all(k in ("int", "float") for k in kinds):
        fmt = "object"
    if fmt == "str" and set(kinds) != {"str"}:
        fmt = "frame"

    def column(kind, rows, new):
        pool = KINDS[kind][0] + (KINDS[kind][1] if new else [])
        return [draw(st.sampled_from(pool)) for _ in range(rows)]

    def build(rows, new):
        cols = [column(k, rows, new) for k in kinds]
        if fmt == "frame":
            # An all-missing object column would be read as float by pandas: keep objects.
            return pd.DataFrame({f"c{j}": pd.Series(c, dtype=object if k == "str_missing"
                                                    else None)
                                 for j, (c, k) in enumerate(zip(cols, kinds))})
        X = np.empty((rows, p), dtype=object)
        for j, c in enumerate(cols):
            X[:, j] = c
        if fmt == "numeric":
            return X.astype(np.float64)
        return X.astype(str) if fmt == "str" else X

    new = allow_new and draw(st.booleans())
    return build(n, False), build(draw(st.integers(1, 10)), new)


infrequent = st.tuples(st.sampled_from([None, 1, 2, 3, 0.2, 0.5]),
                       st.sampled_from([None, 1, 2, 3]))


@given(categorical_data(), st.sampled_from([None, "first", "if_binary"]),
       st.sampled_from(["error", "ignore", "infrequent_if_exist", "warn"]), infrequent)
def test_one_hot_matches_sklearn(data, drop, handle_unknown, freq):
    X, X_new = data
    params = dict(drop=drop, handle_unknown=handle_unknown, min_frequency=freq[0],
                  max_categories=freq[1])
    ours, theirs = OneHotEncoder(**params), sk.OneHotEncoder(sparse_output=False, **params)
    fitted = outcome(ours.fit, X), outcome(theirs.fit, X)
    if isinstance(fitted[1], type):
        assert fitted[0] is fitted[1]
        return
    assert_same_categories(ours.categories_, theirs.categories_)
    if drop is None:
        assert ours.drop_idx_ is None and theirs.drop_idx_ is None
    else:
        assert list(ours.drop_idx_) == list(theirs.drop_idx_)
    if freq != (None, None):
        for a, b in zip(ours.infrequent_categories_, theirs.infrequent_categories_):
            assert (a is None and b is None) or assert_same(a, b) is None
    np.testing.assert_array_equal(ours.get_feature_names_out(), theirs.get_feature_names_out())
    for data_in in (X, X_new):
        got, want = outcome(ours.transform, data_in), outcome(theirs.transform, data_in)
        if isinstance(want, type):
            assert got is want
            continue
        assert got.dtype == want.dtype
        np.testing.assert_array_equal(got, want)
        back = outcome(ours.inverse_transform, got)
        back_sk = outcome(theirs.inverse_transform, want)
        if isinstance(back_sk, type):
            # scikit-learn cannot invert 0 output columns (every category dropped).
            assert back is back_sk or got.shape[1] == 0
        else:
            assert_same(back, back_sk)
    np.testing.assert_array_equal(OneHotEncoder(**params).fit_transform(X), ours.transform(X))


@given(categorical_data(), st.sampled_from([("error", None), ("use_encoded_value", -1),
                                            ("use_encoded_value", np.nan)]),
       st.sampled_from([np.nan, -2]), infrequent)
def test_ordinal_matches_sklearn(data, unknown, missing_value, freq):
    X, X_new = data
    params = dict(handle_unknown=unknown[0], unknown_value=unknown[1],
                  encoded_missing_value=missing_value, min_frequency=freq[0],
                  max_categories=freq[1])
    ours, theirs = OrdinalEncoder(**params), sk.OrdinalEncoder(**params)
    fitted = outcome(ours.fit, X), outcome(theirs.fit, X)
    if isinstance(fitted[1], type):
        assert fitted[0] is fitted[1]
        return
    assert_same_categories(ours.categories_, theirs.categories_)
    for data_in in (X, X_new):
        got, want = outcome(ours.transform, data_in), outcome(theirs.transform, data_in)
        if isinstance(want, type):
            assert got is want
            continue
        np.testing.assert_array_equal(got, want)  # NaN codes compare equal here
        back = ours.inverse_transform(got)
        if not _nan_and_infrequent(ours):
            assert_same(back, theirs.inverse_transform(want))
    # scikit-learn 1.9 miscounts the grouped code of a feature that also has NaN (its
    # inverse_transform then fails or returns NaN): check ours against the definition.
    grouped = np.asarray(X.to_numpy() if hasattr(X, "to_numpy") else X, dtype=object).copy()
    if ours.max_categories or ours.min_frequency:
        for j, rare in enumerate(ours.infrequent_categories_):
            if rare is not None:
                rows = [v in set(rare.tolist()) and not _is_nan(v) for v in grouped[:, j]]
                grouped[rows, j] = "infrequent_sklearn"
    assert_same(ours.inverse_transform(ours.transform(X)), grouped)
    np.testing.assert_array_equal(OrdinalEncoder(**params).fit_transform(X), ours.transform(X))


@given(categorical_data(allow_new=False))
def test_inverse_transform_round_trips(data):
    X, _ = data
    X = np.asarray(X.to_numpy() if hasattr(X, "to_numpy") else X, dtype=object)
    for enc in (OneHotEncoder(), OneHotEncoder(drop="first"), OrdinalEncoder()):
        assert_same(enc.inverse_transform(enc.fit_transform(X)), X)


@given(categorical_data(allow_new=False))
def test_one_hot_rows_have_one_one_per_feature(data):
    X, _ = data
    out = OneHotEncoder().fit_transform(X)
    assert set(np.unique(out)) <= {0.0, 1.0}
    np.testing.assert_array_equal(out.sum(axis=1), np.full(len(out), X.shape[1]))


@given(st.lists(st.sampled_from(["x", "y", "zz", "w"]), min_size=1, max_size=30),
       st.lists(st.integers(-3, 3), min_size=1, max_size=30))
def test_label_encoder_matches_sklearn(words, ints):
    for y in (words, ints, np.asarray(ints, dtype=float)):
        ours, theirs = LabelEncoder().fit(y), sk.LabelEncoder().fit(y)
        assert ours.classes_.dtype == theirs.classes_.dtype
        np.testing.assert_array_equal(ours.classes_, theirs.classes_)
        np.testing.assert_array_equal(ours.transform(y), theirs.transform(y))
        np.testing.assert_array_equal(LabelEncoder().fit_transform(y), theirs.transform(y))
        codes = theirs.transform(y)
        np.testing.assert_array_equal(ours.inverse_transform(codes), np.asarray(y))


@given(st.lists(st.sampled_from([0, 1, 2, 5]), min_size=1, max_size=30),
       st.sampled_from([(0, 1), (-1, 1), (-3, 0), (2, 7)]), st.booleans())
def test_label_binarizer_matches_sklearn(y, labels, as_str):
    y = [f"c{v}" for v in y] if as_str else y
    y_new = y + (["c9"] if as_str else [9])  # an unseen label: a row of neg_label
    params = dict(neg_label=labels[0], pos_label=labels[1])
    ours, theirs = LabelBinarizer(**params).fit(y), sk.LabelBinarizer(**params).fit(y)
    assert ours.y_type_ == theirs.y_type_
    np.testing.assert_array_equal(ours.classes_, theirs.classes_)
    for data_in in (y, y_new):
        got, want = ours.transform(data_in), theirs.transform(data_in)
        assert got.dtype == want.dtype
        np.testing.assert_array_equal(got, want)
        np.testing.assert_array_equal(ours.inverse_transform(got), theirs.inverse_transform(want))
    scores = np.linspace(-1, 2, 3 * len(theirs.classes_)).reshape(3, -1)
    if theirs.y_type_ == "binary":
        scores = scores[:, :1]
    for threshold in (None, 0.5):
        np.testing.assert_array_equal(ours.inverse_transform(scores, threshold),
                                      theirs.inverse_transform(scores, threshold))


def test_label_binarizer_multilabel_matches_sklearn():
    Y = np.array([[1, 0, 1], [0, 0, 1], [1, 1, 0]])
    ours, theirs = LabelBinarizer(neg_label=-1).fit(Y), sk.LabelBinarizer(neg_label=-1).fit(Y)
    assert ours.y_type_ == theirs.y_type_ == "multilabel-indicator"
    np.testing.assert_array_equal(ours.transform(Y), theirs.transform(Y))
    np.testing.assert_array_equal(ours.inverse_transform(ours.transform(Y)), Y)
    with pytest.raises(ValueError, match="not fitted with multilabel"):
        LabelBinarizer().fit([0, 1, 2]).transform(Y)


def test_dataframe_with_mixed_column_types_matches_sklearn():
    df = pd.DataFrame({
        "city": ["paris", "tokyo", None, "paris", "lima"],
        "size": [1.0, 2.0, 3.0, np.nan, 2.0],
        "grade": pd.Categorical(["a", "b", "a", None, "b"]),
        "count": pd.array([1, 2, None, 1, 2], dtype="Int64"),
        "level": [3, 1, 2, 3, 3],
    })
    for params in ({}, {"drop": "first"}, {"min_frequency": 2}):
        ours, theirs = OneHotEncoder(**params).fit(df), sk.OneHotEncoder(
            sparse_output=False, **params).fit(df)
        assert_same_categories(ours.categories_, theirs.categories_)
        np.testing.assert_array_equal(ours.transform(df), theirs.transform(df))
        np.testing.assert_array_equal(ours.get_feature_names_out(), theirs.get_feature_names_out())
        assert list(ours.feature_names_in_) == list(df.columns)
        assert_same(ours.inverse_transform(ours.transform(df)),
                    theirs.inverse_transform(theirs.transform(df)))
    np.testing.assert_array_equal(OrdinalEncoder().fit_transform(df),
                                  sk.OrdinalEncoder().fit_transform(df))


def test_pandas_string_dtype_missing_is_a_nan_category():
    # scikit-learn 1.9 cannot sort pandas.NA; scratchml reads it as NaN, sorted last.
    df = pd.DataFrame({"s": pd.array(["u", None, "v", "u"], dtype="string")})
    enc = OneHotEncoder().fit(df)
    assert_same(enc.categories_[0], ["u", "v", np.nan])
    np.testing.assert_array_equal(enc.transform(df).argmax(axis=1), [0, 2, 1, 0])


def test_user_categories_keep_their_order_and_are_checked():
    X = np.array([["b", 1], ["a", 3]], dtype=object)
    cats = [["b", "a", "c"], [1, 3, 5]]
    ours, theirs = OneHotEncoder(categories=cats).fit(X), sk.OneHotEncoder(
        categories=cats, sparse_output=False).fit(X)
    assert_same_categories(ours.categories_, theirs.categories_)
    np.testing.assert_array_equal(ours.transform(X), theirs.transform(X))
    np.testing.assert_array_equal(OrdinalEncoder(categories=cats).fit_transform(X),
                                  sk.OrdinalEncoder(categories=cats).fit_transform(X))
    Xn = np.array([[1.0], [2.0]])
    for bad, message in (([[2.0, 1.0]], "Unsorted"), ([[1.0, 1.0, 2.0]], "duplicate"),
                         ([[np.nan, 1.0, 2.0]], "last"), ([[1.0]], r"unknown categories \[2.0\]")):
        with pytest.raises(ValueError, match=message):
            OneHotEncoder(categories=bad).fit(Xn)
    with pytest.raises(ValueError, match="Shape mismatch"):
        OneHotEncoder(categories=[[1.0], [2.0]]).fit(Xn)


def test_drop_array_and_infrequent_drop_match_sklearn():
    X = np.array([["a"] * 5 + ["b"] * 20 + ["c"] * 10 + ["d"] * 3], dtype=object).T
    for params in ({"drop": ["b"]}, {"drop": ["b"], "max_categories": 3},
                   {"drop": "first", "max_categories": 2},
                   {"drop": "if_binary", "min_frequency": 6}):
        ours, theirs = OneHotEncoder(**params).fit(X), sk.OneHotEncoder(
            sparse_output=False, **params).fit(X)
        assert list(ours.drop_idx_) == list(theirs.drop_idx_)
        np.testing.assert_array_equal(ours.transform(X), theirs.transform(X))
        np.testing.assert_array_equal(ours.get_feature_names_out(), theirs.get_feature_names_out())
    with pytest.raises(ValueError, match="because it is infrequent"):
        OneHotEncoder(drop=["a"], max_categories=3).fit(X)
    with pytest.raises(ValueError, match="not found in the training data"):
        OneHotEncoder(drop=["zz"]).fit(X)


def test_unknown_category_error_names_column_values_and_fix():
    df = pd.DataFrame({"color": ["red", "blue"], "size": ["S", "M"]})
    enc = OneHotEncoder().fit(df)
    with pytest.raises(ValueError, match=r"\['XL', 'XS'\] in column 1 \('size'\).*"
                                         r"handle_unknown='ignore'.*infrequent_if_exist"):
        enc.transform(pd.DataFrame({"color": ["red"] * 2, "size": ["XS", "XL"]}))
    with pytest.raises(ValueError, match="use_encoded_value"):
        OrdinalEncoder().fit([[1], [2]]).transform([[3]])
    with pytest.raises(ValueError, match=r"unseen labels: \['z'\]"):
        LabelEncoder().fit(["a", "b"]).transform(["a", "z"])
    with pytest.raises(ValueError, match=r"unseen labels: \[5\]"):
        LabelEncoder().fit(["a", "b"]).inverse_transform([0, 5])


@pytest.mark.parametrize("X", [np.empty((0, 2), dtype=object), np.empty((0, 1)),
                               pd.DataFrame({"a": []})])
def test_empty_input_says_no_samples(X):
    for enc in (OneHotEncoder(), OrdinalEncoder()):
        with pytest.raises(ValueError, match="no samples"):
            enc.fit(X)
    for enc in (LabelEncoder(), LabelBinarizer()):
        with pytest.raises(ValueError, match="no samples"):
            enc.fit([])


def test_input_errors_and_bad_parameters():
    X = np.array([["a", "b"], ["b", "a"]], dtype=object)
    enc = OneHotEncoder().fit(X)
    with pytest.raises(ValueError, match="X has 1 features, but OneHotEncoder was fitted with 2"):
        enc.transform(X[:, :1])
    with pytest.raises(ValueError, match=r"1D array.*reshape"):
        enc.transform(["a", "b"])
    with pytest.raises(TypeError, match=r"column 0 mixes \['int', 'str'\].*astype\(str\)"):
        OneHotEncoder().fit(np.array([["a"], [1]], dtype=object))
    with pytest.raises(ValueError, match="infinity.*column 0"):
        OneHotEncoder().fit([[np.inf], [1.0]])
    for params, name in (({"sparse_output": True}, "sparse_output"), ({"drop": "last"}, "drop"),
                         ({"handle_unknown": "skip"}, "handle_unknown"),
                         ({"min_frequency": 0}, "min_frequency"),
                         ({"min_frequency": 1.5}, "min_frequency"),
                         ({"max_categories": 0}, "max_categories"), ({"dtype": "U3"}, "dtype"),
                         ({"categories": "sorted"}, "categories")):
        with pytest.raises(ValueError, match=name):
            OneHotEncoder(**params).fit(X)
    for params, name in (({"handle_unknown": "use_encoded_value"}, "unknown_value"),
                         ({"unknown_value": -1}, "unknown_value"),
                         ({"handle_unknown": "use_encoded_value", "unknown_value": 0},
                          "unknown_value"),
                         ({"dtype": "int64"}, "missing values")):
        with pytest.raises(ValueError, match=name):
            OrdinalEncoder(**params).fit([["a"], [np.nan], ["b"]])
    with pytest.raises(ValueError, match="neg_label"):
        LabelBinarizer(neg_label=1, pos_label=0).fit([0, 1])
    with pytest.raises(ValueError, match="sparse_output"):
        LabelBinarizer(sparse_output=True).fit([0, 1])
    with pytest.raises(ValueError, match="continuous"):
        LabelBinarizer().fit([0.5, 1.5])


def test_feature_names_and_input_not_mutated():
    df = pd.DataFrame({"city": ["paris", "lima"], "n": [1, 2]})
    enc = OneHotEncoder(feature_name_combiner=lambda f, c: f"{f}={c}").fit(df)
    assert enc.get_feature_names_out().tolist() == ["city=lima", "city=paris", "n=1", "n=2"]
    with pytest.raises(ValueError, match="feature_names_in_"):
        enc.get_feature_names_out(["a", "b"])
    ordinal = OrdinalEncoder().fit(df)
    assert ordinal.get_feature_names_out().tolist() == ["city", "n"]
    assert OrdinalEncoder().fit([[1, 2]]).get_feature_names_out().tolist() == ["x0", "x1"]
    X = np.array([["a", np.nan], ["b", 1.0]], dtype=object)
    X0 = X.copy()
    OneHotEncoder(handle_unknown="ignore").fit(X).transform(X)
    assert_same(X, X0)


def test_save_load_keeps_object_categories_none_and_nan(tmp_path):
    X = np.array([["a", 1.0], [None, np.nan], [np.nan, 2.0], ["b", 1.0]], dtype=object)
    for enc in (OneHotEncoder(handle_unknown="infrequent_if_exist", min_frequency=2),
                OrdinalEncoder(), LabelBinarizer()):
        data = X[:, 1].astype(float) if isinstance(enc, LabelBinarizer) else X
        if isinstance(enc, LabelBinarizer):
            data = np.array(["x", "y", "z", "x"])
        enc.fit(data)
        scratchml.save(enc, tmp_path / "enc.zip")
        loaded = scratchml.load(tmp_path / "enc.zip")
        np.testing.assert_array_equal(loaded.transform(data), enc.transform(data))


def test_works_inside_sklearn_column_transformer():
    from sklearn.compose import ColumnTransformer

    df = pd.DataFrame({"city": ["paris", "lima", "paris"], "n": [1.0, 2.0, 3.0]})
    ct = ColumnTransformer([("oh", OneHotEncoder(), ["city"])], remainder="passthrough")
    np.testing.assert_array_equal(ct.fit_transform(df), [[0, 1, 1], [1, 0, 2], [0, 1, 3]])
    assert ct.get_feature_names_out().tolist() == ["oh__city_lima", "oh__city_paris",
                                                   "remainder__n"]


def test_unknown_categories_warn_when_asked_or_when_dropping():
    X = np.array([["a"], ["b"], ["b"]], dtype=object)
    new = np.array([["zz"]], dtype=object)
    with pytest.warns(UserWarning, match=r"columns \[0\].*infrequent"):
        out = OneHotEncoder(handle_unknown="warn", min_frequency=2).fit(X).transform(new)
    np.testing.assert_array_equal(out, [[0.0, 1.0]])  # columns b, infrequent (a)
    with pytest.warns(UserWarning, match="all zeros"):
        out = OneHotEncoder(handle_unknown="ignore", drop="first").fit(X).transform(new)
    np.testing.assert_array_equal(out, [[0.0]])
