"""ColumnTransformer: a different transformer for each subset of columns.

For column subsets S_1, ..., S_m of X and transformers T_1, ..., T_m,

    ColumnTransformer(X) = [w_1 T_1(X[:, S_1]) | ... | w_m T_m(X[:, S_m]) | R(X[:, rest])],

where ``rest`` holds the columns no subset names and R is the ``remainder``
('drop': left out, 'passthrough': kept as they are, or a transformer).
When a transformer returns a sparse matrix (a CSRMatrix, or SciPy's), the result
is a :class:`scratchml.sparse.CSRMatrix` if its overall density is below
``sparse_threshold``, else a dense array (scikit-learn's rule, ``_sparse_stack.py``).
"""

from __future__ import annotations

import time

import numpy as np

from ..base import TransformerMixin, clone
from ..utils.validation import check_is_fitted, get_feature_names
from ._base import (
    Bunch,
    _BaseComposition,
    _default_feature_names,
    _message_with_time,
    _name_estimators,
)
from ._columns import _get_column_indices, _is_frame, _is_scalar_key, _key_kind, _select
from ._sparse_stack import _as_csr, _hstack_blocks, _is_sparse, _stacked_density

_NO_FIT = ("drop", "passthrough")


def _check_X(X):
    """Frames and arrays as they are, sparse as a CSRMatrix; other array-likes as arrays
    (object for mixed data)."""
    if _is_frame(X) or isinstance(X, np.ndarray):
        return X
    if _is_sparse(X):
        return _as_csr(X)
    arr = np.asarray(X)
    if arr.dtype.kind in "US":  # mixed numbers and strings: keep numbers as numbers
        arr = np.asarray(X, dtype=object)
    return arr


def _as_2d_output(Xt, name: str):
    if _is_sparse(Xt):  # kept sparse: stacked by _hstack_blocks
        return _as_csr(Xt)
    if hasattr(Xt, "toarray") and not isinstance(Xt, np.ndarray):
        Xt = Xt.toarray()
    Xt = np.asarray(Xt)
    if Xt.ndim != 2:
        raise ValueError(f"The output of the '{name}' transformer should be 2D (numpy array "
                         f"or dataframe), got shape {Xt.shape}.")
    return Xt


def _fit_transform_one(name, trans, X_sub, y, weight, message):
    start = time.perf_counter()
    if isinstance(trans, str):  # passthrough
        Xt = X_sub if _is_sparse(X_sub) else np.asarray(X_sub)
        Xt = Xt.reshape(-1, 1) if Xt.ndim == 1 else Xt
    else:
        try:
            if hasattr(trans, "fit_transform"):
                Xt = trans.fit_transform(X_sub, y)
            else:
                Xt = trans.fit(X_sub, y).transform(X_sub)
        except ValueError as exc:
            if getattr(X_sub, "ndim", 2) == 1:  # a scalar column key selected a 1-D column
                raise ValueError(
                    f"1D data passed to the transformer {name!r}, which expects 2D data. Try "
                    "to specify the column selection as a list of one item instead of a "
                    "scalar.") from exc
            raise
    Xt = _as_2d_output(Xt, name)
    if message is not None:
        print(_message_with_time("ColumnTransformer", message, time.perf_counter() - start))
    return (Xt if weight is None else Xt * weight), trans


def _transform_one(name, trans, X_sub, weight):
    if isinstance(trans, str):
        Xt = X_sub if _is_sparse(X_sub) else np.asarray(X_sub)
        Xt = Xt.reshape(-1, 1) if Xt.ndim == 1 else Xt
    else:
        Xt = _as_2d_output(trans.transform(X_sub), name)
    return Xt if weight is None else Xt * weight


