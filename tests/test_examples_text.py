"""examples/text_classification.py runs end to end and learns the three topics."""

import os
import re
import subprocess
import sys

EXAMPLES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples")


def test_text_classification_example(tmp_path):
    env = dict(os.environ, MPLBACKEND="Agg")
    out = subprocess.run(
        [sys.executable, os.path.join(EXAMPLES, "text_classification.py")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    accuracies = [float(a) for a in re.findall(r"5-fold accuracy ([0-9.]+)", out.stdout)]
    assert len(accuracies) == 2
    # Chance is 1/3; even 12 training sentences per topic separate these topics.
    assert min(accuracies) > 0.6, out.stdout
    tops = dict(re.findall(r"top features for (\w+): (.*)", out.stdout))
    assert set(tops) == {"sports", "cooking", "space"}
    assert "orbit" in tops["space"] and "bake" in tops["cooking"], out.stdout
    assert out.stdout.rstrip().endswith("space")
