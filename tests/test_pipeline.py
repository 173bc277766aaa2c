"""Pipeline and FeatureUnion: composition equals calling the steps by hand, parameters route
by name, methods exist exactly when the steps have them, and fitted models save and load."""

import io
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import scratchml
from scratchml.base import clone
from scratchml.exceptions import NotFittedError
from scratchml.neighbors import NearestCentroid
from scratchml.pipeline import FeatureUnion, Pipeline, make_pipeline, make_union
from scratchml.preprocessing import StandardScaler

sklearn = pytest.importorskip("sklearn")
from sklearn import pipeline as skp  # noqa: E402
from sklearn.decomposition import PCA  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.preprocessing import MinMaxScaler  # noqa: E402
from sklearn.preprocessing import StandardScaler as SkStandardScaler  # noqa: E402


def _data(seed=0, n=40):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 4))
    y = (X[:, 0] + 0.3 * rng.standard_normal(n) > 0).astype(int)
    return X, y


def _pipe(**kw):
    return Pipeline([("scale", StandardScaler()), ("clf", NearestCentroid())], **kw)


finite = st.floats(-1e3, 1e3, allow_nan=False)


@given(hnp.arrays(np.float64, st.tuples(st.integers(4, 30), st.just(3)), elements=finite))
def test_pipeline_equals_steps_by_hand(X):
    y = (np.arange(len(X)) % 2).astype(int)
    pipe = _pipe().fit(X, y)
    scaler = StandardScaler().fit(X)
    clf = NearestCentroid().fit(scaler.transform(X), y)
    np.testing.assert_array_equal(pipe.predict(X), clf.predict(scaler.transform(X)))
    assert pipe.score(X, y) == clf.score(scaler.transform(X), y)
    chain = Pipeline([("a", StandardScaler()), ("skip", "passthrough"), ("b", MinMaxScaler())])
    out = chain.fit_transform(X)
    # fit_transform and fit().transform take the same path through the steps.
    np.testing.assert_array_equal(out, chain.transform(X))
    np.testing.assert_array_equal(
        out, MinMaxScaler().fit_transform(StandardScaler().fit_transform(X)))
    # inverse_transform undoes both scalings (up to float rounding of two affine maps).
    np.testing.assert_allclose(chain.inverse_transform(out), X, rtol=1e-9, atol=1e-9)


def test_methods_exist_only_when_the_final_step_has_them():
    pipe = _pipe()
    assert hasattr(pipe, "predict") and hasattr(pipe, "score")
    for missing in ("predict_proba", "decision_function", "transform", "inverse_transform",
                    "fit_predict", "fit_transform"):
        assert not hasattr(pipe, missing), missing
    lr = Pipeline([("scale", StandardScaler()), ("lr", LogisticRegression())])
    assert hasattr(lr, "predict_proba") and hasattr(lr, "decision_function")
    X, y = _data()
    lr.fit(X, y)
    theirs = skp.Pipeline([("scale", StandardScaler()), ("lr", LogisticRegression())]).fit(X, y)
    np.testing.assert_array_equal(lr.predict_proba(X), theirs.predict_proba(X))
    np.testing.assert_array_equal(lr.decision_function(X), theirs.decision_function(X))
    np.testing.assert_array_equal(lr.classes_, [0, 1])
    only_transformers = Pipeline([("a", StandardScaler()), ("b", None)])
    assert hasattr(only_transformers, "transform") and not hasattr(only_transformers, "predict")
    np.testing.assert_array_equal(only_transformers.fit_transform(X),
                                  StandardScaler().fit_transform(X))
    assert not hasattr(Pipeline([("a", StandardScaler()), ("p", PCA(2))]), "predict")


