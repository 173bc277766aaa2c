"""A complete workflow: bundled data -> ColumnTransformer + Pipeline -> cross-validation
-> classification report -> confusion-matrix PNG.

Run: python examples/workflow.py [output.png]
"""

import sys

import numpy as np

import scratchml
from scratchml.compose import ColumnTransformer
from scratchml.datasets import load_wine
from scratchml.metrics import classification_report
from scratchml.model_selection import StratifiedKFold, cross_val_predict, cross_validate
from scratchml.neighbors import NearestCentroid
from scratchml.pipeline import Pipeline
from scratchml.preprocessing import KBinsDiscretizer, OneHotEncoder, StandardScaler

wine = load_wine()
X, y = wine.data, wine.target
names = list(wine.feature_names)
numeric = [i for i, n in enumerate(names) if n not in ("alcohol", "proline")]
# Two columns as categories: binned alcohol content, and proline bucketed into levels.
levels = np.digitize(X[:, names.index("proline")], [600, 900, 1200]).astype(str)
X_mixed = np.column_stack([X[:, numeric], X[:, names.index("alcohol")], levels]).astype(object)
n_num = len(numeric)

preprocess = ColumnTransformer(
    [
        ("scale", StandardScaler(), list(range(n_num))),
        ("alcohol", KBinsDiscretizer(n_bins=4, encode="onehot-dense", subsample=None), [n_num]),
        ("proline", OneHotEncoder(handle_unknown="ignore"), [n_num + 1]),
    ]
)
model = Pipeline([("prep", preprocess), ("clf", NearestCentroid())])

cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
scores = cross_validate(model, X_mixed, y, cv=cv, scoring=["accuracy", "f1_macro"])
print(f"accuracy {scores['test_accuracy'].mean():.3f} ± {scores['test_accuracy'].std():.3f}")
print(f"macro F1 {scores['test_f1_macro'].mean():.3f}")

pred = cross_val_predict(model, X_mixed, y, cv=cv)
print(classification_report(y, pred, target_names=list(wine.target_names)))

fitted = model.fit(X_mixed, y)
print("features after preprocessing:", len(fitted.named_steps["prep"].get_feature_names_out()))

try:
    import matplotlib

    matplotlib.use("Agg")
    from scratchml.plotting import plot_confusion_matrix

    out = sys.argv[1] if len(sys.argv) > 1 else "confusion_matrix.png"
    ax = plot_confusion_matrix(y, pred, labels=[0, 1, 2], normalize="true")
    ax.set_title("Wine: nearest centroid, 5-fold CV")
    ax.figure.savefig(out, dpi=100, bbox_inches="tight")
    print("wrote", out)
except ImportError:
    print("matplotlib is not installed: skipping the confusion-matrix plot")

scratchml.save(fitted, "wine_model.zip")
print("saved the fitted pipeline to wine_model.zip; reload with scratchml.load")
