"""Monitoring a deployed model: data drift per feature and concept drift on its errors.

A naive Bayes model is trained on half of the bundled wine data (the reference). The
other half feeds a simulated production stream of 10 batches, drawn from it with a
little noise, in which two features drift:

* gradual drift: ``alcohol`` creeps up by 0.2 standard deviations per batch;
* sudden drift: from batch 6 on, ``color_intensity`` is read in other units (x 1.8).

A DriftMonitor checks a sliding window of the last 120 rows after every batch; a
PerformanceMonitor (Page-Hinkley) watches the model's errors. The final report is printed as
Markdown and drawn to a PNG.

Run: python examples/monitoring.py [drift_report.png]
"""

import sys

import numpy as np

from scratchml.datasets import load_wine
from scratchml.model_selection import train_test_split
from scratchml.monitoring import DriftMonitor, PageHinkley, PerformanceMonitor
from scratchml.naive_bayes import GaussianNB

out_png = sys.argv[1] if len(sys.argv) > 1 else "drift_report.png"
rng = np.random.default_rng(0)

wine = load_wine()
names = list(wine.feature_names)
X_ref, X_prod, y_ref, y_prod = train_test_split(wine.data, wine.target, test_size=0.5,
                                                random_state=0, stratify=wine.target)
model = GaussianNB().fit(X_ref, y_ref)


def as_table(X):
    """Columns by name, plus one categorical column: the proline level."""
    table = {name: X[:, j] for j, name in enumerate(names)}
    table["proline_level"] = np.digitize(X[:, names.index("proline")],
                                         [600, 900, 1200]).astype(str).astype(object)
    return table


# alpha = 0.01: with 14 features tested after every batch, 0.05 would raise a false
# alarm on some feature in most checks.
monitor = DriftMonitor(window_size=120, alpha=0.01, random_state=0).fit(as_table(X_ref))
alerts = []
# Page-Hinkley on the 0/1 errors: alarm once ~15 more errors than the running rate
# predicts have piled up (tolerating 0.02 per prediction).
performance = PerformanceMonitor(PageHinkley(delta=0.02, threshold=15.0), window_size=60,
                                 on_alert=alerts.append)

sd = X_ref.std(axis=0)
a, c = names.index("alcohol"), names.index("color_intensity")
print("batch  accuracy  drifted features")
for batch in range(10):
    rows = rng.choice(X_prod.shape[0], 60, replace=False)
    X = X_prod[rows] + rng.normal(0, 0.05, (60, len(names))) * sd  # unseen but similar
    y = y_prod[rows]
    X[:, a] += 0.2 * batch * sd[a]             # gradual
    if batch >= 6:
        X[:, c] *= 1.8                          # sudden
    pred = model.predict(X)
    performance.update(y, pred)
    report = monitor.update(as_table(X))
    print(f"{batch:>5}  {np.mean(pred == y):8.2f}  {report.drifted_features}")

print()
print(report.to_markdown())
print(f"Performance alerts (Page-Hinkley): {len(alerts)}"
      + (f", first after prediction {alerts[0]['index']}" if alerts else ""))

try:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    print("matplotlib is not installed: no plot")
else:
    axes = monitor.plot(features=["alcohol", "color_intensity", "hue", "proline_level"],
                        n_cols=2)
    axes[0].figure.savefig(out_png, dpi=80)
    plt.close("all")
    print(f"Wrote {out_png}")