def test_params_get_set_and_clone():
    pipe = _pipe()
    params = pipe.get_params()
    assert params["scale"] is pipe.steps[0][1]
    assert params["clf__metric"] == "euclidean" and "scale__with_mean" in params
    assert set(pipe.get_params(deep=False)) == {"steps", "memory", "verbose"}
    pipe.set_params(clf__metric="manhattan", scale__with_std=False)
    assert pipe.named_steps.clf.metric == "manhattan" and not pipe["scale"].with_std
    new_clf = NearestCentroid(shrink_threshold=0.1)
    pipe.set_params(clf=new_clf)
    assert pipe.steps[1] == ("clf", new_clf)
    pipe.set_params(scale="passthrough")
    assert pipe.steps[0] == ("scale", "passthrough")
    pipe.set_params(steps=[("only", NearestCentroid())], only__metric="manhattan")
    assert pipe[-1].metric == "manhattan" and len(pipe) == 1
    with pytest.raises(ValueError, match="Invalid parameter 'nope'"):
        pipe.set_params(nope=1)
    c = clone(_pipe().set_params(clf__metric="manhattan"))
    assert c.steps[1][1].metric == "manhattan"
    X, y = _data()
    fitted = _pipe().fit(X, y)
    assert not hasattr(clone(fitted).steps[0][1], "mean_")  # clones are unfitted
    # scikit-learn's clone and GridSearchCV work on the scratchml Pipeline too.
    from sklearn.model_selection import GridSearchCV

    grid = GridSearchCV(_pipe(), {"clf__metric": ["euclidean", "manhattan"]}, cv=3).fit(X, y)
    assert grid.best_params_["clf__metric"] in ("euclidean", "manhattan")


def test_fit_params_route_by_step_name():
    X, y = _data(1)
    w = np.random.default_rng(1).uniform(0.1, 3.0, len(y))
    pipe = Pipeline([("scale", StandardScaler()), ("lr", LogisticRegression())])
    pipe.fit(X, y, lr__sample_weight=w, scale__sample_weight=w)
    Xs = StandardScaler().fit(X, sample_weight=w).transform(X)
    ref = LogisticRegression().fit(Xs, y, sample_weight=w)
    np.testing.assert_allclose(pipe[-1].coef_, ref.coef_, rtol=1e-12)
    with pytest.raises(ValueError, match="stepname__parameter"):
        pipe.fit(X, y, sample_weight=w)


def test_indexing_named_steps_and_validation():
    pipe = _pipe()
    assert pipe[0] is pipe.named_steps["scale"] is pipe["scale"]
    sub = pipe[:1]
    assert isinstance(sub, Pipeline) and sub.steps[0][1] is pipe.steps[0][1]
    with pytest.raises(ValueError, match="step of 1"):
        pipe[::2]
    X, y = _data()
    for steps, err in [([("a", StandardScaler()), ("a", NearestCentroid())], "not unique"),
                       ([("a__b", StandardScaler()), ("c", NearestCentroid())], "'__'"),
                       ([("steps", StandardScaler()), ("c", NearestCentroid())], "conflict"),
                       ([("a", NearestCentroid()), ("c", NearestCentroid())], "transform"),
                       ([], "non-empty")]:
        with pytest.raises((ValueError, TypeError), match=err):
            Pipeline(steps).fit(X, y)
    with pytest.raises(ValueError, match="memory"):
        Pipeline([("c", NearestCentroid())], memory="/tmp/cache").fit(X, y)


def test_not_fitted_error_names_pipeline_and_method():
    X, _ = _data()
    with pytest.raises(NotFittedError, match="Pipeline.*'fit'.*'predict'"):
        _pipe().predict(X)
    with pytest.raises(NotFittedError, match="FeatureUnion.*'transform'"):
        FeatureUnion([("s", StandardScaler())]).transform(X)


def test_verbose_lines(capsys):
    X, y = _data()
    _pipe(verbose=True).fit(X, y)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and all(len(line) == 70 for line in lines)
    assert re.fullmatch(r"\[Pipeline\] \.+ \(step 1 of 2\) Processing scale, total= +\d+\.\ds",
                        lines[0])
    FeatureUnion([("s", StandardScaler()), ("p", "passthrough")], verbose=True).fit(X)
    assert "[FeatureUnion] " in capsys.readouterr().out


