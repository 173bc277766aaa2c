"""``CSRMatrix``: the compressed-sparse-row layout, its construction and validation.

Row ``i`` of an ``(n_rows, n_cols)`` matrix keeps its nonzeros in the slice
``indptr[i]:indptr[i + 1]`` of two parallel arrays: ``indices`` (column of each
stored value) and ``data`` (the value)::

    X[i, indices[j]] = data[j]     for indptr[i] <= j < indptr[i + 1]

so ``indptr`` has ``n_rows + 1`` nondecreasing entries, starts at 0 and ends at
``nnz``. Entries not stored are zero. This is SciPy's ``csr_matrix`` layout, so
arrays move between the two without conversion. Structure, indexing and
reductions live in ``_csr_ops.py``, products and the lazy transpose in
``_csr_products.py``; the hot loops are kernels in ``_kernels.py``.
"""

from __future__ import annotations

import numpy as np

from . import _csr_ops, _csr_products

_INT32_MAX = np.iinfo(np.int32).max


def issparse(x) -> bool:
    """Whether ``x`` is a sparse matrix: a :class:`CSRMatrix` or any SciPy sparse type.

    SciPy is recognised by duck typing (its sparse types carry a ``format`` string
    and ``tocsr`` / ``nnz``), so this never imports SciPy.

    Parameters
    ----------
    x : object

    Returns
    -------
    bool

    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.sparse import CSRMatrix, issparse
    >>> issparse(CSRMatrix(np.eye(2))), issparse(np.eye(2))
    (True, False)
    """
    if isinstance(x, CSRMatrix):
        return True
    return (
        isinstance(getattr(x, "format", None), str)
        and hasattr(x, "tocsr")
        and hasattr(x, "nnz")
        and type(x).__module__.startswith("scipy.sparse")
    )


def _index_dtype(*bounds: int):
    """int32 while every index and offset fits, else int64 (SciPy's rule)."""
    return np.int32 if max(bounds, default=0) <= _INT32_MAX else np.int64


