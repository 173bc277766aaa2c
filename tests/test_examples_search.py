"""examples/tuning.py runs end to end and saves its convergence plot."""

import os
import re
import subprocess
import sys

import pytest

EXAMPLES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples")


def test_tuning_example_runs_and_saves_the_plot(tmp_path):
    env = dict(os.environ, MPLBACKEND="Agg")
    out = subprocess.run([sys.executable, os.path.join(EXAMPLES, "tuning.py")], cwd=tmp_path,
                         env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    scores = dict(re.findall(r"^(\w[\w ()0-9]*?)\s+best CV accuracy ([0-9.]+)", out.stdout,
                             flags=re.M))
    assert set(scores) == {"grid (28)", "random (20)", "halving random", "Bayesian (20)"}
    # The classes overlap (noise 0.3) but are far from random: every tuner does well.
    assert all(0.7 < float(v) <= 1.0 for v in scores.values())
    assert "Scoring failed" not in out.stderr
    pytest.importorskip("matplotlib")
    assert (tmp_path / "tuning.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
