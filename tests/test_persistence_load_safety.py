"""scratchml.load refuses damaged, tampered or hostile files with ValueError, never running code.

The toy estimators come from tests/_persistence_helpers.py (registered in
``scratchml.base`` by its autouse fixture); ``Outsider`` is left where it is to test
the refusal.
"""

import builtins
import io
import json
import os
import pickle
import tracemalloc
import zipfile

import numpy as np
import pytest
from _persistence_helpers import (
    PersistenceLeaf,
    PersistenceToy,
    assert_same,
    from_bytes,
    make_model,
    register_toys,  # noqa: F401  (autouse fixture)
    to_bytes,
)
from hypothesis import given, settings
from hypothesis import strategies as st

import scratchml
import scratchml._config
import scratchml.base
from scratchml import persistence
from scratchml.base import BaseEstimator


class Outsider(BaseEstimator):
    """A BaseEstimator subclass that is not part of scratchml: saving works, loading is refused."""

    def __init__(self, c=1):
        self.c = c


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


def saved_simple() -> bytes:
    model = PersistenceToy(alpha=2.0, base=PersistenceLeaf(depth=1))
    model.coef_ = np.arange(6, dtype=np.float64).reshape(2, 3)
    return to_bytes(model)


def coef_node(manifest) -> dict:
    return manifest["estimator"]["state"]["coef_"]


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
