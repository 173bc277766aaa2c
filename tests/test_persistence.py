"""save/load without pickle: round trips are exact, and bad files give ValueError, never code.

The loader only instantiates scratchml estimator classes. The toy estimators
(tests/_persistence_helpers.py) are not part of scratchml, so to make them loadable we
claim they belong to ``scratchml.base`` (``__module__``) and register them there with
monkeypatch (the autouse fixture). What load refuses is tested in
tests/test_persistence_load_safety.py.
"""

import io
import json
import pickle
import zipfile

import numpy as np
import pytest
from _persistence_helpers import (
    PersistenceLeaf,
    PersistenceToy,
    assert_same,
    make_model,
    register_toys,  # noqa: F401  (autouse fixture)
    round_trip,
    to_bytes,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import scratchml
from scratchml import persistence

# -- round trips ----------------------------------------------------------------------


def test_round_trip_keeps_class_params_and_every_kind_of_state(tmp_path):
    model = make_model()
    persistence.save(model, tmp_path / "model.zip")
    loaded = persistence.load(tmp_path / "model.zip")
    assert type(loaded) is PersistenceToy
    assert_same(model, loaded, "model")
    assert loaded.kind is PersistenceLeaf
    assert not hasattr(loaded, "_scratch")


def test_file_objects_and_string_paths_round_trip(tmp_path):
    model = make_model()
    assert_same(model, round_trip(model))
    path = str(tmp_path / "m.zip")
    persistence.save(model, path)
    with open(path, "rb") as f:
        assert_same(model, persistence.load(f))


def test_top_level_save_and_load_are_the_persistence_functions():
    assert scratchml.save is persistence.save and scratchml.load is persistence.load


def test_file_is_a_zip_with_a_readable_manifest():
    data = to_bytes(make_model())
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        names = set(zf.namelist())
        assert all(info.compress_type == zipfile.ZIP_DEFLATED for info in zf.infolist())
    assert manifest["format"] == "scratchml-model" and manifest["format_version"] == 1
    assert manifest["scratchml_version"] == scratchml.__version__
    tree = manifest["estimator"]
    assert tree["class"] == {"module": "scratchml.base", "qualname": "PersistenceToy"}
    assert tree["params"]["alpha"] == 0.5
    assert tree["state"]["coef_"]["dtype"] == "<f4" and tree["state"]["coef_"]["shape"] == [3, 4]
    assert tree["state"]["coef_"]["file"] in names
    assert tree["state"]["loss_"] == {"type": "float", "value": "nan"}
    assert "_scratch" not in tree["state"]


def test_saving_is_deterministic():
    assert to_bytes(make_model()) == to_bytes(make_model())


def test_pickle_still_round_trips_originals_and_loaded_models():
    model = make_model()
    del model._scratch  # a bare object() pickles, but compare only what persistence keeps
    del model.big_endian_  # NumPy's pickling turns >i4 into native int32; save/load keeps >i4
    assert_same(model, pickle.loads(pickle.dumps(model)))
    loaded = round_trip(model)
    assert_same(loaded, pickle.loads(pickle.dumps(loaded)))


@settings(max_examples=60, deadline=None)
@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=6),
                  elements=st.floats(allow_nan=True, allow_infinity=True)))
def test_float64_arrays_round_trip_bit_exactly(array):
    model = PersistenceToy()
    model.coef_ = array
    out = round_trip(model).coef_
    assert out.dtype == array.dtype and out.shape == array.shape
    assert np.array_equal(out, array, equal_nan=True)
    assert out.tobytes() == array.tobytes()  # nan payloads and the sign of zero included


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["<f4", ">f8", "<i8", "|u1", "|b1", "<c16", "<U3", "|S2"]).flatmap(
    lambda dt: hnp.arrays(np.dtype(dt), hnp.array_shapes(min_dims=0, max_dims=2, min_side=0))))
def test_arrays_of_every_supported_dtype_round_trip(array):
    model = PersistenceToy()
    model.coef_ = array
    assert_same(array, round_trip(model).coef_)


