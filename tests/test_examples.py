"""The example scripts run end to end (in a temporary folder: they write files)."""

import os
import subprocess
import sys

import pytest

EXAMPLES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples")


@pytest.mark.parametrize("script", ["quickstart.py", "workflow.py"])
def test_example_runs(script, tmp_path):
    env = dict(os.environ, MPLBACKEND="Agg")
    out = subprocess.run(
        [sys.executable, os.path.join(EXAMPLES, script)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    if script == "workflow.py":
        assert "macro avg" in out.stdout
        pytest.importorskip("matplotlib")
        png = tmp_path / "confusion_matrix.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
