"""The linear-model example runs and recovers the cubic it was made from."""

import os
import re
import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "polynomial_regression.py"


def test_polynomial_regression_example(tmp_path):
    env = dict(os.environ, MPLBACKEND="Agg")
    out = subprocess.run([sys.executable, str(EXAMPLE)], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=60, check=True).stdout
    best = re.search(r"best degree: (\d+) \(test R2 ([0-9.]+)\)", out)
    assert best, out
    assert int(best.group(1)) == 3  # the data is a cubic (seeded: deterministic output)
    assert float(best.group(2)) > 0.95
    coef = re.search(r"coefficients \(x, x\^2, x\^3, ...\): \[([^\]]*)\]", out).group(1)
    c = [float(v) for v in coef.split(",")]
    # y = 0.5 x³ − x² + 2x + 1 + N(0, 0.5²) on 140 points: coefficients within ~0.3.
    assert len(c) == 3
    assert abs(c[0] - 2) < 0.3 and abs(c[1] + 1) < 0.3 and abs(c[2] - 0.5) < 0.3
