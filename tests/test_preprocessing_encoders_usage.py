"""Categorical encoders on hand-made inputs: pandas columns, options, errors, persistence.

Encoders produce integers and 0/1 indicators, so every comparison here is exact
(the hypothesis-driven comparisons are in tests/test_preprocessing_encoders.py).
"""


import numpy as np
import pytest
from _preprocessing_helpers import assert_same, assert_same_categories

import scratchml
from scratchml.preprocessing import LabelBinarizer, LabelEncoder, OneHotEncoder, OrdinalEncoder

sk = pytest.importorskip("sklearn.preprocessing")
pd = pytest.importorskip("pandas")

pytestmark = pytest.mark.filterwarnings("ignore:Found unknown categories:UserWarning")


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
