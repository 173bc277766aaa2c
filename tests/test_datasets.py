"""scratchml.datasets loaders: the bundled data equal scikit-learn's, bit for bit.

The generators are tested in tests/test_datasets_generators.py.
"""

import pickle
import subprocess
import sys
from importlib import resources

import numpy as np
import pytest

import scratchml.datasets as D
from scratchml.datasets import Bunch

sk_datasets = pytest.importorskip("sklearn.datasets")

LOADERS = ["iris", "wine", "breast_cancer", "digits", "diabetes"]
SHAPES = {"iris": (150, 4), "wine": (178, 13), "breast_cancer": (569, 30),
          "digits": (1797, 64), "diabetes": (442, 10)}


# --------------------------------------------------------------------------- loaders


@pytest.mark.parametrize("name", LOADERS)
def test_loader_equals_sklearn(name):
    ours, ref = getattr(D, f"load_{name}")(), getattr(sk_datasets, f"load_{name}")()
    assert isinstance(ours, Bunch)
    assert ours.data.shape == SHAPES[name] and ours.target.shape == SHAPES[name][:1]
    assert ours.data.dtype == ref.data.dtype and ours.target.dtype == ref.target.dtype
    assert np.array_equal(ours.data, ref.data)
    assert np.array_equal(ours.target, ref.target)
    assert list(ours.feature_names) == list(ref.feature_names)
    assert type(ours.feature_names) is type(ref.feature_names)
    assert ours.DESCR == ref.DESCR
    assert ours.frame is None
    if "target_names" in ref:
        assert np.array_equal(ours.target_names, ref.target_names)


def test_diabetes_raw_and_scaled():
    raw, ref = D.load_diabetes(scaled=False), sk_datasets.load_diabetes(scaled=False)
    assert np.array_equal(raw.data, ref.data)
    X = D.load_diabetes().data
    # Scaled columns are centred with unit sum of squares; 1e-12 is float64 round-off
    # on 442 terms of order 1e-3.
    np.testing.assert_allclose(X.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose((X**2).sum(axis=0), 1, rtol=1e-12)
    np.testing.assert_allclose(X, (raw.data - raw.data.mean(0)) / raw.data.std(0) / 442**0.5,
                               rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("n_class", [1, 2, 5, 9, 10])
def test_digits_n_class(n_class):
    ours, ref = D.load_digits(n_class=n_class), sk_datasets.load_digits(n_class=n_class)
    assert np.array_equal(ours.data, ref.data) and np.array_equal(ours.target, ref.target)
    assert np.array_equal(ours.images, ref.images)
    assert ours.images.shape == (len(ours.target), 8, 8)
    assert set(ours.target.tolist()) == set(range(n_class))


@pytest.mark.parametrize("n_class", [0, 11, 2.5, True])
def test_digits_bad_n_class(n_class):
    with pytest.raises(ValueError, match="n_class"):
        D.load_digits(n_class=n_class)


@pytest.mark.parametrize("name", LOADERS)
def test_return_X_y(name):
    X, y = getattr(D, f"load_{name}")(return_X_y=True)
    bunch = getattr(D, f"load_{name}")()
    assert np.array_equal(X, bunch.data) and np.array_equal(y, bunch.target)


@pytest.mark.parametrize("name", LOADERS)
def test_as_frame_equals_sklearn(name):
    pd = pytest.importorskip("pandas")
    ours = getattr(D, f"load_{name}")(as_frame=True)
    ref = getattr(sk_datasets, f"load_{name}")(as_frame=True)
    pd.testing.assert_frame_equal(ours.frame, ref.frame)
    pd.testing.assert_frame_equal(ours.data, ref.data)
    pd.testing.assert_series_equal(ours.target, ref.target)
    X, y = getattr(D, f"load_{name}")(as_frame=True, return_X_y=True)
    pd.testing.assert_frame_equal(X, ref.data)
    pd.testing.assert_series_equal(y, ref.target)


def test_as_frame_without_pandas(monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # makes `import pandas` fail
    with pytest.raises(ImportError, match=r"as_frame=True needs pandas: pip install pandas"):
        D.load_iris(as_frame=True)
    assert D.load_iris().frame is None  # the NumPy path does not need pandas


@pytest.mark.parametrize("flag", ["return_X_y", "as_frame"])
def test_loader_rejects_non_bool(flag):
    with pytest.raises(ValueError, match=flag):
        D.load_wine(**{flag: "yes"})


def test_loads_are_independent():
    a = D.load_iris()
    a.data[:] = 0
    assert D.load_iris().data.sum() > 0


def test_bundled_files_small_and_complete():
    data = resources.files("scratchml.datasets").joinpath("data")
    names = {p.name for p in data.iterdir()}
    for name in LOADERS:
        assert f"{name}.csv.gz" in names and f"{name}.rst" in names
    assert "README.md" in names
    assert sum(p.stat().st_size if hasattr(p, "stat") else len(p.read_bytes())
               for p in map(lambda n: data.joinpath(n), names)) < 500_000


def test_import_is_light():
    code = ("import sys, scratchml.datasets, scratchml.plotting; "
            "print(sorted(m for m in ('pandas', 'matplotlib', 'sklearn', 'scipy') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_bunch():
    b = Bunch(data=1, target=2)
    assert b.data == 1 and b["target"] == 2
    b.extra = 3
    assert b["extra"] == 3 and "extra" in dir(b)
    del b.extra
    with pytest.raises(AttributeError, match="extra"):
        _ = b.extra
    assert isinstance(b, dict) and dict(b) == {"data": 1, "target": 2}
    c = pickle.loads(pickle.dumps(b))
    assert isinstance(c, Bunch) and c == b and c.data == 1
