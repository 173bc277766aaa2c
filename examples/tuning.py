"""Compare four tuners on one problem: grid, random, successive halving, Bayesian.

A k-nearest-neighbours pipeline on a noisy two-moons-like problem; the tuned
hyperparameters are the number of neighbours (1..40), the weighting and the
Minkowski power p (log scale, 1..4). Each tuner gets a similar budget of
candidates; the script prints each one's best score and number of fits, and
saves the convergence plot (best score so far vs evaluation) to tuning.png.

Run: python examples/tuning.py
"""

import time

import numpy as np

from scratchml.model_selection import (
    BayesSearchCV,
    GridSearchCV,
    HalvingRandomSearchCV,
    RandomizedSearchCV,
    StratifiedKFold,
    loguniform,
    randint,
)
from scratchml.neighbors import KNeighborsClassifier
from scratchml.pipeline import Pipeline
from scratchml.preprocessing import StandardScaler

rng = np.random.default_rng(0)
n = 400
t = rng.uniform(0, np.pi, n)
side = rng.integers(0, 2, n)
X = np.c_[np.cos(t) + side, np.sin(t) * (1 - 2 * side) + 0.5 * side]
X = X + 0.3 * rng.standard_normal(X.shape)
X = np.c_[X, rng.standard_normal((n, 2))]  # two noise features
y = side

pipe = Pipeline([("scale", StandardScaler()), ("knn", KNeighborsClassifier())])
cv = StratifiedKFold(5, shuffle=True, random_state=0)
space = {"knn__n_neighbors": randint(1, 41), "knn__weights": ["uniform", "distance"],
         "knn__p": loguniform(1.0, 4.0)}
grid = {"knn__n_neighbors": [1, 3, 5, 9, 15, 25, 40], "knn__weights": ["uniform", "distance"],
        "knn__p": [1.0, 2.0]}

searches = {
    "grid (28)": GridSearchCV(pipe, grid, cv=cv),
    "random (20)": RandomizedSearchCV(pipe, space, n_iter=20, cv=cv, random_state=0),
    # Round 1: 27 candidates on 100 rows; round 2: the best 9 on 300 rows (enough rows
    # that 40 neighbours exist in every training fold).
    "halving random": HalvingRandomSearchCV(pipe, space, n_candidates=27, factor=3, cv=cv,
                                            min_resources=100, random_state=0),
    "Bayesian (20)": BayesSearchCV(pipe, space, n_iter=20, n_initial_points=6, cv=cv,
                                   random_state=0),
}
for name, search in searches.items():
    start = time.perf_counter()
    search.fit(X, y)
    n_fits = len(search.cv_results_["params"]) * search.n_splits_
    print(f"{name:15s} best CV accuracy {search.best_score_:.4f} with {n_fits:3d} fits "
          f"in {time.perf_counter() - start:.1f}s: {search.best_params_}")

try:
    import matplotlib.pyplot as plt
except ImportError:
    print("matplotlib is not installed: no plot")
else:
    from scratchml.plotting import plot_convergence

    ax = plot_convergence(*searches.values(), labels=list(searches))
    ax.set_title("Best 5-fold CV accuracy so far")
    ax.figure.savefig("tuning.png", dpi=80)
    plt.close(ax.figure)
    print("saved tuning.png")
