"""Sparse: CSR matrix products against SciPy's ``csr_matrix``.

``csr_matmul[<backend>,<dtype>]``: ``X @ B`` for a CSRMatrix X of 100,000 x 50,000
with density 0.1% (about 5 million entries, standard normal values at uniformly
random positions) and a dense B of 50,000 x 16; the reference is the same
matrix as ``scipy.sparse.csr_matrix`` (same arrays) times the same B.
``csr_t_matmul[<backend>,<dtype>]``: ``X.T @ C`` with C of 100,000 x 16; SciPy's
``X.T`` is a CSC view, as scratchml's is a lazy transposed view.
``csr_matvec`` / ``csr_t_matvec`` / ``csr_t_matmul_k4`` ``[cython,<dtype>]``: the
same matrix times a single vector (``X @ v``, ``X.T @ u``) and ``X.T @ C`` with
k = 4 (MultinomialNB's counts, a solver's gradient): the small-k paths, where
fixed per-call costs show.

Score: the largest absolute difference from SciPy's product, relative to the
largest absolute value of SciPy's product (``compare``).
"""

from __future__ import annotations

import functools

import numpy as np

from benchmarks.harness import Case, Side, register

FULL = dict(n=100_000, p=50_000, density=0.001, k=16)
QUICK = dict(n=20_000, p=10_000, density=0.001, k=16)
BACKENDS = ("numpy", "cython")


@functools.lru_cache(maxsize=1)
def make_data(n: int, p: int, density: float, k: int, dtype: str, seed: int = 0) -> dict:
    import scipy.sparse

    from scratchml.sparse import CSRMatrix

    rng = np.random.default_rng(seed)
    m = int(n * p * density)
    X = CSRMatrix.from_coo(rng.integers(0, n, m), rng.integers(0, p, m),
                           rng.standard_normal(m).astype(dtype), shape=(n, p))
    S = scipy.sparse.csr_matrix((X.data, X.indices, X.indptr), shape=X.shape)
    B = rng.standard_normal((p, k)).astype(dtype)
    C = rng.standard_normal((n, k)).astype(dtype)
    # Contiguous vectors, as a solver would pass them.
    return {"X": X, "S": S, "B": B, "C": C, "v": B[:, 0].copy(), "u": C[:, 0].copy()}


def _ours(backend: str, transposed: bool, operand: str | None = None):
    operand = operand or ("C" if transposed else "B")

    def call(data):
        from scratchml import config_context

        with config_context(backend=backend):
            return data["X"].T @ data[operand] if transposed else data["X"] @ data[operand]

    return call


def _scipy(transposed: bool, operand: str | None = None):
    operand = operand or ("C" if transposed else "B")

    def call(data):
        return data["S"].T @ data[operand] if transposed else data["S"] @ data[operand]

    return call


def compare(ours, ref, data) -> dict:
    scale = float(np.max(np.abs(ref))) if ref.size else 1.0
    return {"max |diff| / max |scipy|": float(np.max(np.abs(ours - ref))) / scale}


def _unavailable(backend: str):
    def reason():
        from scratchml._backend import available_backends

        if available_backends().get(backend):
            return None
        return f"{backend} backend unavailable (Cython kernels not built)"

    return reason


for _dtype in ("float64", "float32"):
    for _transposed, _name, _what in ((False, "csr_matmul", "X @ B"),
                                      (True, "csr_t_matmul", "X.T @ C")):
        for _backend in BACKENDS:
            register(Case(
                name=f"{_name}[{_backend},{_dtype}]",
                family="sparse",
                description=f"CSRMatrix {_what}, X {FULL['n']:,} x {FULL['p']:,} at density "
                            f"0.1%, k={FULL['k']}, {_dtype}, scratchml backend={_backend}",
                data=make_data,
                params=dict(FULL, dtype=_dtype),
                quick_params=dict(QUICK, dtype=_dtype),
                ours=Side(f"scratchml[{_backend}]", call=_ours(_backend, _transposed)),
                ref=Side("scipy", call=_scipy(_transposed), requires=("scipy",)),
                compare=compare,
                skip_if=_unavailable(_backend),
            ))


for _dtype in ("float64", "float32"):
    for _transposed, _name, _what, _operand, _k in (
        (False, "csr_matvec", "X @ v", "v", 1),
        (True, "csr_t_matvec", "X.T @ u", "u", 1),
        (True, "csr_t_matmul_k4", "X.T @ C", "C", 4),
    ):
        register(Case(
            name=f"{_name}[cython,{_dtype}]",
            family="sparse",
            description=f"CSRMatrix {_what}, X {FULL['n']:,} x {FULL['p']:,} at density "
                        f"0.1%, k={_k}, {_dtype}, scratchml backend=cython",
            data=make_data,
            params=dict(FULL, k=_k, dtype=_dtype),
            quick_params=dict(QUICK, k=_k, dtype=_dtype),
            ours=Side("scratchml[cython]", call=_ours("cython", _transposed, _operand)),
            ref=Side("scipy", call=_scipy(_transposed, _operand), requires=("scipy",)),
            compare=compare,
            skip_if=_unavailable("cython"),
        ))
