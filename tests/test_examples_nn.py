"""The nn examples run as scripts (subprocess, in a temporary folder) and do what they say."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def run(script: str, tmp_path, **env) -> str:
    proc = subprocess.run(
        [sys.executable, str(EXAMPLES / script)], cwd=tmp_path, capture_output=True, text=True,
        timeout=120, env={**os.environ, "MPLBACKEND": "Agg", **env},
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_cnn_digits_reaches_98_percent(tmp_path):
    pytest.importorskip("matplotlib")
    out = run("cnn_digits.py", tmp_path)  # the full 5-epoch run takes a few seconds
    accuracy = float(re.search(r"held-out accuracy: ([0-9.]+)", out).group(1))
    assert accuracy >= 0.98
    assert (tmp_path / "cnn_digits_loss.png").stat().st_size > 0
    losses = [float(v) for v in re.findall(r"training loss ([0-9.]+)", out)]
    assert len(losses) == 5 and losses[-1] < losses[0]


def test_mlp_regression_fits_the_sine(tmp_path):
    pytest.importorskip("matplotlib")
    out = run("mlp_regression.py", tmp_path, SCRATCHML_EXAMPLE_EPOCHS="60")
    r2 = float(re.search(r"R² against sin\(x\): ([-0-9.]+)", out).group(1))
    assert r2 > 0.8  # 60 epochs of a 64-64 tanh net already capture most of sin(x)
    assert (tmp_path / "mlp_regression_loss.png").stat().st_size > 0


def test_examples_stay_short():
    for script in ("cnn_digits.py", "mlp_regression.py"):
        assert len((EXAMPLES / script).read_text().splitlines()) < 80
