"""examples/monitoring.py and examples/ab_test.py run end to end and say what they should."""

import os
import re
import subprocess
import sys

import pytest

EXAMPLES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples")


def _run(script, tmp_path):
    env = dict(os.environ, MPLBACKEND="Agg")
    out = subprocess.run([sys.executable, os.path.join(EXAMPLES, script)], cwd=tmp_path,
                         env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout


def test_monitoring_example(tmp_path):
    out = _run("monitoring.py", tmp_path)
    rows = re.findall(r"^\s+(\d+)\s+([\d.]+)\s+(\[.*\])$", out, flags=re.M)
    assert len(rows) == 10
    drifted = [eval(r[2]) for r in rows]  # noqa: S307 (lists of names we printed)
    # the sudden drift (batch 6 on) is caught at once; the gradual one by the end
    assert all("color_intensity" in d for d in drifted[6:])
    assert not any("color_intensity" in d for d in drifted[:6])
    assert all("alcohol" in d for d in drifted[-4:])
    assert "## Drift report" in out and "| alcohol | numeric |" in out
    assert re.search(r"Performance alerts \(Page-Hinkley\): [1-9]", out)
    pytest.importorskip("matplotlib")
    assert (tmp_path / "drift_report.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_ab_test_example(tmp_path):
    out = _run("ab_test.py", tmp_path)
    assert re.search(r"McNemar \(exact binomial\): .* -> significant", out)
    assert re.search(r"5x2cv paired t-test: .* -> significant", out)
    assert "corrected resampled t-test" in out and "decision: A is better" in out