plain = (st.none() | st.booleans() | st.integers() | st.floats() | st.complex_numbers()
         | st.text(max_size=4))
nested = st.recursive(
    plain,
    lambda inner: (st.lists(inner, max_size=3) | st.lists(inner, max_size=3).map(tuple)
                   | st.dictionaries(st.text(max_size=3), inner, max_size=3)
                   | st.dictionaries(st.integers() | st.tuples(st.integers()), inner, max_size=3)),
    max_leaves=12,
)


@settings(max_examples=80, deadline=None)
@given(nested)
def test_nested_plain_values_round_trip_with_their_types(value):
    model = PersistenceToy(options=value)
    model.value_ = value
    loaded = round_trip(model)
    assert_same(value, loaded.options, "param")
    assert_same(value, loaded.value_, "state")


# -- what save refuses ----------------------------------------------------------------


def test_unsupported_attribute_names_its_path_and_writes_nothing(tmp_path):
    model = PersistenceToy()
    model.inner_ = PersistenceLeaf()
    model.inner_.rng_ = np.random.default_rng(0)
    path = tmp_path / "m.zip"
    with pytest.raises(TypeError, match=r"cannot save attribute 'inner_\.rng_'.*Generator"):
        persistence.save(model, path)
    assert not path.exists()


@pytest.mark.parametrize("value", [{1, 2}, lambda x: x, np.zeros(2, dtype=[("a", "i4")]),
                                   np.datetime64("2020-01-01"), b"raw"])
def test_unsupported_types_raise_type_error(value):
    model = PersistenceToy()
    model.thing_ = [value]
    with pytest.raises(TypeError, match=r"cannot save attribute 'thing_\[0\]': type .* "
                                        "is not supported"):
        to_bytes(model)


def test_reference_cycles_are_refused_on_save():
    model = PersistenceToy()
    model.loop_ = []
    model.loop_.append(model.loop_)
    with pytest.raises(TypeError, match="levels deep"):
        to_bytes(model)


def test_save_refuses_non_estimators():
    with pytest.raises(TypeError, match="scratchml estimator"):
        to_bytes({"coef_": np.zeros(2)})


def test_numpy_types_and_dtypes_as_params_round_trip(tmp_path, monkeypatch):
    import scratchml.base

    class WithDtype(scratchml.base.BaseEstimator):
        def __init__(self, dtype=np.float64, other=None):
            self.dtype = dtype
            self.other = other

    WithDtype.__module__ = "scratchml.base"  # so the allowlist can find it (see above)
    WithDtype.__qualname__ = "WithDtype"
    monkeypatch.setattr(scratchml.base, "WithDtype", WithDtype, raising=False)
    est = WithDtype(dtype=np.float32, other=np.dtype("int16"))
    est.fitted_ = np.arange(3)
    path = tmp_path / "m.zip"
    scratchml.save(est, path)
    loaded = scratchml.load(path)
    assert loaded.dtype is np.float32
    assert loaded.other == np.dtype("int16")
    with pytest.raises(TypeError, match="not supported"):
        scratchml.save(WithDtype(dtype=np.dtype([("a", "i4")])), tmp_path / "bad.zip")


def test_slices_round_trip(tmp_path, monkeypatch):
    import scratchml.base

    class WithSlice(scratchml.base.BaseEstimator):
        def __init__(self, columns=slice(1, None)):
            self.columns = columns

    WithSlice.__module__ = "scratchml.base"  # so the allowlist can find it (see above)
    WithSlice.__qualname__ = "WithSlice"
    monkeypatch.setattr(scratchml.base, "WithSlice", WithSlice, raising=False)
    est = WithSlice(columns=slice(0, 5, 2))
    est.parts_ = [slice(None), slice(-3, None)]
    scratchml.save(est, tmp_path / "m.zip")
    loaded = scratchml.load(tmp_path / "m.zip")
    assert loaded.columns == slice(0, 5, 2) and loaded.parts_ == [slice(None), slice(-3, None)]
