"""Monitoring: DriftMonitor.check against SciPy's per-feature tests, and single tests.

``drift_monitor_check``: a reference and a current table of 100,000 rows (quick:
20,000) x 20 columns — 14 numeric (3 of them shifted by 0.3 sd in the current table)
and 6 categorical (object arrays of strings, 2 to 5 categories). scratchml: a
``DriftMonitor`` fitted on the reference (fitting is not timed) checks the current
table — per-feature tests chosen by size (Wasserstein / Jensen–Shannon at this size)
plus the MMD multivariate test. SciPy: what a user would write per feature —
``ks_2samp`` on each numeric column and ``chi2_contingency`` on the category counts
(``np.unique`` to count) of each categorical one.

``ks_test[n=...]`` and ``cvm_test[n=...]``: one two-sample test of two normal samples
against ``scipy.stats.ks_2samp`` / ``cramervonmises_2samp`` (500 rows: exact p-value;
100,000: asymptotic; 2000x1999: KS's exact p-value for unequal sizes).

Score: the number of drifted features (p < 0.05 on the SciPy side), or the p-value;
compare: the absolute difference.
"""

from __future__ import annotations

import functools

import numpy as np

from benchmarks.harness import Case, Side, register

N_FULL, N_QUICK = 100_000, 20_000
N_NUMERIC, N_CATEGORICAL = 14, 6


def _table(n: int, shift: float, rng) -> dict:
    cols = {}
    for j in range(N_NUMERIC):
        cols[f"num{j}"] = rng.normal(shift if j < 3 else 0.0, 1.0, n)
    letters = np.array(list("abcde"), dtype=object)
    for j in range(N_CATEGORICAL):
        k = 2 + j % 4
        cols[f"cat{j}"] = letters[rng.integers(0, k, n)]
    return cols


@functools.lru_cache(maxsize=1)
def make_tables(n: int, seed: int = 0) -> dict:
    from scratchml.monitoring import DriftMonitor

    rng = np.random.default_rng(seed)
    reference, current = _table(n, 0.0, rng), _table(n, 0.3, rng)
    monitor = DriftMonitor(random_state=0).fit(reference)
    return {"reference": reference, "current": current, "monitor": monitor}


def _ours_check(data):
    return data["monitor"].check(data["current"])


def _scipy_per_feature(data):
    from scipy import stats

    out = {}
    for name, ref in data["reference"].items():
        cur = data["current"][name]
        if ref.dtype.kind == "f":
            out[name] = stats.ks_2samp(ref, cur).pvalue
        else:
            cats, inv = np.unique(np.concatenate([ref, cur]), return_inverse=True)
            table = np.vstack([np.bincount(inv[:ref.size], minlength=cats.size),
                               np.bincount(inv[ref.size:], minlength=cats.size)])
            out[name] = stats.chi2_contingency(table, correction=False).pvalue
    return out


def _n_drifted(output, data) -> float:
    if isinstance(output, dict):
        return float(sum(p < 0.05 for p in output.values()))
    return float(len(output.drifted_features))


def _compare_drifted(ours, ref, data) -> dict:
    return {"|n drifted diff|": abs(_n_drifted(ours, data) - _n_drifted(ref, data))}


register(Case(
    name="drift_monitor_check",
    family="monitoring",
    description=f"DriftMonitor.check, {N_FULL:,} x 20 mixed table, vs SciPy per-feature tests",
    data=make_tables,
    params=dict(n=N_FULL, seed=0),
    quick_params=dict(n=N_QUICK, seed=0),
    ours=Side("scratchml", call=_ours_check),
    ref=Side("scipy", call=_scipy_per_feature, requires=("scipy",)),
    score=_n_drifted,
    score_name="drifted features",
    compare=_compare_drifted,
    repeats=5,
    quick_repeats=3,
))


@functools.lru_cache(maxsize=1)
def make_samples(n: int, m: int | None = None, seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    return {"a": rng.normal(size=n), "b": rng.normal(0.02, size=n if m is None else m)}


def _p(output, data) -> float:
    return float(output.p_value if hasattr(output, "p_value") else output.pvalue)


def _compare_p(ours, ref, data) -> dict:
    return {"|p diff|": abs(_p(ours, data) - _p(ref, data))}


def _test_case(name, ours_fn, ref_fn, n, m=None):
    def ours(data):
        import scratchml.monitoring as m

        return getattr(m, ours_fn)(data["a"], data["b"])

    def ref(data):
        from scipy import stats

        return getattr(stats, ref_fn)(data["a"], data["b"])

    size = f"{n}" if m is None else f"{n}x{m}"
    register(Case(
        name=f"{name}[n={size}]", family="monitoring",
        description=f"{ours_fn} vs scipy.stats.{ref_fn}, two samples of {size}",
        data=make_samples, params=dict(n=n, m=m, seed=0), quick_params=dict(n=n, m=m, seed=0),
        ours=Side("scratchml", call=ours), ref=Side("scipy", call=ref, requires=("scipy",)),
        score=_p, score_name="p-value", compare=_compare_p,
    ))


for _n in (500, 100_000):  # data-set order: consecutive cases share the cache
    _test_case("ks_test", "ks_test", "ks_2samp", _n)
    _test_case("cvm_test", "cvm_test", "cramervonmises_2samp", _n)
# Unequal sizes: the exact p-value's lattice recursion, NumPy per anti-diagonal against
# SciPy's compiled (Pythran) loop.
_test_case("ks_test", "ks_test", "ks_2samp", 2000, 1999)