def test_feature_names_out_match_sklearn():
    pd = pytest.importorskip("pandas")
    X, y = _data()
    df = pd.DataFrame(X, columns=["a", "b", "c", "d"])
    ours = Pipeline([("s", SkStandardScaler()), ("p", PCA(2))]).fit(df)
    theirs = skp.Pipeline([("s", SkStandardScaler()), ("p", PCA(2))]).fit(df)
    np.testing.assert_array_equal(ours.get_feature_names_out(), theirs.get_feature_names_out())
    np.testing.assert_array_equal(ours.feature_names_in_, ["a", "b", "c", "d"])
    with pytest.raises(AttributeError, match="get_feature_names_out"):
        _pipe().fit(X, y).get_feature_names_out()
    union = [("s", SkStandardScaler()), ("pca", PCA(2)), ("raw", "passthrough")]
    ours_u = FeatureUnion(union).fit(df)
    theirs_u = skp.FeatureUnion([(n, clone(t) if t != "passthrough" else t)
                                 for n, t in union]).fit(df)
    np.testing.assert_array_equal(ours_u.get_feature_names_out(),
                                  theirs_u.get_feature_names_out())


def test_feature_union_matches_sklearn():
    X, _ = _data(2)
    spec = [("s", SkStandardScaler()), ("drop_me", "drop"), ("p", PCA(2)),
            ("raw", "passthrough")]
    weights = {"s": 2.0, "p": 0.5}
    theirs = skp.FeatureUnion([(n, clone(t, safe=False)) for n, t in spec],
                              transformer_weights=weights).fit_transform(X)
    for n_jobs in (None, 2):
        union = FeatureUnion([(n, clone(t, safe=False)) for n, t in spec],
                             transformer_weights=weights, n_jobs=n_jobs)
        # PCA's SVD can flip signs between runs only if its input differs; it does not.
        np.testing.assert_allclose(union.fit_transform(X), theirs, rtol=0, atol=1e-12)
        np.testing.assert_allclose(union.transform(X), theirs, rtol=0, atol=1e-12)
    assert FeatureUnion([("d", "drop")]).fit_transform(X).shape == (len(X), 0)
    with pytest.raises(ValueError, match="X has 3 features, but FeatureUnion"):
        FeatureUnion([("s", StandardScaler())]).fit(X).transform(X[:, :3])
    with pytest.raises(ValueError, match="transformer_weights"):
        FeatureUnion([("s", StandardScaler())], transformer_weights={"t": 1}).fit(X)
    names = [n for n, _ in make_union(StandardScaler(), StandardScaler()).transformer_list]
    assert names == [n for n, _ in skp.make_union(SkStandardScaler(),
                                                  SkStandardScaler()).transformer_list]
    assert make_union(StandardScaler(), n_jobs=2).n_jobs == 2


def test_make_pipeline_names_like_sklearn():
    ours = make_pipeline(StandardScaler(), StandardScaler(), None, NearestCentroid())
    theirs = skp.make_pipeline(StandardScaler(), StandardScaler(), None, NearestCentroid())
    assert [n for n, _ in ours.steps] == [n for n, _ in theirs.steps]


def test_save_load_round_trip():
    X, y = _data(3)
    for model in (_pipe().fit(X, y),
                  FeatureUnion([("s", StandardScaler()), ("raw", "passthrough")]).fit(X)):
        buf = io.BytesIO()
        scratchml.save(model, buf)
        buf.seek(0)
        loaded = scratchml.load(buf)
        assert type(loaded) is type(model)
        method = "predict" if hasattr(model, "predict") else "transform"
        np.testing.assert_array_equal(getattr(loaded, method)(X), getattr(model, method)(X))
