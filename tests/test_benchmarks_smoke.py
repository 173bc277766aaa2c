"""Smoke test of the benchmark harness: a tiny fake case, run in-process, one repeat."""

from __future__ import annotations

import importlib
import importlib.util
import json
import sys
from pathlib import Path

import numpy as np
import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]


def _import(name):
    """Import ``benchmarks.*`` from the repository without leaving it on sys.path
    (where its ``scratchml/`` source folder would shadow the installed package)."""
    try:
        return importlib.import_module(name)
    except ImportError:
        sys.path.append(str(REPO_ROOT))
        try:
            return importlib.import_module(name)
        finally:
            sys.path.remove(str(REPO_ROOT))


harness = _import("benchmarks.harness")
run = _import("benchmarks.run")

PREFIX = "smoke_fake_"


def _data(n, seed):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 3))
    return {"X": X, "y": (X[:, 0] > 0).astype(int)}


class _Mean:
    """A toy 'estimator': predicts 1 where the first feature exceeds its training mean."""

    def fit(self, X):
        self.mean_ = X[:, 0].mean()
        return self

    def predict(self, X):
        return (X[:, 0] > self.mean_).astype(int)


def _broken(data):
    raise RuntimeError("deliberate failure")


@pytest.fixture
def fake_cases():
    side = dict(fit=lambda d: _Mean().fit(d["X"]), predict=lambda m, d: m.predict(d["X"]))
    cases = [
        harness.Case(
            name=PREFIX + "ok", family="smoke", data=_data,
            params=dict(n=1000, seed=0), quick_params=dict(n=200, seed=0),
            ours=harness.Side("scratchml", **side), ref=harness.Side("reference", **side),
            score=lambda pred, d: float((pred == d["y"]).mean()), score_name="accuracy",
        ),
        harness.Case(
            name=PREFIX + "skipped", family="smoke", data=_data, params=dict(n=10, seed=0),
            ours=harness.Side("scratchml", call=lambda d: 0),
            ref=harness.Side("missing", call=lambda d: 0,
                             requires=("no_such_module_for_the_smoke_test",)),
        ),
        harness.Case(
            name=PREFIX + "failed", family="smoke", data=_data, params=dict(n=10, seed=0),
            ours=harness.Side("scratchml", call=_broken),
            ref=harness.Side("reference", call=lambda d: 0),
        ),
    ]
    for c in cases:
        harness.register(c)
    yield cases
    for c in cases:
        harness.CASES.pop(c.name, None)


def test_harness_writes_report_and_ratio(fake_cases, tmp_path, capsys):
    rc = run.main(["--quick", "--only", PREFIX + "*", "--repeats", "1", "--out", str(tmp_path)])
    assert rc == 1  # the deliberately failing case makes the run fail, after the others ran

    report = (tmp_path / "REPORT.md").read_text()
    assert "tracemalloc" in report and "< 1 means scratchml is faster" in report
    assert PREFIX + "ok" in report and "deliberate failure" in report

    payload = json.loads((tmp_path / "results.json").read_text())
    by_name = {c["name"]: c for c in payload["cases"]}
    assert set(by_name) == {c.name for c in fake_cases}
    ok = by_name[PREFIX + "ok"]
    assert ok["status"] == "ok" and ok["params"]["n"] == 200  # quick size
    assert set(ok["ratio"]) == {"fit", "predict"}
    for phase, ratio in ok["ratio"].items():
        ours, ref = (ok["sides"][k]["median"][phase] for k in ("ours", "ref"))
        assert ratio == pytest.approx(ours / ref)
    assert ok["score"]["diff"] == 0.0  # the same toy model on both sides
    assert len(ok["sides"]["ours"]["times"]["fit"]) == 1
    assert ok["sides"]["ours"]["peak_bytes"] > 0
    assert by_name[PREFIX + "skipped"]["status"] == "skipped"
    assert "no_such_module_for_the_smoke_test" in by_name[PREFIX + "skipped"]["reason"]
    failed = by_name[PREFIX + "failed"]
    assert failed["status"] == "failed" and "RuntimeError" in failed["error"]
    assert "OPENBLAS_CORETYPE" in payload["environment"]

    if importlib.util.find_spec("matplotlib") is not None:
        assert (tmp_path / "ratios.png").stat().st_size > 0
    assert PREFIX + "ok" in capsys.readouterr().out
