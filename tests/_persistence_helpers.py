"""Shared helpers of tests/test_persistence*.py: toy estimators and exact comparisons.

The loader only instantiates scratchml estimator classes. The toy estimators
below live in a test helper, so to make them loadable we claim they belong to
``scratchml.base`` (``__module__``) and register them there with monkeypatch (the
autouse fixture ``register_toys``, which each test module imports).
"""

import io
import math

import numpy as np
import pytest

import scratchml.base
from scratchml import persistence
from scratchml.base import BaseEstimator


class PersistenceToy(BaseEstimator):
    __module__ = "scratchml.base"
    _persist_private = ("_cache",)

    def __init__(self, alpha=1.0, base=None, kind=None, options=None):
        self.alpha = alpha
        self.base = base
        self.kind = kind
        self.options = options


class PersistenceLeaf(BaseEstimator):
    __module__ = "scratchml.base"

    def __init__(self, depth=2):
        self.depth = depth


@pytest.fixture(autouse=True)
def register_toys(monkeypatch):
    for cls in (PersistenceToy, PersistenceLeaf):
        monkeypatch.setattr(scratchml.base, cls.__name__, cls, raising=False)


# -- helpers ------------------------------------------------------------------------


def to_bytes(estimator) -> bytes:
    buf = io.BytesIO()
    persistence.save(estimator, buf)
    return buf.getvalue()


def from_bytes(data: bytes):
    return persistence.load(io.BytesIO(data))


def round_trip(estimator):
    return from_bytes(to_bytes(estimator))


def same_float(a, b) -> bool:
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b and math.copysign(1, a) == math.copysign(1, b)


def assert_same(a, b, where="value"):
    """Equal values of identical types, all the way down (nan equals nan, -0.0 is not 0.0)."""
    assert type(a) is type(b), f"{where}: {type(a)} != {type(b)}"
    if isinstance(a, BaseEstimator):
        assert_same(a.get_params(deep=False), b.get_params(deep=False), f"{where} params")
        assert_same(persisted_state(a), persisted_state(b), f"{where} state")
    elif isinstance(a, np.ndarray):
        assert a.dtype == b.dtype and a.shape == b.shape, where
        if a.dtype == object:
            for i, (x, y) in enumerate(zip(a.flat, b.flat)):
                assert_same(x, y, f"{where}[{i}]")
        else:
            assert a.tobytes() == b.tobytes(), f"{where}: contents differ"
    elif isinstance(a, np.generic):
        assert a.dtype == b.dtype and a.tobytes() == b.tobytes(), where
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b)):
            assert_same(x, y, f"{where}[{i}]")
    elif isinstance(a, dict):
        assert list(a) == list(b), where
        for k in a:
            assert_same(a[k], b[k], f"{where}[{k!r}]")
    elif isinstance(a, float):
        assert same_float(a, b), f"{where}: {a} != {b}"
    elif isinstance(a, complex):
        assert same_float(a.real, b.real) and same_float(a.imag, b.imag), where
    else:
        assert a == b, f"{where}: {a!r} != {b!r}"


def persisted_state(est) -> dict:
    return {k: v for k, v in vars(est).items()
            if (k.endswith("_") and not k.startswith("__")) or k == "_cache"}


def leaf(depth, value):
    est = PersistenceLeaf(depth=depth)
    est.value_ = np.asarray(value, dtype=np.float64)
    est.n_nodes_ = 2 * depth + 1
    return est


def make_model():
    """A fitted-looking toy holding one of every kind of value the format supports."""
    rng = np.random.default_rng(0)
    model = PersistenceToy(alpha=0.5, base=PersistenceLeaf(depth=3), kind=PersistenceLeaf,
                           options={"tol": 1e-4, "mode": ("a", 2), "weights": [1.0, float("inf")]})
    model.coef_ = rng.standard_normal((3, 4)).astype(np.float32)
    model.intercept_ = np.array([1.0, np.nan, np.inf, -np.inf, -0.0])
    model.counts_ = np.arange(6, dtype=np.int64).reshape(2, 3)
    model.mask_ = np.array([True, False, True])
    model.bytes_ = np.arange(5, dtype=np.uint8)
    model.z_ = np.array([1 + 2j, np.nan - 1j], dtype=np.complex64)
    model.big_endian_ = np.arange(3, dtype=">i4")
    model.fortran_ = np.asfortranarray(rng.standard_normal((2, 3)))
    model.empty_ = np.empty((0, 3))
    model.zero_d_ = np.array(3.5)
    model.classes_ = np.array(["a", "b"], dtype=object)
    model.mixed_ = np.array([["x", 1], [2.5, None]], dtype=object)
    model.labels_ = np.array(["cat", "ox"])
    model.n_iter_ = np.int64(7)
    model.tol_ = np.float32(1e-3)
    model.converged_ = np.bool_(True)
    model.loss_ = float("nan")
    model.best_ = float("-inf")
    model.zero_ = -0.0
    model.history_ = [1, 2.5, None, True, "s", (3, [4, {"k": (5,)}]), 10**30, 1j]
    model.by_label_ = {0: "zero", (1, 2): [1.0], "s": None}
    model.estimators_ = [leaf(1, [0.5, -1.0]), leaf(2, [[1.0]])]
    model.steps_ = [("first", leaf(1, 0.0)), ("second", leaf(4, [2.0, 3.0]))]
    model._cache = {"a": np.arange(3)}  # listed in _persist_private, so saved
    model._scratch = object()  # private and unlisted: ignored, so it cannot break saving
    return model
