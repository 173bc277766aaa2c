"""DriftMonitor: per-feature data drift against a reference table, in batches or a stream."""

from __future__ import annotations

import warnings

import numpy as np

from ..utils._params import store_params
from ..utils.validation import check_random_state
from ._columns import CategoryEncoder, as_float, infer_kind, table_columns
from ._distances import hellinger_value, js_value, psi_value, reference_quantile_edges
from ._monitor_stream import StreamingMixin, check_params
from ._multivariate import classifier_test, mmd_test, pca_drift
from ._report import DriftReport
from ._result import DriftResult
from ._univariate import chi2_from_counts, cvm_test, ks_test, proportion_ztest, wasserstein_distance

_DISTANCE_DEFAULTS = {"wasserstein": 0.1, "psi": 0.25, "js": 0.1, "hellinger": 0.1}
_FEW_VALUES = 5  # a numeric column with this few distinct values is tested as categories


class DriftMonitor(StreamingMixin):
    """Watch a model's inputs for data drift, feature by feature and jointly.

    ``fit(reference)`` stores what each column of a reference table looks like;
    ``check(current)`` compares a batch with it and returns a :class:`DriftReport`.
    The test of each column depends on its kind and on the effective sample size
    n_eff = n_ref n_cur / (n_ref + n_cur), as evidently chooses:

    ============  ==================================  ==============================
    column        n_eff ≤ ``large_sample_threshold``   larger
    ============  ==================================  ==============================
    numeric       Kolmogorov–Smirnov (p < alpha)      Wasserstein / std ≥ 0.1
    categorical   χ² (two-proportion z if binary)     Jensen–Shannon distance ≥ 0.1
    ============  ==================================  ==============================

    With large samples a p-value test flags even harmless shifts, so above the size
    threshold an effect size with a fixed threshold decides. (KS p-values are exact
    unless the two sizes differ and n_ref n_cur > 10⁶, where the asymptotic one is
    used.) A numeric column with at most 5 distinct reference values is tested as
    categories. A category never seen in
    the reference, or a column that is all missing in the batch, is reported as drift
    (with a note), never an error. The multivariate test (MMD by default) runs on the
    numeric columns standardized by the reference, at most ``max_samples`` rows each.

    Parameters
    ----------
    categorical_features : 'auto' or list, default='auto'
        Names (frames) or indices (arrays) of categorical columns; 'auto': columns of
        strings, booleans or other non-numbers.
    alpha : float, default=0.05
        Significance level of the p-value tests.
    large_sample_threshold : int, default=1000
    numeric_test, categorical_test : str, default='auto'
        Force one test: numeric one of 'ks', 'cvm', 'wasserstein', 'psi', 'js',
        'hellinger'; categorical one of 'chi2', 'proportion_z', 'psi', 'js', 'hellinger'.
    distance_threshold : float or None, default=None
        Threshold of the distance tests; None: 0.1 (wasserstein, js, hellinger), 0.25 (psi).
    drift_share : float, default=0.5
        Share of drifted columns from which the whole dataset is said to drift.
    multivariate : {'mmd', 'classifier', 'pca', None}, default='mmd'
    max_samples : int, default=500
        Rows per sample in the multivariate test.
    n_permutations : int, default=100
    window_size : int or None, default=None
        Rows kept by :meth:`update` (a sliding window over the stream).
    random_state : None, int or numpy Generator, default=None

    Attributes
    ----------
    feature_names_in_ : list
        Column names (indices for arrays).
    kinds_ : dict
        Column -> 'numeric' or 'categorical'.
    n_reference_ : int
    last_report_ : DriftReport or None
        The report of the latest ``check`` / ``update``.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> ref = rng.normal(size=(500, 3))
    >>> mon = DriftMonitor(random_state=0).fit(ref)
    >>> cur = ref + np.array([0.0, 0.0, 1.0])
    >>> mon.check(cur).drifted_features
    [2]
    """

    def __init__(self, *, categorical_features="auto", alpha: float = 0.05,
                 large_sample_threshold: int = 1000, numeric_test: str = "auto",
                 categorical_test: str = "auto", distance_threshold: float | None = None,
                 drift_share: float = 0.5, multivariate: str | None = "mmd",
                 max_samples: int = 500, n_permutations: int = 100,
                 window_size: int | None = None, random_state=None):
        store_params(self, locals())

    # -- fitting ---------------------------------------------------------------------

    def fit(self, reference) -> DriftMonitor:
        """Learn the reference distribution of every column.

        Parameters
        ----------
        reference : DataFrame, dict of 1-D arrays, or array-like (n_rows, n_columns)
            At least 2 rows; no column may be entirely missing.

        Returns
        -------
        self
        """
        check_params(self)
        names, cols = table_columns(reference, "reference", "DriftMonitor.fit")
        n = cols[0].shape[0] if cols else 0
        if not names or n < 2:
            raise ValueError(f"DriftMonitor.fit: the reference needs at least 2 rows and 1 "
                             f"column, got {n} rows and {len(names)} columns.")
        declared = self.categorical_features
        if declared != "auto":
            unknown = [c for c in declared if c not in names]
            if unknown:
                raise ValueError(f"DriftMonitor.fit: categorical_features names columns not in "
                                 f"the reference: {unknown}; its columns are {names}.")
        self.feature_names_in_ = names
        self.kinds_, self._state = {}, {}
        for name, col in zip(names, cols):
            kind = ("categorical" if name in declared else "numeric") if declared != "auto" \
                else infer_kind(col)
            values = as_float(col) if kind == "numeric" else None
            if kind == "numeric" and values is None:
                raise ValueError(f"DriftMonitor.fit: column {name!r} was declared numeric but "
                                 "holds non-numbers; list it in categorical_features.")
            self.kinds_[name] = kind
            self._state[name] = self._fit_column(name, kind, col, values)
        self.n_reference_ = n
        self._mv_reference = self._numeric_matrix(dict(zip(names, cols)), fit=True)
        self._window = None
        self.last_report_ = None
        self._last_current = None
        return self

    def _fit_column(self, name, kind: str, col: np.ndarray, values) -> dict:
        if kind == "numeric":
            present = np.sort(values[~np.isnan(values)])
            if present.size == 0:
                raise ValueError(f"DriftMonitor.fit: column {name!r} is all NaN in the "
                                 "reference; drop it, or impute it before monitoring.")
            few = np.unique(present).size <= _FEW_VALUES
            state = {"sorted": present, "few_values": few,
                     "std": float(np.std(present)), "edges": reference_quantile_edges(present, 10)}
            if few:
                state["encoder"] = CategoryEncoder(present)
                codes, _ = state["encoder"].encode(present)
                state["counts"] = np.bincount(codes, minlength=len(state["encoder"].categories))
            return state
        encoder = CategoryEncoder(col)
        if not encoder.categories:
            raise ValueError(f"DriftMonitor.fit: column {name!r} is all missing in the "
                             "reference; drop it, or impute it before monitoring.")
        codes, _ = encoder.encode(col)
        counts = np.bincount(codes[codes >= 0], minlength=len(encoder.categories))
        return {"encoder": encoder, "counts": counts.astype(np.float64)}

    # -- checking --------------------------------------------------------------------

    def _columns_of(self, current, where: str) -> dict:
        if not hasattr(self, "feature_names_in_"):
            from ..exceptions import NotFittedError

            raise NotFittedError(f"This DriftMonitor is not fitted yet; call fit(reference) "
                                 f"before {where.split('.')[-1]}.")
        names, cols = table_columns(current, "current", where)
        ref = self.feature_names_in_
        if names != ref:
            missing = [c for c in ref if c not in names]
            added = [c for c in names if c not in ref]
            if missing or added:
                raise ValueError(f"{where}: the current batch's columns differ from the "
                                 f"reference's: missing {missing}, added {added}. Pass the "
                                 f"reference's columns ({len(ref)}).")
            cols = [cols[names.index(c)] for c in ref]  # same columns, other order
        if not cols or cols[0].shape[0] == 0:
            raise ValueError(f"{where}: the current batch is empty; it needs at least 1 row.")
        return dict(zip(ref, cols))

    def check(self, current) -> DriftReport:
        """Compare a batch with the reference.

        Parameters
        ----------
        current : DataFrame, dict of 1-D arrays, or array-like (n_rows, n_columns)
            The reference's columns (frames may reorder them).

        Returns
        -------
        DriftReport
        """
        cols = self._columns_of(current, "DriftMonitor.check")
        n_cur = next(iter(cols.values())).shape[0]
        rows = [self._check_column(name, col) for name, col in cols.items()]
        mv = self._multivariate_test(cols)
        report = DriftReport(rows, mv, n_reference=self.n_reference_, n_current=n_cur,
                             drift_share=float(self.drift_share))
        self.last_report_, self._last_current = report, cols
        return report

    def _pick(self, kind_tests: str, n_ref: int, n_cur: int, binary: bool) -> str:
        forced = self.numeric_test if kind_tests == "numeric" else self.categorical_test
        if forced != "auto":
            return forced
        small = n_ref * n_cur / (n_ref + n_cur) <= self.large_sample_threshold
        if kind_tests == "numeric":
            return "ks" if small else "wasserstein"
        if small:
            return "proportion_z" if binary else "chi2"
        return "js"

    def _row(self, name, kind, test, result: DriftResult | None, note: str = "",
             **override) -> dict:
        row = {"feature": name, "kind": kind, "test": test, "statistic": None, "p_value": None,
               "effect_size": None, "threshold": None, "drifted": True, "note": note}
        if result is not None:
            row.update(statistic=result.statistic, p_value=result.p_value,
                       effect_size=result.effect_size, threshold=result.threshold,
                       drifted=result.drifted)
        row.update(override)
        return row

    def _check_column(self, name, col: np.ndarray) -> dict:
        kind, state = self.kinds_[name], self._state[name]
        where = "DriftMonitor.check"
        if kind == "numeric":
            values = as_float(col)
            if values is None:
                raise ValueError(f"{where}: column {name!r} is numeric in the reference but "
                                 "holds non-numbers in the current batch.")
            values = values[~np.isnan(values)]
            if values.size == 0:
                warnings.warn(f"{where}: column {name!r} is all NaN in the current batch; "
                              "reported as drifted.", stacklevel=3)
                return self._row(name, kind, "missing", None, "all values missing")
            if not state["few_values"]:
                return self._numeric_row(name, state, values)
            codes, unseen = state["encoder"].encode(values)
        else:
            codes, unseen = state["encoder"].encode(col)
            if np.all(codes == -2):
                warnings.warn(f"{where}: column {name!r} is all missing in the current batch; "
                              "reported as drifted.", stacklevel=3)
                return self._row(name, kind, "missing", None, "all values missing")
        return self._categorical_row(name, kind, state, codes, unseen)

    def _numeric_row(self, name, state, values) -> dict:
        ref = state["sorted"]
        test = self._pick("numeric", ref.size, values.size, False)
        thr = self.distance_threshold or _DISTANCE_DEFAULTS.get(test)
        if test == "ks":
            # The exact p-value of unequal samples costs one NumPy step per anti-diagonal of
            # the lattice (~0.1 s at 2,000 x 1,999): beyond 10^6 pairs the asymptotic one
            # (accurate to ~1e-3 there) keeps a check of many columns fast.
            exact = ref.size == values.size or ref.size * values.size <= 1_000_000
            res = ks_test(ref, values, alpha=self.alpha, method="auto" if exact else "asymp")
        elif test == "cvm":
            res = cvm_test(ref, values, alpha=self.alpha) if min(ref.size, values.size) > 1 \
                else ks_test(ref, values, alpha=self.alpha)
        elif test == "wasserstein":
            res = wasserstein_distance(ref, values, threshold=thr)
        else:
            inner = state["edges"]
            k = inner.size + 1
            p = np.bincount(np.searchsorted(inner, ref, "right"), minlength=k) / ref.size
            q = np.bincount(np.searchsorted(inner, values, "right"), minlength=k) / values.size
            res = self._distance(test, p, q, thr)
        return self._row(name, "numeric", res.test, res)

    @staticmethod
    def _distance(test, p, q, thr) -> DriftResult:
        value = {"psi": lambda: psi_value(p, q, 1e-4), "js": lambda: js_value(p, q),
                 "hellinger": lambda: hellinger_value(p, q)}[test]()
        return DriftResult(test, value, None, value, bool(value >= thr), float(thr))

    def _categorical_row(self, name, kind, state, codes, unseen) -> dict:
        ref_counts = state["counts"].astype(np.float64)
        k = ref_counts.size
        new = codes == -1
        present = codes[codes != -2]
        n_cur = present.size
        if n_cur == 0:
            return self._row(name, kind, "missing", None, "all values missing")
        cur_counts = np.bincount(codes[codes >= 0], minlength=k).astype(np.float64)
        test = self._pick("categorical", int(ref_counts.sum()), n_cur, k <= 2 and not unseen)
        thr = self.distance_threshold or _DISTANCE_DEFAULTS.get(test)
        note = f"categories never seen in the reference: {unseen[:5]}" if unseen else ""
        if test == "chi2":
            all_ref = np.append(ref_counts, 0.0) if unseen else ref_counts
            all_cur = np.append(cur_counts, float(new.sum())) if unseen else cur_counts
            res = chi2_from_counts(all_ref, all_cur, self.alpha, unseen)
        elif test == "proportion_z":
            cats = state["encoder"].categories
            ref_lab = np.repeat(np.arange(k), ref_counts.astype(np.int64))
            res = proportion_ztest(ref_lab, codes[codes >= 0], alpha=self.alpha,
                                   positive=k - 1 if k == 2 else 0)
            note = note or f"share of {cats[-1]!r}"
        else:
            p = np.append(ref_counts, 0.0) / ref_counts.sum()
            q = np.append(cur_counts, float(new.sum())) / n_cur
            res = self._distance(test, p, q, thr)
        drifted = res.drifted or bool(unseen)  # new categories are drift whatever the test says
        return self._row(name, kind, res.test, res, note, drifted=drifted)

    # -- multivariate ------------------------------------------------------------------

    def _numeric_matrix(self, cols: dict, fit: bool = False):
        """Numeric columns standardized by the reference (missing -> the reference mean).

        At most ``max_samples`` rows (seeded), chosen before the matrix is built.
        """
        names = [c for c in self.feature_names_in_ if self.kinds_[c] == "numeric"]
        if self.multivariate is None or not names:
            return None
        if fit:  # the scale comes from every reference row
            self._mv_mean = np.array([self._state[c]["sorted"].mean() for c in names])
            sd = np.array([self._state[c]["std"] for c in names])
            self._mv_scale = np.where(sd > 0, sd, 1.0)
        n = cols[names[0]].shape[0]
        rows = slice(None)
        if n > self.max_samples:
            rows = np.sort(check_random_state(self.random_state).choice(
                n, self.max_samples, replace=False))
        X = np.column_stack([as_float(cols[c][rows]) for c in names])
        Z = (X - self._mv_mean) / self._mv_scale
        Z[np.isnan(Z)] = 0.0
        return Z

    def _multivariate_test(self, cols: dict) -> DriftResult | None:
        if self._mv_reference is None:
            return None
        Z = self._numeric_matrix(cols)
        if Z.shape[0] < 2:
            return None
        seed = check_random_state(self.random_state)
        if self.multivariate == "mmd":
            return mmd_test(self._mv_reference, Z, alpha=self.alpha, random_state=seed,
                            n_permutations=self.n_permutations, max_samples=self.max_samples)
        if min(Z.shape[0], self._mv_reference.shape[0]) < 4:
            return None
        Z = Z if Z.shape[0] <= self.max_samples else \
            Z[seed.choice(Z.shape[0], self.max_samples, replace=False)]
        if self.multivariate == "classifier":
            return classifier_test(self._mv_reference, Z, alpha=self.alpha, random_state=seed,
                                   n_permutations=self.n_permutations)
        return pca_drift(self._mv_reference, Z, alpha=self.alpha, random_state=seed)
