"""Products of ``CSRMatrix`` with dense operands, the lazy transpose, and comparison.

``X @ B`` and ``X.T @ B`` run the ``csr_matmul_dense`` / ``csr_t_matmul_dense``
kernels (``_kernels.py``); ``B @ X`` is computed as ``(X.T @ B.T).T``.
"""

from __future__ import annotations

import numpy as np

from ._csr_ops import _FLOATS, _check_axis, _kernel, from_coo, row_ids

# -- products -----------------------------------------------------------------------


def _dense_operand(other, n: int, what: str):
    """``other`` as a 1-D or 2-D array with ``n`` rows (the kernels take both)."""
    from ._csr import issparse

    if issparse(other):
        raise TypeError(
            f"{what}: sparse @ sparse is not supported; convert one side with .toarray()."
        )
    B = np.asarray(other)
    if B.ndim not in (1, 2):
        raise ValueError(f"{what}: expected a 1-D or 2-D dense operand, got shape {B.shape}.")
    if B.shape[0] != n:
        raise ValueError(
            f"{what}: dimension mismatch, the sparse side needs {n} rows in the dense "
            f"operand but it has shape {B.shape}."
        )
    if B.dtype == object or B.dtype.kind not in "biufc":
        raise ValueError(f"{what}: the dense operand must be numeric, got dtype {B.dtype}.")
    return B


def _product(name, X, B, *extra):
    """Run a product kernel in the common dtype; compiled kernels take float32/float64 only."""
    dtype = np.result_type(X.dtype, B.dtype)
    data = X.data if X.data.dtype == dtype else X.data.astype(dtype)
    if B.dtype != dtype or not B.flags.c_contiguous:
        B = np.ascontiguousarray(B, dtype=dtype)
    if dtype in _FLOATS:
        return _kernel(name)(data, X.indices, X.indptr, B, *extra)
    from . import _kernels

    return getattr(_kernels, f"_{name}_numpy")(data, X.indices, X.indptr, B, *extra)


def matmul(X, other):
    """``X @ other`` for a dense vector or matrix; the result is dense."""
    return _product("csr_matmul_dense", X, _dense_operand(other, X.shape[1], "X @ B"))


def t_matmul(X, other):
    """``X.T @ other`` without forming ``X.T``."""
    B = _dense_operand(other, X.shape[0], "X.T @ B")
    return _product("csr_t_matmul_dense", X, B, X.shape[1])


def rmatmul(X, other):
    """``other @ X`` = ``(X.T @ other.T).T`` for a dense vector or matrix."""
    A = np.asarray(other)
    if A.ndim == 1:
        return t_matmul(X, A)
    if A.ndim != 2:
        raise ValueError(f"B @ X: expected a 1-D or 2-D dense operand, got shape {A.shape}.")
    return t_matmul(X, A.T).T


def multiply(X, other):
    """Elementwise product with a scalar or a dense array broadcast to ``X.shape``."""
    from ._csr import issparse

    if issparse(other):
        raise TypeError("multiply: sparse * sparse is not supported; use other.toarray().")
    b = np.asarray(other)
    n, p = X.shape
    if b.ndim == 0:
        factor = b
    else:
        b = b.reshape(1, -1) if b.ndim == 1 else b
        if b.ndim != 2 or b.shape[0] not in (1, n) or b.shape[1] not in (1, p):
            raise ValueError(
                f"multiply: shape {np.shape(other)} does not broadcast to {X.shape}; give "
                f"a scalar, a row ({p},) or (1, {p}), a column ({n}, 1) or a full ({n}, {p})."
            )
        rows = row_ids(X) if b.shape[0] == n else 0
        cols = X.indices if b.shape[1] == p else 0
        factor = b[rows, cols]  # the factor at each stored entry's position
    data = X.data * factor
    return type(X)._from_valid(data, X.indices, X.indptr, X.shape)


class TransposedCSR:
    """The transpose of a :class:`CSRMatrix`, as a view: nothing is copied.

    ``X.T @ B`` runs the ``csr_t_matmul_dense`` kernel on ``X``'s arrays
    (``O(nnz * k)``); ``B @ X.T`` is ``(X @ B.T).T``. ``tocsr()`` builds the
    transpose as a new ``CSRMatrix`` (the CSC form of ``X``) when one is needed.

    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.sparse import CSRMatrix
    >>> X = CSRMatrix(np.array([[1.0, 0.0], [2.0, 3.0]]))
    >>> X.T @ np.ones(2)
    array([3., 3.])
    """

    __array_ufunc__ = None  # ``dense @ X.T`` calls __rmatmul__
    ndim = 2
    format = "csr_transposed"

    def __init__(self, X):
        self.X = X

    @property
    def shape(self) -> tuple[int, int]:
        return self.X.shape[1], self.X.shape[0]

    @property
    def dtype(self):
        return self.X.dtype

    @property
    def nnz(self) -> int:
        return self.X.nnz

    @property
    def T(self):
        return self.X

    def __repr__(self) -> str:
        return f"<transposed view of {self.X!r}>"

    def __matmul__(self, other):
        return t_matmul(self.X, other)

    dot = __matmul__

    def __rmatmul__(self, other):
        A = np.asarray(other)
        if A.ndim == 1:
            return matmul(self.X, A)
        return matmul(self.X, A.T).T

    def toarray(self) -> np.ndarray:
        return self.X.toarray().T

    def tocsr(self):
        """``X.T`` as a new CSRMatrix with sorted indices (a counting sort, ``O(nnz)``)."""
        X = self.X
        return from_coo(type(X), X.indices, row_ids(X), X.data, self.shape, None)

    def sum(self, axis=None):
        return self.X.sum(axis if axis is None else 1 - _check_axis(axis))


# -- comparison ---------------------------------------------------------------------


def allclose(X, other, rtol, atol) -> bool:
    from ._csr import issparse

    if tuple(np.shape(other) if not issparse(other) else other.shape) != X.shape:
        return False
    if not issparse(other):
        return bool(np.allclose(X.toarray(), np.asarray(other), rtol=rtol, atol=atol))
    Y = other if type(other) is type(X) else type(X)(other)
    # Put both on the union of their stored positions, then compare entry by entry.
    rows = np.concatenate((row_ids(X), row_ids(Y)))
    cols = np.concatenate((X.indices, Y.indices))
    dtype = np.result_type(X.dtype, Y.dtype)
    zx, zy = np.zeros(X.nnz, dtype), np.zeros(Y.nnz, dtype)
    xu = from_coo(type(X), rows, cols, np.concatenate((X.data, zy)), X.shape, dtype)
    yu = from_coo(type(X), rows, cols, np.concatenate((zx, Y.data)), X.shape, dtype)
    return bool(np.allclose(xu.data, yu.data, rtol=rtol, atol=atol))
