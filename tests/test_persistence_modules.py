"""Which module a model file names for each class, and why moving a class breaks no file.

``save`` records a class under the public package that exposes it
(``scratchml.preprocessing``), not the private module that defines it, so classes
can move between private modules. Files written before that (naming the private
module) keep loading, because a module that loses a class re-exports it; and a
module path outside scratchml is still refused.
"""

import io
import json
import zipfile

import numpy as np
import pytest

import scratchml
import scratchml.base
from scratchml.base import BaseEstimator
from scratchml.linear_model import LogisticRegression
from scratchml.pipeline import make_pipeline
from scratchml.preprocessing import (
    MaxAbsScaler,
    MinMaxScaler,
    Normalizer,
    OneHotEncoder,
    OrdinalEncoder,
    RobustScaler,
    StandardScaler,
)

X = np.array([[0.0, 1.0, 5.0], [1.0, 3.0, 2.0], [2.0, 0.0, 4.0], [1.0, 2.0, 9.0]])
y = np.array([0, 1, 0, 1])


class ClassParamToy(BaseEstimator):
    """Takes an estimator class as a parameter (the ``{"type": "class"}`` node)."""

    __module__ = "scratchml.base"  # where load may find it (see test_persistence.py)

    def __init__(self, kind=None):
        self.kind = kind


@pytest.fixture(autouse=True)
def register_toy(monkeypatch):
    monkeypatch.setattr(scratchml.base, "ClassParamToy", ClassParamToy, raising=False)


def save_bytes(estimator) -> bytes:
    buf = io.BytesIO()
    scratchml.save(estimator, buf)
    return buf.getvalue()


def manifest_of(data: bytes) -> dict:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return json.loads(zf.read("manifest.json"))


def with_manifest(data: bytes, edit) -> bytes:
    """The same archive with ``edit(manifest)`` applied to its manifest."""
    src = zipfile.ZipFile(io.BytesIO(data))
    manifest = json.loads(src.read("manifest.json"))
    edit(manifest)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = json.dumps(manifest) if info.filename == "manifest.json" else src.read(info)
            dst.writestr(info.filename, body)
    return out.getvalue()


FITTED = {
    "StandardScaler": lambda: StandardScaler().fit(X),
    "MinMaxScaler": lambda: MinMaxScaler().fit(X),
    "MaxAbsScaler": lambda: MaxAbsScaler().fit(X),
    "RobustScaler": lambda: RobustScaler().fit(X),
    "Normalizer": lambda: Normalizer().fit(X),
    "OneHotEncoder": lambda: OneHotEncoder().fit(X),
    "OrdinalEncoder": lambda: OrdinalEncoder().fit(X),
    "LogisticRegression": lambda: LogisticRegression().fit(X, y),
}


def same_output(a, b) -> None:
    method = "predict" if hasattr(a, "predict") else "transform"
    np.testing.assert_array_equal(getattr(a, method)(X), getattr(b, method)(X))


@pytest.mark.parametrize("name", sorted(FITTED))
def test_saved_class_names_its_public_package(name):
    model = FITTED[name]()
    node = manifest_of(save_bytes(model))["estimator"]["class"]
    package = type(model).__module__.rsplit(".", 1)[0]
    assert type(model).__module__ != package  # defined in a private module...
    assert node == {"module": package, "qualname": name}  # ...recorded under its package
    loaded = scratchml.load(io.BytesIO(save_bytes(model)))
    assert type(loaded) is type(model)
    same_output(model, loaded)


def test_nested_estimators_and_class_parameters_name_public_packages():
    pipe = make_pipeline(StandardScaler(), LogisticRegression()).fit(X, y)
    text = json.dumps(manifest_of(save_bytes(pipe)))
    assert '"module": "scratchml.preprocessing", "qualname": "StandardScaler"' in text
    assert '"module": "scratchml.linear_model", "qualname": "LogisticRegression"' in text
    assert "._" not in text  # no private module anywhere in the manifest
    kind = manifest_of(save_bytes(ClassParamToy(kind=RobustScaler)))["estimator"]["params"]
    assert kind["kind"] == {"type": "class", "module": "scratchml.preprocessing",
                            "qualname": "RobustScaler"}
    assert scratchml.load(io.BytesIO(save_bytes(ClassParamToy(kind=RobustScaler)))).kind \
        is RobustScaler


# Files written before the classes were recorded under their package name the module
# that defined them then; some of those classes have moved since.
OLD_PATHS = [
    ("scratchml.preprocessing._scalers", "StandardScaler"),
    ("scratchml.preprocessing._scalers", "RobustScaler"),  # now in _scalers_robust
    ("scratchml.preprocessing._scalers", "Normalizer"),  # now in _scalers_robust
    ("scratchml.preprocessing._encoders", "OrdinalEncoder"),  # now in _ordinal_encoder
    ("scratchml.preprocessing._encoders", "OneHotEncoder"),
]


@pytest.mark.parametrize("module, name", OLD_PATHS)
def test_files_naming_the_old_private_module_still_load(module, name):
    model = FITTED[name]()

    def edit(manifest):
        manifest["estimator"]["class"]["module"] = module

    loaded = scratchml.load(io.BytesIO(with_manifest(save_bytes(model), edit)))
    assert type(loaded) is type(model)
    same_output(model, loaded)


@pytest.mark.parametrize("module", ["sklearn.preprocessing", "os", "scratchml_evil",
                                    "scratchml.preprocessing._scalers.np", "numpy"])
def test_module_paths_outside_scratchml_are_still_refused(module):
    def edit(manifest):
        manifest["estimator"]["class"]["module"] = module

    data = with_manifest(save_bytes(FITTED["StandardScaler"]()), edit)
    with pytest.raises(ValueError, match="not a scratchml estimator class; refusing to load"):
        scratchml.load(io.BytesIO(data))


def test_classes_no_public_package_exposes_keep_their_module(monkeypatch):
    # Same name as the public StandardScaler but a different object: recording
    # "scratchml.preprocessing" would load the wrong class, so the module stays.
    class StandardScaler(BaseEstimator):
        __module__ = "scratchml.preprocessing._scalers"

    StandardScaler.__qualname__ = "StandardScaler"
    node = manifest_of(save_bytes(StandardScaler()))["estimator"]["class"]
    assert node == {"module": "scratchml.preprocessing._scalers", "qualname": "StandardScaler"}

    # Exposed by its private module only: recorded (and found again) there.
    class Hidden(BaseEstimator):
        __module__ = "scratchml.preprocessing._scalers"

    Hidden.__qualname__ = "Hidden"

    monkeypatch.setattr("scratchml.preprocessing._scalers.Hidden", Hidden, raising=False)
    node = manifest_of(save_bytes(Hidden()))["estimator"]["class"]
    assert node["module"] == "scratchml.preprocessing._scalers"
    assert type(scratchml.load(io.BytesIO(save_bytes(Hidden())))) is Hidden