class ColumnTransformer(TransformerMixin, _BaseComposition):
    """Apply transformers to column subsets of X and concatenate the results.

    Parameters
    ----------
    transformers : list of (name, transformer, columns) tuples
        ``transformer`` is an estimator with fit/transform (scratchml or any
        duck-typed one, e.g. scikit-learn's), ``"drop"`` or ``"passthrough"``;
        ``columns`` is a column specifier (see :mod:`scratchml.compose._columns`).
    remainder : {"drop", "passthrough"} or transformer, default="drop"
        What happens to the columns no transformer names.
    sparse_threshold : float, default=0.3
        When some transformer output is sparse and the stacked result has a density
        (share of stored entries, dense blocks counting in full) below this, the
        output is a CSRMatrix; otherwise dense. 0 always gives dense output.
    n_jobs : int or None, default=None
        Fit transformers in parallel (executor rule of
        :mod:`scratchml.model_selection._parallel`).
    transformer_weights : dict or None, default=None
        Multiplier of each transformer's output, by name.
    verbose : bool, default=False
    verbose_feature_names_out : bool or str, default=True
        Prefix output names with the transformer name (``"name__feature"``);
        a string is a format with ``{transformer_name}`` and ``{feature_name}``.

    Attributes
    ----------
    sparse_output_ : bool
        Whether ``transform`` returns a CSRMatrix.
    transformers_ : list of (name, fitted transformer, columns) tuples
        Clones fitted on their columns, callables resolved to the columns they
        chose, and ``("remainder", ..., columns)`` last when columns remain.
        ``"passthrough"`` stays the string (scikit-learn stores a fitted
        FunctionTransformer there).
    named_transformers_ : Bunch
    output_indices_ : dict of name -> slice
        Which output columns each transformer produced.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when fitted on a DataFrame with string column names.

    Examples
    --------
    >>> from scratchml.compose import ColumnTransformer
    >>> from scratchml.preprocessing import StandardScaler
    >>> ct = ColumnTransformer([("z", StandardScaler(), [0])], remainder="passthrough")
    >>> ct.fit_transform([[0.0, 5.0], [2.0, 7.0]])
    array([[-1.,  5.],
           [ 1.,  7.]])
    """

    _items_attr = _items_param = "transformers"
    _persist_private = ("_transformer_to_input_indices", "_output_bounds")

    def __init__(self, transformers, *, remainder="drop", sparse_threshold: float = 0.3,
                 n_jobs=None, transformer_weights=None, verbose: bool = False,
                 verbose_feature_names_out=True):
        self.transformers = transformers
        self.remainder = remainder
        self.sparse_threshold = sparse_threshold
        self.n_jobs = n_jobs
        self.transformer_weights = transformer_weights
        self.verbose = verbose
        self.verbose_feature_names_out = verbose_feature_names_out

    def _validate(self) -> None:
        if not isinstance(self.transformers, (list, tuple)) or not all(
                isinstance(t, tuple) and len(t) == 3 for t in self.transformers):
            raise ValueError("transformers must be a list of (name, transformer, columns) "
                             f"tuples, got {self.transformers!r}.")
        self._validate_names([name for name, _, _ in self.transformers])
        for name, t, _ in self.transformers:
            if isinstance(t, str) and t in _NO_FIT:
                continue
            if not (hasattr(t, "fit") or hasattr(t, "fit_transform")) or not hasattr(
                    t, "transform"):
                raise TypeError(f"All estimators should implement fit and transform, or can "
                                f"be 'drop' or 'passthrough' specifiers. {name!r} ({t!r}) "
                                "doesn't.")
        t = self.sparse_threshold
        if isinstance(t, bool) or not isinstance(t, (int, float, np.number)) or not 0 <= t <= 1:
            raise ValueError(f"sparse_threshold={t!r} must be a float in [0, 1].")
        r = self.remainder
        if not (isinstance(r, str) and r in _NO_FIT) and not (
                hasattr(r, "fit") and hasattr(r, "transform")):
            raise ValueError(f"remainder={r!r} is invalid: use 'drop', 'passthrough', or a "
                             "transformer with fit and transform.")

    def _remainder_columns(self, remaining: list[int]):
        """The remaining columns spelled like the user's specifiers (names, mask or positions)."""
        kinds = set()
        for _, _, cols in self.transformers:
            if callable(cols):  # scikit-learn falls back to positions as soon as one is
                return remaining
            whole = isinstance(cols, slice) and cols.start is None and cols.stop is None
            kind = None if whole else _key_kind(cols)
            kinds.add(None if kind == "empty" else kind)
        if kinds == {"str"} and hasattr(self, "feature_names_in_"):
            return [str(self.feature_names_in_[i]) for i in remaining]
        if kinds == {"bool"}:
            return [i in set(remaining) for i in range(self.n_features_in_)]
        return remaining

    def fit(self, X, y=None):
        """Fit every transformer on its columns."""
        self.fit_transform(X, y)
        return self

    def fit_transform(self, X, y=None):
        """Fit every transformer on its columns; return the concatenated outputs."""
        self._validate()
        X = _check_X(X)
        if X.ndim != 2:
            raise ValueError(f"Expected a 2D array-like for X, got shape {X.shape}. Reshape "
                             "a single feature with X.reshape(-1, 1).")
        self._set_features_in(int(X.shape[1]), get_feature_names(X))
        items, indices = [], {}
        for name, trans, cols in self.transformers:
            cols = cols(X) if callable(cols) else cols
            indices[name] = _get_column_indices(X, cols)
            items.append((name, trans, cols))
        used = {i for idx in indices.values() for i in idx}
        remaining = [i for i in range(self.n_features_in_) if i not in used]
        indices["remainder"] = remaining
        if remaining:
            items.append(("remainder", self.remainder, self._remainder_columns(remaining)))
        self._transformer_to_input_indices = indices
        weights = self.transformer_weights or {}
        active = [(name, trans, cols) for name, trans, cols in items
                  if not (isinstance(trans, str) and trans == "drop") and indices[name]]
        tasks = []
        for i, (name, trans, cols) in enumerate(active, start=1):
            message = f"({i} of {len(active)}) Processing {name}" if self.verbose else None
            est = trans if isinstance(trans, str) else clone(trans)
            tasks.append((name, est, _select(X, indices[name], _is_scalar_key(cols)), y,
                          weights.get(name), message))
        results = self._run(_fit_transform_one, tasks)
        fitted = {name: est for (name, *_), (_, est) in zip(active, results)}
        # Dropped and empty selections keep the unfitted original (as in scikit-learn).
        self.transformers_ = [(name, fitted.get(name, trans), cols) for name, trans, cols in items]
        blocks = [Xt for Xt, _ in results]
        self.sparse_output_ = bool(any(_is_sparse(B) for B in blocks)
                                   and _stacked_density(blocks) < self.sparse_threshold)
        bounds, start = {}, 0
        for (name, *_), (Xt, _) in zip(active, results):
            bounds[name] = [start, start + Xt.shape[1]]
            start += Xt.shape[1]
        self._output_bounds = bounds
        return _hstack_blocks(blocks, X.shape[0], self.sparse_output_)

    def _run(self, func, tasks):
        from ..model_selection._parallel import run_tasks

        return run_tasks(func, tasks, self.n_jobs)

    def transform(self, X):
        """Transform each column subset with its fitted transformer and concatenate."""
        check_is_fitted(self, method="transform")
        X = _check_X(X)
        by_name = hasattr(self, "feature_names_in_") and _is_frame(X)
        if by_name:
            # Select by label: extra columns and a different order are fine.
            positions = {c: i for i, c in enumerate(X.columns)}
            needed = {str(self.feature_names_in_[i]) for name, t, _ in self.transformers_
                      if not (isinstance(t, str) and t == "drop")
                      for i in self._transformer_to_input_indices[name]}
            missing = sorted(needed - set(positions))
            if missing:
                raise ValueError(f"columns are missing: {missing}. Pass a DataFrame with the "
                                 "columns seen in fit.")
        else:
            self._check_features(int(X.shape[1]) if X.ndim == 2 else 1, None)
        weights = self.transformer_weights or {}
        tasks = []
        for name, trans, cols in self.transformers_:
            idx = self._transformer_to_input_indices[name]
            if (isinstance(trans, str) and trans == "drop") or not idx:
                continue
            if by_name:
                idx = [positions[str(self.feature_names_in_[i])] for i in idx]
            scalar = _is_scalar_key(cols) and name != "remainder"
            tasks.append((name, trans, _select(X, idx, scalar), weights.get(name)))
        return _hstack_blocks(self._run(_transform_one, tasks), X.shape[0],
                              self.sparse_output_)

    @property
    def named_transformers_(self) -> Bunch:
        """The fitted transformers by name."""
        check_is_fitted(self, method="named_transformers_")
        return Bunch(**{name: trans for name, trans, _ in self.transformers_})

    @property
    def output_indices_(self) -> dict:
        """Output column slice of each transformer (empty slices for those with no output)."""
        check_is_fitted(self, method="output_indices_")
        out = {name: slice(a, b) for name, (a, b) in self._output_bounds.items()}
        for name in [t[0] for t in self.transformers] + ["remainder"]:
            out.setdefault(name, slice(0, 0))
        return out

    def __getitem__(self, key: str):
        return self.named_transformers_[key]

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Output names, ``transformer__feature`` by default (see verbose_feature_names_out)."""
        check_is_fitted(self, method="get_feature_names_out")
        names_in = _default_feature_names(self, input_features)
        parts = []
        for name, trans, _ in self.transformers_:
            idx = self._transformer_to_input_indices[name]
            if (isinstance(trans, str) and trans == "drop") or not idx:
                continue
            if isinstance(trans, str):
                out = names_in[idx]
            elif hasattr(trans, "get_feature_names_out"):
                out = trans.get_feature_names_out(names_in[idx])
            else:
                raise AttributeError(f"Transformer {name} (type {type(trans).__name__}) does "
                                     "not provide get_feature_names_out.")
            parts.append((name, np.asarray(out, dtype=object)))
        fmt = self.verbose_feature_names_out
        if isinstance(fmt, str):
            return np.asarray([fmt.format(transformer_name=name, feature_name=f)
                               for name, out in parts for f in out], dtype=object)
        from ._feature_union import _join_feature_names

        return _join_feature_names(parts, bool(fmt))


def make_column_transformer(*transformers, remainder="drop", sparse_threshold: float = 0.3,
                            n_jobs=None, verbose: bool = False,
                            verbose_feature_names_out=True) -> ColumnTransformer:
    """A :class:`ColumnTransformer` from ``(transformer, columns)`` pairs, named by class.

    Examples
    --------
    >>> from scratchml.compose import make_column_transformer
    >>> from scratchml.preprocessing import StandardScaler
    >>> ct = make_column_transformer((StandardScaler(), [0]), ("passthrough", [1]))
    >>> [name for name, _, _ in ct.transformers]
    ['standardscaler', 'passthrough']
    """
    named = _name_estimators([trans for trans, _ in transformers])
    return ColumnTransformer(
        [(name, trans, cols) for (name, trans), (_, cols) in zip(named, transformers)],
        remainder=remainder, sparse_threshold=sparse_threshold, n_jobs=n_jobs, verbose=verbose,
        verbose_feature_names_out=verbose_feature_names_out)
