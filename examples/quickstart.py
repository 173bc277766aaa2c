"""Fit, score, save and reload a model; pick kernel backends.

Run: python examples/quickstart.py
"""

import os
import tempfile

import numpy as np

import scratchml
from scratchml.metrics import pairwise_distances_argmin_min
from scratchml.neighbors import NearestCentroid
from scratchml.preprocessing import StandardScaler

rng = np.random.default_rng(0)
X = rng.standard_normal((1000, 5))
y = (X[:, 0] + X[:, 1] > 0).astype(int)

scaler = StandardScaler().fit(X)
clf = NearestCentroid().fit(scaler.transform(X), y)
print("training accuracy:", round(clf.score(scaler.transform(X), y), 3))

with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "model.zip")
    scratchml.save(clf, path)
    again = scratchml.load(path)
    assert (again.predict(scaler.transform(X)) == clf.predict(scaler.transform(X))).all()
    print("saved and reloaded:", again)

centres = X[:8]
for backend in ("numpy", "auto"):
    with scratchml.config_context(backend=backend):
        labels, dist = pairwise_distances_argmin_min(X, centres)
    print(f"{backend:>5}: first labels {labels[:6]}, mean distance {dist.mean():.3f}")

scratchml.show_config()
