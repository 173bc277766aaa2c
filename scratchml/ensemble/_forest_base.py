"""Shared machinery of random forests and extra trees: seeding, threads, bootstrap, OOB.

Reproducibility: every tree's seed is drawn from the forest's Generator *before*
any tree is built, and each tree draws its bootstrap sample from its own seed, so
the forest is the same for any ``n_jobs`` (threads only change *when* a tree is
built) and a ``warm_start`` forest of 10 then 20 trees equals one of 20 trees.
Trees build in threads: the Cython kernel releases the GIL for the whole build.
Predictions split the *rows* between threads and add the trees in a fixed order
(the ``forest_sum`` kernel), so they too are identical for any thread count.
"""

from __future__ import annotations

import numbers
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from .._backend import get_kernel
from .._config import effective_n_jobs, get_config
from ..base import BaseEstimator
from ..tree._kernels import tree_arrays
from ..utils.validation import check_is_fitted, check_random_state
from ._common import check_n_estimators

_SEED_HIGH = 2**63


def resolve_max_samples(max_samples, n: int, est: str) -> int:
    """Bootstrap size: None (n), an int in [1, n] or a fraction in (0, 1]."""
    if max_samples is None:
        return n
    if isinstance(max_samples, numbers.Integral) and not isinstance(max_samples, bool):
        if 1 <= max_samples <= n:
            return int(max_samples)
    elif isinstance(max_samples, numbers.Real) and 0.0 < max_samples <= 1.0:
        return max(int(round(n * max_samples)), 1)
    raise ValueError(f"max_samples={max_samples!r} is invalid for {est}: use None, an int in "
                     f"[1, {n}] or a float in (0, 1].")


def bootstrap_counts(seed: int, n: int, n_draws: int) -> np.ndarray:
    """How often each of n samples is drawn in n_draws draws with replacement."""
    rng = np.random.default_rng(seed)
    return np.bincount(rng.integers(0, n, n_draws), minlength=n).astype(np.float64)