class CSRMatrix:
    """A 2-D sparse matrix in compressed-sparse-row (CSR) form.

    Row ``i`` holds ``data[indptr[i]:indptr[i+1]]`` at columns
    ``indices[indptr[i]:indptr[i+1]]``; every other entry is zero. Products
    ``X @ B`` cost ``O(nnz * k)`` instead of ``O(n_rows * n_cols * k)``.

    Parameters
    ----------
    arg : tuple ``(data, indices, indptr)``, tuple ``(data, (row, col))``, tuple
        ``(n_rows, n_cols)``, array-like, CSRMatrix or SciPy sparse matrix
        The three CSR arrays (SciPy's signature, used without copying unless
        ``copy``); or COO triplets, whose duplicates are summed; or the shape of
        an all-zero matrix; or a dense 2-D array, whose nonzeros are stored; or
        another sparse matrix (converted).
    shape : tuple of int, optional
        ``(n_rows, n_cols)``. Required with ``(data, indices, indptr)`` unless it
        can be inferred (rows from ``indptr``, columns from the largest index).
    dtype : dtype, optional
        Dtype of ``data``; default: kept from the input.
    copy : bool, default=False
        Copy the given arrays even when they could be used as they are.

    Attributes
    ----------
    data : ndarray of shape (nnz,)
    indices : ndarray of int32 or int64, shape (nnz,)
    indptr : ndarray of int32 or int64, shape (n_rows + 1,)
    shape : tuple of int
    dtype : numpy.dtype
    nnz : int
        Number of stored entries (explicit zeros included).

    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.sparse import CSRMatrix
    >>> X = CSRMatrix((np.array([1.0, 2.0, 3.0]), np.array([0, 2, 1]), np.array([0, 2, 3])),
    ...               shape=(2, 3))
    >>> X.toarray()
    array([[1., 0., 2.],
           [0., 3., 0.]])
    >>> X @ np.ones(3)
    array([3., 3.])
    """

    format = "csr"
    # NumPy defers every binary operator to this class, so ``dense @ X`` calls
    # X.__rmatmul__ instead of treating X as an opaque object.
    __array_ufunc__ = None

    def __init__(self, arg, shape=None, dtype=None, copy: bool = False):
        if isinstance(arg, CSRMatrix):
            data, indices, indptr, shape = arg.data, arg.indices, arg.indptr, shape or arg.shape
        elif isinstance(arg, tuple) and len(arg) == 2 and all(
            isinstance(a, (int, np.integer)) for a in arg
        ):  # a shape: the all-zero matrix
            shape, n_rows = arg, max(int(arg[0]), 0)
            data, indices, indptr = np.zeros(0, dtype or np.float64), [], np.zeros(n_rows + 1, int)
        elif isinstance(arg, tuple) and len(arg) == 3:
            data, indices, indptr = arg
        elif isinstance(arg, tuple) and len(arg) == 2 and isinstance(arg[1], tuple):
            data, (row, col) = arg
            other = CSRMatrix.from_coo(row, col, data, shape=shape, dtype=dtype)
            data, indices, indptr, shape, copy = (
                other.data, other.indices, other.indptr, other.shape, False
            )
        elif hasattr(arg, "tocsr") and hasattr(arg, "nnz"):  # SciPy, by duck typing
            other = CSRMatrix.from_scipy(arg)
            data, indices, indptr, shape = other.data, other.indices, other.indptr, other.shape
        else:
            other = CSRMatrix.from_dense(arg, dtype=dtype)
            data, indices, indptr, shape, copy = (
                other.data, other.indices, other.indptr, other.shape, False
            )
        self._set_arrays(data, indices, indptr, shape, dtype, copy)

    # -- construction -------------------------------------------------------
    def _set_arrays(self, data, indices, indptr, shape, dtype, copy):
        data = np.array(data, dtype=dtype, copy=copy or None)
        indices = np.asarray(indices)
        indptr = np.asarray(indptr)
        for name, arr in (("data", data), ("indices", indices), ("indptr", indptr)):
            if arr.ndim != 1:
                raise ValueError(f"{name} must be 1-D, got an array of shape {arr.shape}.")
        if data.dtype == object or data.dtype.kind not in "biufc":
            raise ValueError(f"data must be numeric, got dtype {data.dtype}.")
        for name, arr in (("indices", indices), ("indptr", indptr)):
            if arr.size and arr.dtype.kind not in "iu":
                raise ValueError(f"{name} must hold integers, got dtype {arr.dtype}.")
        if indptr.size == 0:
            raise ValueError("indptr must have n_rows + 1 entries (at least 1), got 0.")
        if shape is None:
            n_cols = int(indices.max()) + 1 if indices.size else 0
            shape = (indptr.size - 1, n_cols)
        shape = _csr_ops.check_shape(shape)
        # Checked before any cast, so that no out-of-range index can wrap into range.
        _csr_ops.check_structure(data, indices, indptr, shape)
        # int32 or int64 arrays are used as given (SciPy's layout); anything
        # else is converted to the narrowest of the two that fits.
        idx_dtype = indices.dtype if indices.dtype == indptr.dtype else None
        if idx_dtype not in (np.dtype(np.int32), np.dtype(np.int64)):
            idx_dtype = _index_dtype(shape[1], int(indptr[-1]))
        indices = np.array(indices, dtype=idx_dtype, copy=copy or None)
        indptr = np.array(indptr, dtype=idx_dtype, copy=copy or None)
        self.data, self.indices, self.indptr = data, indices, indptr
        self._shape = shape

    @classmethod
    def _from_valid(cls, data, indices, indptr, shape) -> CSRMatrix:
        """Wrap arrays already known to be valid (internal: skips the O(nnz) checks)."""
        self = cls.__new__(cls)
        self.data, self.indices, self.indptr = data, indices, indptr
        self._shape = (int(shape[0]), int(shape[1]))
        return self

    @classmethod
    def from_dense(cls, X, dtype=None) -> CSRMatrix:
        """The CSR form of a dense 2-D array, storing its nonzeros (NaN counts as nonzero).

        Examples
        --------
        >>> import numpy as np
        >>> CSRMatrix.from_dense(np.array([[0, 5], [7, 0]])).nnz
        2
        """
        X = np.asarray(X, dtype=dtype)
        if X.ndim != 2:
            raise ValueError(
                f"A dense array given to CSRMatrix must be 2-D, got shape {X.shape}; "
                "reshape a single sample with X.reshape(1, -1)."
            )
        if X.dtype == object or X.dtype.kind not in "biufc":
            raise ValueError(f"CSRMatrix needs numeric values, got dtype {X.dtype}.")
        rows, cols = np.nonzero(X)  # row-major order: already sorted by row, then column
        idx_dtype = _index_dtype(X.shape[1], rows.size)
        indptr = np.zeros(X.shape[0] + 1, dtype=idx_dtype)
        np.cumsum(np.bincount(rows, minlength=X.shape[0]), out=indptr[1:])
        return cls._from_valid(X[rows, cols], cols.astype(idx_dtype), indptr, X.shape)

    @classmethod
    def from_coo(cls, rows, cols, values, shape=None, dtype=None) -> CSRMatrix:
        """Build from triplets ``X[rows[t], cols[t]] += values[t]``; duplicates are summed.

        The result has sorted indices and no duplicate entries (explicit zeros
        that were given are kept, as in SciPy). ``shape`` defaults to the
        largest indices plus one.

        Examples
        --------
        >>> import numpy as np
        >>> X = CSRMatrix.from_coo([0, 1, 0], [1, 0, 1], [1.0, 2.0, 3.0], shape=(2, 2))
        >>> X.toarray()
        array([[0., 4.],
               [2., 0.]])
        """
        return _csr_ops.from_coo(cls, rows, cols, values, shape, dtype)

    @classmethod
    def from_scipy(cls, m) -> CSRMatrix:
        """Convert any SciPy sparse matrix or array (copying its arrays)."""
        return _csr_ops.from_scipy(cls, m)

    def to_scipy(self):
        """This matrix as a ``scipy.sparse.csr_matrix`` (SciPy must be installed)."""
        return _csr_ops.to_scipy(self)

    # -- basic properties ----------------------------------------------------
    @property
    def shape(self) -> tuple[int, int]:
        return self._shape

    @property
    def dtype(self) -> np.dtype:
        return self.data.dtype

    @property
    def nnz(self) -> int:
        return int(self.indptr[-1])

    ndim = 2

    @property
    def size(self) -> int:
        """Number of stored entries (SciPy's meaning of ``size``)."""
        return self.nnz

    def __len__(self) -> int:
        raise TypeError("sparse matrix length is ambiguous; use X.shape[0] or X.nnz.")

    def __repr__(self) -> str:
        n, p = self.shape
        density = self.nnz / (n * p) if n * p else 0.0
        return (
            f"<CSRMatrix of shape ({n}, {p}), dtype {self.dtype}, with {self.nnz} "
            f"stored elements ({density:.2%} dense)>"
        )

    def toarray(self) -> np.ndarray:
        """The dense ``(n_rows, n_cols)`` array; duplicate entries add up."""
        out = np.zeros(self.shape, dtype=self.dtype)
        where = (_csr_ops.row_ids(self), self.indices)
        if self.has_canonical_format:
            out[where] = self.data  # each position once: a plain scatter
        else:
            np.add.at(out, where, self.data)
        return out

    todense = toarray

    def copy(self) -> CSRMatrix:
        """A deep copy."""
        return CSRMatrix._from_valid(
            self.data.copy(), self.indices.copy(), self.indptr.copy(), self.shape
        )

    def astype(self, dtype, copy: bool = True) -> CSRMatrix:
        """The same structure with ``data`` cast to ``dtype``."""
        data = self.data.astype(dtype, copy=copy)
        if not copy and data is self.data:
            return self
        return CSRMatrix._from_valid(data, self.indices, self.indptr, self.shape)

    def tocsr(self, copy: bool = False) -> CSRMatrix:
        return self.copy() if copy else self

    def getnnz(self, axis=None):
        """Stored entries: total (``axis=None``) or per row (``axis=1``) / column (``axis=0``)."""
        return _csr_ops.getnnz(self, axis)

    # -- structure -------------------------------------------------------------
    @property
    def has_sorted_indices(self) -> bool:
        """Whether every row's column indices are nondecreasing (SciPy's meaning; O(nnz))."""
        return _csr_ops.structure(self)[0]

    @property
    def has_canonical_format(self) -> bool:
        """Whether every row's column indices are strictly increasing: sorted, no duplicates."""
        return _csr_ops.structure(self)[1]

    def sort_indices(self) -> None:
        """Sort each row's entries by column, in place (duplicates stay, adjacent)."""
        _csr_ops.sort_indices(self)

    def sum_duplicates(self) -> None:
        """Merge entries with the same (row, column) by adding them, in place; sorts indices."""
        _csr_ops.sum_duplicates(self)

    def eliminate_zeros(self) -> None:
        """Remove stored entries equal to zero, in place."""
        _csr_ops.eliminate_zeros(self)

    # -- indexing and transposition -------------------------------------------
    def __getitem__(self, key) -> CSRMatrix:
        return _csr_ops.getitem(self, key)

    @property
    def T(self) -> _csr_products.TransposedCSR:
        """A lazy transpose: ``X.T @ B`` computes ``X^T B`` without building ``X^T``."""
        return _csr_products.TransposedCSR(self)

    def transpose(self):
        return self.T

    # -- arithmetic ---------------------------------------------------------------
    def __matmul__(self, other):
        return _csr_products.matmul(self, other)

    def __rmatmul__(self, other):
        return _csr_products.rmatmul(self, other)

    def dot(self, other):
        return _csr_products.matmul(self, other)

    def multiply(self, other) -> CSRMatrix:
        """Elementwise product with a scalar, a dense row, a dense column or a full array."""
        return _csr_products.multiply(self, other)

    def __mul__(self, other):
        if np.isscalar(other):
            return _csr_products.multiply(self, other)
        return NotImplemented

    __rmul__ = __mul__

    def __neg__(self) -> CSRMatrix:
        return _csr_products.multiply(self, -1)

    def sum(self, axis=None):
        """Sum of all entries (``axis=None``), of each column (``0``) or of each row (``1``)."""
        return _csr_ops.sum_(self, axis)

    def mean(self, axis=None):
        """Mean over all ``n_rows * n_cols`` entries, zeros included, or along an axis."""
        return _csr_ops.mean(self, axis)

    # -- comparison (for tests) -----------------------------------------------------
    def allclose(self, other, rtol: float = 1e-7, atol: float = 0.0) -> bool:
        """Whether ``other`` (sparse or dense) has the same shape and close values."""
        return _csr_products.allclose(self, other, rtol, atol)

    def equals(self, other) -> bool:
        """Whether ``other`` represents exactly the same matrix (layout may differ)."""
        return _csr_products.allclose(self, other, 0.0, 0.0)

    __hash__ = None  # mutable, like SciPy's matrices
