"""FeatureUnion: several transformers side by side, outputs concatenated column-wise.

    FeatureUnion(X) = [w_1 T_1(X) | w_2 T_2(X) | ... | w_m T_m(X)]

As in scikit-learn, the result is sparse (a CSRMatrix) when any output is sparse.

Public name: :class:`scratchml.pipeline.FeatureUnion` (as in scikit-learn); it
lives here to keep ``pipeline.py`` short.
"""

from __future__ import annotations

import numpy as np

from ..base import TransformerMixin
from ..utils.validation import _is_fitted, check_is_fitted, get_feature_names
from ._base import (
    Bunch,
    _BaseComposition,
    _default_feature_names,
    _n_features,
    _name_estimators,
    _print_elapsed_time,
)
from ._sparse_stack import _as_csr, _hstack_csr, _is_sparse


def _is_drop(t) -> bool:
    return isinstance(t, str) and t == "drop"


def _is_passthrough(t) -> bool:
    return isinstance(t, str) and t == "passthrough"


def _as_output(X):
    """Dense outputs as arrays; sparse ones (CSRMatrix or SciPy's) as a CSRMatrix."""
    return _as_csr(X) if _is_sparse(X) else np.asarray(X)


def _fit_one(trans, X, y, weight, fit_params, transform: bool, message):
    """Fit one transformer (and transform X with it); returns (output or None, fitted)."""
    with _print_elapsed_time("FeatureUnion", message):
        if _is_passthrough(trans):
            return (_as_output(X) if transform else None), trans
        if not transform:
            return None, trans.fit(X, y, **fit_params)
        if hasattr(trans, "fit_transform"):
            Xt = trans.fit_transform(X, y, **fit_params)
        else:
            Xt = trans.fit(X, y, **fit_params).transform(X)
    return _weighted(Xt, weight), trans


def _transform_one(trans, X, weight):
    return _as_output(X) if _is_passthrough(trans) else _weighted(trans.transform(X), weight)


def _weighted(Xt, weight):
    Xt = _as_output(Xt)
    return Xt if weight is None else Xt * weight


def _hstack(Xs: list, n_samples: int) -> np.ndarray:
    if not Xs:
        return np.zeros((n_samples, 0))
    Xs = [X if X.ndim == 2 else X.reshape(-1, 1) for X in Xs]
    if any(_is_sparse(X) for X in Xs):  # as scikit-learn: any sparse block, sparse result
        return _hstack_csr(Xs, n_samples)
    return np.hstack(Xs)