class BaseForest(BaseEstimator):
    """Bagged trees: fit in threads, predict by averaging the trees' leaf values."""

    _tree_params = ("criterion", "max_depth", "min_samples_split", "min_samples_leaf",
                    "min_weight_fraction_leaf", "max_features", "max_leaf_nodes",
                    "min_impurity_decrease", "ccp_alpha")
    _splitter = "best"

    def _check_forest_params(self, n: int) -> int:
        est = type(self).__name__
        check_n_estimators(self.n_estimators, est)
        if self.oob_score and not self.bootstrap:
            raise ValueError(f"oob_score=True needs bootstrap=True in {est}: without "
                             "bootstrap no sample is out of bag.")
        if not self.bootstrap and self.max_samples is not None:
            raise ValueError(f"max_samples={self.max_samples!r} needs bootstrap=True in {est}.")
        return resolve_max_samples(self.max_samples, n, est)

    def _make_tree(self, seed: int):
        tree = self._tree_class(splitter=self._splitter, random_state=seed,
                                **{k: getattr(self, k) for k in self._tree_params})
        return tree

    def _fit_forest(self, X, y_codes, w, n_classes):
        """Grow the (new) trees; ``y_codes`` are class codes or float targets."""
        n, p = X.shape
        n_draws = self._check_forest_params(n)
        rng = check_random_state(self.random_state)
        seeds = rng.integers(0, _SEED_HIGH, size=(self.n_estimators, 2))  # bootstrap, tree
        keep = (list(getattr(self, "estimators_", []))
                if self.warm_start and hasattr(self, "estimators_") else [])
        if len(keep) > self.n_estimators:
            raise ValueError(f"n_estimators={self.n_estimators} must be at least the "
                             f"{len(keep)} trees already fitted when warm_start=True.")
        params = self._make_tree(0)._check_params(n, p)  # validates the tree parameters once
        Xt = np.ascontiguousarray(X.T)
        y_codes = np.ascontiguousarray(y_codes, dtype=np.float64)
        backend = get_config()["backend"]  # config is per thread: resolve it here
        todo = list(range(len(keep), self.n_estimators))

        def build(i):
            seed, tree_seed = int(seeds[i, 0]), int(seeds[i, 1])
            tree = self._make_tree(tree_seed)
            tree.n_features_in_ = p
            if n_classes:
                tree.classes_, tree.n_classes_ = np.arange(n_classes), n_classes
            wi = w
            if self.bootstrap:
                wi = w * bootstrap_counts(seed, n, n_draws)
            if n_classes and self.class_weight == "balanced_subsample":
                wi = wi * _balanced(y_codes.astype(np.intp), wi > 0, n_classes)
            return tree._grow(Xt, y_codes, wi, n_classes, tree_seed, params, backend)

        n_threads = max(1, min(effective_n_jobs(self.n_jobs), len(todo)))
        new = []
        if n_threads == 1:
            for j, i in enumerate(todo):
                new.append(build(i))
                self._progress(j + 1, len(todo))
        else:
            with ThreadPoolExecutor(max_workers=n_threads) as pool:
                for j, tree in enumerate(pool.map(build, todo)):
                    new.append(tree)
                    self._progress(j + 1, len(todo))
        self.estimators_ = keep + new
        self.n_features_in_ = p
        self.n_outputs_ = 1
        if self.oob_score:
            self._set_oob(X, y_codes, n, n_draws, seeds)
        return self

    def _progress(self, done: int, total: int) -> None:
        if self.verbose and (done == total or done % max(1, total // 10) == 0):
            print(f"[{type(self).__name__}] built {done}/{total} trees", flush=True)

    def _set_oob(self, X, y_codes, n, n_draws, seeds):
        """Out-of-bag estimate: each sample predicted by the trees that did not draw it."""
        width = self.n_classes_ if hasattr(self, "n_classes_") else 1
        total = np.zeros((n, width))
        n_pred = np.zeros(n)
        for tree, seed in zip(self.estimators_, seeds[:, 0]):
            oob = np.flatnonzero(bootstrap_counts(int(seed), n, n_draws) == 0)
            if oob.size:
                total[oob] += tree.tree_.value[tree.tree_.apply(X[oob]), 0, :]
                n_pred[oob] += 1
        seen = n_pred > 0
        if not seen.all():
            import warnings

            warnings.warn(f"{int((~seen).sum())} samples were never out of bag; their OOB "
                          "estimate is NaN. Use more trees.", UserWarning, stacklevel=3)
        with np.errstate(invalid="ignore", divide="ignore"):
            oob = total / n_pred[:, None]
        self._store_oob(oob, y_codes, seen)

    def _averaged(self, X, method: str) -> np.ndarray:
        """Mean over trees of the leaf values (the ``forest_sum`` kernel, rows in threads)."""
        check_is_fitted(self, "estimators_", method=method)
        X = self._validate_data(X, reset=False, ensure_all_finite="allow-nan")
        fn, _ = get_kernel("forest_sum")
        trees = tree_arrays([t.tree_ for t in self.estimators_])
        return fn(X, trees, self.n_jobs) / len(self.estimators_)

    def apply(self, X) -> np.ndarray:
        """Leaf index of every sample in every tree, shape (n_samples, n_estimators)."""
        check_is_fitted(self, "estimators_", method="apply")
        X = self._validate_data(X, reset=False, ensure_all_finite="allow-nan")
        return np.column_stack([t.tree_.apply(X) for t in self.estimators_])

    @property
    def feature_importances_(self) -> np.ndarray:
        """Mean of the trees' impurity-based importances, normalized to sum to 1."""
        check_is_fitted(self, "estimators_", method="feature_importances_")
        imp = np.mean([t.tree_.compute_feature_importances() for t in self.estimators_], axis=0)
        total = imp.sum()
        return imp / total if total > 0 else imp


def _balanced(codes: np.ndarray, drawn: np.ndarray, n_classes: int) -> np.ndarray:
    """'balanced_subsample': class weights n / (K n_k) computed on the drawn samples."""
    counts = np.bincount(codes[drawn], minlength=n_classes)
    per_class = drawn.sum() / (n_classes * np.maximum(counts, 1))
    return per_class[codes]
