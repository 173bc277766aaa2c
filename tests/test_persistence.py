"""save/load without pickle: round trips are exact, and bad files give ValueError, never code.

The loader only instantiates scratchml estimator classes. The toy estimators
below live in this test file, so to make them loadable we claim they belong to
``scratchml.base`` (``__module__``) and register them there with monkeypatch
(the autouse fixture); ``Outsider`` is left where it is to test the refusal.
"""

import builtins
import io
import json
import math
import os
import pickle
import tracemalloc
import zipfile

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import scratchml
import scratchml._config
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


class Outsider(BaseEstimator):
    """A BaseEstimator subclass that is not part of scratchml: saving works, loading is refused."""

    def __init__(self, c=1):
        self.c = c


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


def rewrite(data: bytes, edit=None, entries=None) -> bytes:
    """A copy of a model file with its manifest edited in place and entries replaced/removed."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        files = {name: zf.read(name) for name in zf.namelist()}
    manifest = json.loads(files["manifest.json"])
    if edit is not None:
        edit(manifest)
    files["manifest.json"] = json.dumps(manifest).encode()
    for name, content in (entries or {}).items():
        if content is None:
            files.pop(name)
        else:
            files[name] = content
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in files.items():
            zf.writestr(name, content)
    return out.getvalue()


def npy_bytes(array, **kwargs) -> bytes:
    buf = io.BytesIO()
    np.save(buf, array, **kwargs)
    return buf.getvalue()


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


def saved_simple() -> bytes:
    model = PersistenceToy(alpha=2.0, base=PersistenceLeaf(depth=1))
    model.coef_ = np.arange(6, dtype=np.float64).reshape(2, 3)
    return to_bytes(model)


def coef_node(manifest) -> dict:
    return manifest["estimator"]["state"]["coef_"]


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


# -- what load refuses ----------------------------------------------------------------


def test_estimator_classes_outside_scratchml_are_refused():
    data = to_bytes(Outsider(c=3))
    with pytest.raises(ValueError, match="not a scratchml estimator class; refusing to load"):
        from_bytes(data)


@pytest.mark.parametrize("module, qualname", [
    ("os", "system"),
    ("builtins", "eval"),
    ("scratchml._config", "set_config"),
    ("scratchml.base", "np.ndarray"),
    ("scratchml.base", "BaseEstimator.__subclasses__"),
    ("scratchml.no_such_module", "Thing"),
    ("scratchml_evil", "PersistenceToy"),
    (["scratchml"], "PersistenceToy"),
])
@pytest.mark.parametrize("where", ["top", "nested", "class_param"])
def test_tampered_class_references_are_refused_and_nothing_runs(monkeypatch, module, qualname,
                                                                 where):
    calls = []

    def record(*args, **kwargs):
        calls.append(args)

    monkeypatch.setattr(os, "system", record)
    monkeypatch.setattr(builtins, "eval", record)
    monkeypatch.setattr(scratchml._config, "set_config", record)

    def edit(manifest):
        tree = manifest["estimator"]
        if where == "top":
            tree["class"] = {"module": module, "qualname": qualname}
        elif where == "nested":
            tree["params"]["base"]["class"] = {"module": module, "qualname": qualname}
        else:
            tree["params"]["kind"] = {"type": "class", "module": module, "qualname": qualname}

    with pytest.raises(ValueError, match="refusing to load"):
        from_bytes(rewrite(saved_simple(), edit))
    assert calls == []


@pytest.mark.parametrize("name", ["__class__", "__dict__", "fit", "alpha", "not an id_"])
def test_state_can_only_set_fitted_attribute_names(name):
    def edit(manifest):
        manifest["estimator"]["state"][name] = 1

    with pytest.raises(ValueError, match="is not a fitted attribute"):
        from_bytes(rewrite(saved_simple(), edit))


def test_unknown_parameters_are_refused():
    def edit(manifest):
        manifest["estimator"]["params"]["gamma"] = 1

    with pytest.raises(ValueError, match="no parameters"):
        from_bytes(rewrite(saved_simple(), edit))


def test_truncated_files_are_rejected():
    data = to_bytes(make_model())
    for cut in [*range(0, len(data), max(1, len(data) // 150)), *range(len(data) - 30, len(data))]:
        with pytest.raises(ValueError, match="cannot load scratchml model"):
            from_bytes(data[:cut])


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_a_flipped_byte_gives_value_error_or_a_model(data):
    original = saved_simple()
    i = data.draw(st.integers(0, len(original) - 1))
    flipped = bytearray(original)
    flipped[i] ^= data.draw(st.integers(1, 255))
    try:
        loaded = from_bytes(bytes(flipped))
    except ValueError:
        return
    assert isinstance(loaded, BaseEstimator)  # an undetected flip in zip metadata is harmless


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=600) | st.binary(max_size=600).map(lambda b: b"PK\x03\x04" + b))
def test_random_bytes_are_rejected(garbage):
    with pytest.raises(ValueError):
        from_bytes(garbage)


@pytest.mark.parametrize("data", [b"", b"not a zip", pickle.dumps({"coef_": [1.0]}),
                                  npy_bytes(np.arange(3))])
def test_other_files_are_rejected(data):
    with pytest.raises(ValueError, match="cannot load scratchml model"):
        from_bytes(data)


def set_format(value):
    return lambda m: m.update(format=value)


def set_version(value):
    return lambda m: m.update(format_version=value)


@pytest.mark.parametrize("edit, entries, message", [
    (None, {"manifest.json": None}, "no manifest"),
    (None, {"manifest.json": b"{not json"}, "corrupt"),
    (None, {"manifest.json": b'{"format": NaN}'}, "not valid JSON"),
    (None, {"manifest.json": b"[1, 2]"}, "format"),
    (set_format("pickle"), None, "format"),
    (set_version(2), None, "format_version 2 is not supported"),
    (set_version("1"), None, "format_version"),
    (set_version(True), None, "format_version"),
    (lambda m: m.pop("estimator"), None, "does not describe an estimator"),
    (lambda m: coef_node(m).update(type="mystery"), None, "unknown value node"),
    (lambda m: coef_node(m).update(file="arrays/99.npy"), None, "missing"),
    (lambda m: coef_node(m).update(shape=[2, -3]), None, "invalid array shape"),
    (lambda m: coef_node(m).update(dtype="not a dtype"), None, "corrupt"),
    (lambda m: coef_node(m).update(shape=[3, 2]), None, "manifest says"),
    (lambda m: coef_node(m).update(dtype="<i8"), None, "manifest says"),
    (lambda m: coef_node(m).update(dtype=">f8"), None, "manifest says"),
    (None, {"arrays/0.npy": None}, "missing"),
    (None, {"arrays/0.npy": b"\x93NUMPY" + b"\x00" * 80}, "unsupported .npy version"),
])
def test_damaged_manifests_and_entries_are_rejected(edit, entries, message):
    with pytest.raises(ValueError, match=message):
        from_bytes(rewrite(saved_simple(), edit, entries))


def test_npy_header_must_agree_with_the_manifest():
    # Same byte count, other dtype / other shape: only the header check can tell.
    for other in (np.arange(6, dtype=np.int64).reshape(2, 3), np.zeros((3, 2))):
        with pytest.raises(ValueError, match="but the manifest says"):
            from_bytes(rewrite(saved_simple(), entries={"arrays/0.npy": npy_bytes(other)}))


class Loud:
    """Unpickling this would print: proof that no pickle inside a model file is ever run."""

    def __reduce__(self):
        return (print, ("EXECUTED",))


@pytest.mark.parametrize("manifest_dtype", [None, "|O"])
def test_object_npy_entries_are_rejected_unread(capsys, manifest_dtype):
    payload = npy_bytes(np.array([Loud(), Loud()] * 3, dtype=object).reshape(2, 3),
                        allow_pickle=True)

    def edit(manifest):
        if manifest_dtype:
            coef_node(manifest)["dtype"] = manifest_dtype

    with pytest.raises(ValueError):
        from_bytes(rewrite(saved_simple(), edit, {"arrays/0.npy": payload}))
    assert "EXECUTED" not in capsys.readouterr().out


def peak_bytes_while_failing(data: bytes) -> int:
    tracemalloc.start()
    try:
        with pytest.raises(ValueError):
            from_bytes(data)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_absurd_declared_shapes_are_rejected_before_allocation():
    def huge(n):
        return lambda m: coef_node(m).update(shape=[n])

    with pytest.raises(ValueError, match="MAX_TOTAL_UNCOMPRESSED"):
        from_bytes(rewrite(saved_simple(), huge(10**12)))
    # 800 MB claimed by the manifest, or by the manifest *and* the .npy header, with 48 bytes
    # stored: the declared sizes disagree, so no 800 MB buffer is ever allocated.
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        header, {"descr": "<f8", "fortran_order": False, "shape": (10**8,)})
    lying = header.getvalue() + bytes(48)
    for data in (rewrite(saved_simple(), huge(10**8)),
                 rewrite(saved_simple(), huge(10**8), {"arrays/0.npy": lying})):
        with pytest.raises(ValueError, match="should hold 800000000 bytes"):
            from_bytes(data)
        assert peak_bytes_while_failing(data) < 20 * 2**20


def test_total_uncompressed_size_is_capped(monkeypatch):
    model = PersistenceToy()
    model.coef_ = np.zeros(10**6)  # 8 MB of zeros deflate to a few kB: a small zip bomb
    data = to_bytes(model)
    assert len(data) < 100_000
    assert_same(model, from_bytes(data))
    monkeypatch.setattr(persistence, "MAX_TOTAL_UNCOMPRESSED", 10**6)
    with pytest.raises(ValueError, match="MAX_TOTAL_UNCOMPRESSED"):
        from_bytes(data)
    assert peak_bytes_while_failing(data) < 2 * 2**20


def test_one_entry_referenced_many_times_counts_against_the_cap(monkeypatch):
    model = PersistenceToy()
    model.coef_ = np.zeros(1000)
    monkeypatch.setattr(persistence, "MAX_TOTAL_UNCOMPRESSED", 50_000)

    def repeat(manifest):
        manifest["estimator"]["state"]["copies_"] = [coef_node(manifest)] * 100

    with pytest.raises(ValueError, match="MAX_TOTAL_UNCOMPRESSED"):
        from_bytes(rewrite(to_bytes(model), repeat))


def test_excessive_nesting_is_rejected():
    deep = 1
    for _ in range(150):
        deep = [deep]

    def edit(manifest):
        manifest["estimator"]["state"]["deep_"] = deep

    with pytest.raises(ValueError, match="levels deep"):
        from_bytes(rewrite(saved_simple(), edit))


def test_missing_files_are_an_os_error_not_a_bad_model(tmp_path):
    with pytest.raises(FileNotFoundError):
        persistence.load(tmp_path / "absent.zip")


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