class FeatureUnion(TransformerMixin, _BaseComposition):
    """Concatenate the outputs of several transformers fitted on the same input.

    Parameters
    ----------
    transformer_list : list of (str, transformer) tuples
        A transformer may be ``"drop"`` (ignored) or ``"passthrough"`` (the input
        columns as they are). Transformers are fitted in place.
    n_jobs : int or None, default=None
        Fit/transform the transformers in parallel (see
        :mod:`scratchml.model_selection._parallel` for the executor rule).
    transformer_weights : dict or None, default=None
        Multiplier of each transformer's output, by name.
    verbose : bool, default=False
    verbose_feature_names_out : bool, default=True
        Prefix output feature names with the transformer name (``name__feature``).

    Attributes
    ----------
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when fitted on a DataFrame with string column names.

    Examples
    --------
    >>> from scratchml.pipeline import FeatureUnion
    >>> from scratchml.preprocessing import StandardScaler
    >>> union = FeatureUnion([("z", StandardScaler()), ("raw", "passthrough")])
    >>> union.fit_transform([[0.0], [2.0]])
    array([[-1.,  0.],
           [ 1.,  2.]])
    """

    _items_attr = _items_param = "transformer_list"

    def __init__(self, transformer_list, *, n_jobs=None, transformer_weights=None,
                 verbose: bool = False, verbose_feature_names_out: bool = True):
        self.transformer_list = transformer_list
        self.n_jobs = n_jobs
        self.transformer_weights = transformer_weights
        self.verbose = verbose
        self.verbose_feature_names_out = verbose_feature_names_out

    @property
    def named_transformers(self) -> Bunch:
        """The transformers by name."""
        return Bunch(**dict(self.transformer_list))

    def __getitem__(self, name: str):
        if not isinstance(name, str):
            raise KeyError("Only string keys are supported.")
        return self.named_transformers[name]

    def _validate(self) -> None:
        if not isinstance(self.transformer_list, (list, tuple)) or not all(
                isinstance(t, tuple) and len(t) == 2 for t in self.transformer_list):
            raise ValueError("transformer_list must be a list of (name, transformer) tuples, "
                             f"got {self.transformer_list!r}.")
        names = [name for name, _ in self.transformer_list]
        self._validate_names(names)
        for name, t in self.transformer_list:
            if _is_drop(t) or _is_passthrough(t):
                continue
            if not (hasattr(t, "fit") or hasattr(t, "fit_transform")) or not hasattr(
                    t, "transform"):
                raise TypeError(f"All estimators should implement fit and transform, or be "
                                f"'drop' or 'passthrough'. {name!r} ({t!r}) doesn't.")
        unknown = set(self.transformer_weights or {}) - set(names)
        if unknown:
            raise ValueError(f"transformer_weights names {sorted(unknown)}, which are not "
                             f"transformers of this union; known: {names}.")

    def _iter(self):
        weights = self.transformer_weights or {}
        for name, trans in self.transformer_list:
            if not _is_drop(trans):
                yield name, trans, weights.get(name)

    def _run(self, func, tasks):
        from ..model_selection._parallel import run_tasks

        return run_tasks(func, tasks, self.n_jobs)

    def _fit_all(self, X, y, fit_params, transform: bool):
        self._validate()
        items = list(self._iter())
        tasks = [(trans, X, y, weight, fit_params, transform,
                  f"(step {i} of {len(items)}) Processing {name}" if self.verbose else None)
                 for i, (name, trans, weight) in enumerate(items, start=1)]
        results = self._run(_fit_one, tasks)
        # Put the fitted transformers back (a worker process returns copies).
        fitted = iter(est for _, est in results)
        self.transformer_list = [(name, t if _is_drop(t) else next(fitted))
                                 for name, t in self.transformer_list]
        self._set_features_in(_n_features(X), get_feature_names(X))
        return [Xt for Xt, _ in results]

    def fit(self, X, y=None, **fit_params):
        """Fit every transformer on X."""
        self._fit_all(X, y, fit_params, transform=False)
        return self

    def fit_transform(self, X, y=None, **fit_params):
        """Fit every transformer on X and concatenate their (weighted) outputs."""
        Xs = self._fit_all(X, y, fit_params, transform=True)
        return _hstack(Xs, len(X) if not hasattr(X, "shape") else X.shape[0])

    def __sklearn_is_fitted__(self) -> bool:
        if hasattr(self, "n_features_in_"):
            return True
        steps = [t for _, t, _ in self._iter() if not _is_passthrough(t)]
        return bool(steps) and all(_is_fitted(t) for t in steps)

    def transform(self, X):
        """Concatenate the (weighted) outputs of every fitted transformer on X."""
        check_is_fitted(self, method="transform")
        if get_feature_names(X) is None:  # a frame is checked by name by its transformers
            self._check_features(_n_features(X), None)
        Xs = self._run(_transform_one, [(t, X, w) for _, t, w in self._iter()])
        return _hstack(Xs, len(X) if not hasattr(X, "shape") else X.shape[0])

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Output names: ``name__feature`` for each transformer's features, in order."""
        check_is_fitted(self, method="get_feature_names_out")
        parts = []
        for name, trans, _ in self._iter():
            if _is_passthrough(trans):
                out = _default_feature_names(self, input_features)
            elif hasattr(trans, "get_feature_names_out"):
                out = trans.get_feature_names_out(input_features)
            else:
                raise AttributeError(f"Transformer {name} (type {type(trans).__name__}) does "
                                     "not provide get_feature_names_out.")
            parts.append((name, np.asarray(out, dtype=object)))
        return _join_feature_names(parts, self.verbose_feature_names_out)


def _join_feature_names(parts, verbose: bool) -> np.ndarray:
    """``name__feature`` names (verbose) or the bare names, which must then be unique."""
    if not parts:
        return np.array([], dtype=object)
    if verbose:
        return np.asarray([f"{name}__{f}" for name, out in parts for f in out], dtype=object)
    flat = [f for _, out in parts for f in out]
    dup = sorted({f for f in flat if flat.count(f) > 1})
    if dup:
        shown = str(dup[:5])[:-1] + ", ...]" if len(dup) > 5 else str(dup)
        raise ValueError(f"Output feature names: {shown} are not unique. Please set "
                         "verbose_feature_names_out=True to add prefixes to feature names")
    return np.asarray(flat, dtype=object)


def make_union(*transformers, n_jobs=None, verbose: bool = False) -> FeatureUnion:
    """A :class:`FeatureUnion` named after the lower-cased class names of its transformers.

    Examples
    --------
    >>> from scratchml.pipeline import make_union
    >>> from scratchml.preprocessing import StandardScaler
    >>> [name for name, _ in make_union(StandardScaler(), "passthrough").transformer_list]
    ['standardscaler', 'passthrough']
    """
    return FeatureUnion(_name_estimators(transformers), n_jobs=n_jobs, verbose=verbose)
