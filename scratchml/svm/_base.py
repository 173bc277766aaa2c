"""What SVC, SVR and OneClassSVM share: hyperparameter checks, kernels, the solver call.

Each estimator builds one or more problems of libsvm's form (see ``_smo``) as index
arrays into the training rows, and :meth:`_BaseLibSVM._solve` hands each one to the
``svm_smo`` kernel of the configured backend. Decision values are sums
``sum_s coef_s K(x_s, x) + intercept`` over support vectors, evaluated in row
chunks so that the kernel block stays small whatever the size of X.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np

from .._backend import get_kernel
from ..base import BaseEstimator
from ..exceptions import ConvergenceWarning
from ..utils.validation import check_is_fitted, check_sample_weight
from ._kernel_fn import KERNEL_CODES, kernel_block

KERNELS = ("linear", "poly", "rbf", "sigmoid", "precomputed")
_CHUNK_VALUES = 1 << 22  # kernel-block values per prediction chunk (32 MiB in float64)


def _check_number(name, value, *, low=None, low_open=False, integer=False):
    kind = numbers.Integral if integer else numbers.Real
    if isinstance(value, bool) or not isinstance(value, kind):
        raise ValueError(f"{name}={value!r} must be {'an int' if integer else 'a number'}.")
    if low is not None and (value <= low if low_open else value < low):
        raise ValueError(f"{name}={value!r} must be {'>' if low_open else '>='} {low}.")


class _BaseLibSVM(BaseEstimator):
    """Kernel SVM plumbing (not public): subclasses define ``fit``."""

    _persist_private = ("_gamma",)

    # -- hyperparameters -------------------------------------------------------------

    def _check_common_params(self):
        if not (callable(self.kernel) or self.kernel in KERNELS):
            raise ValueError(
                f"kernel={self.kernel!r} is not supported; use one of {list(KERNELS)} or a "
                "callable k(X, Y) returning the (len(X), len(Y)) Gram matrix."
            )
        if isinstance(self.gamma, str):
            if self.gamma not in ("scale", "auto"):
                raise ValueError(
                    f"gamma={self.gamma!r} is not supported; use 'scale', 'auto' or a float >= 0."
                )
        else:
            _check_number("gamma", self.gamma, low=0.0)
        _check_number("degree", self.degree, low=0, integer=True)
        _check_number("coef0", self.coef0)
        _check_number("tol", self.tol, low=0.0, low_open=True)
        _check_number("cache_size", self.cache_size, low=0.0, low_open=True)
        _check_number("max_iter", self.max_iter, low=-1, integer=True)
        if self.max_iter == 0:
            raise ValueError("max_iter=0 is not allowed; use -1 (no limit) or a positive int.")
        if not isinstance(self.shrinking, (bool, np.bool_)):
            raise ValueError(f"shrinking={self.shrinking!r} must be True or False.")

    # -- kernels ---------------------------------------------------------------------

    def _kernel_code(self) -> int:
        return 4 if callable(self.kernel) else KERNEL_CODES[self.kernel]

    def _fit_kernel(self, X: np.ndarray) -> np.ndarray:
        """The matrix the solver reads: X itself, or the Gram matrix of a callable."""
        if self.gamma == "scale":
            var = X.var()
            self._gamma = 1.0 / (X.shape[1] * var) if var != 0 else 1.0
        elif self.gamma == "auto":
            self._gamma = 1.0 / X.shape[1]
        else:
            self._gamma = float(self.gamma)
        if self.kernel == "precomputed":
            if X.shape[0] != X.shape[1]:
                raise ValueError(
                    f"kernel='precomputed' needs a square Gram matrix in fit, got X of shape "
                    f"{X.shape}. Pass K(X_train, X_train)."
                )
            return X
        if callable(self.kernel):
            return self._call_kernel(X, X)
        return X

    def _call_kernel(self, A: np.ndarray, B: np.ndarray) -> np.ndarray:
        K = np.asarray(self.kernel(A, B), dtype=np.float64)
        if K.shape != (A.shape[0], B.shape[0]):
            raise ValueError(
                f"the callable kernel returned an array of shape {K.shape}, but "
                f"{type(self).__name__} needs ({A.shape[0]}, {B.shape[0]}): K[i, j] = "
                "k(X[i], Y[j]) for every pair of rows of its two arguments."
            )
        if not np.all(np.isfinite(K)):
            raise ValueError(
                f"the callable kernel returned {int(np.sum(~np.isfinite(K)))} NaN or infinite "
                "values; it must return a finite Gram matrix."
            )
        return np.ascontiguousarray(K)

    def _solve(self, M, idx, y, p, C, alpha0):
        """Run the SMO kernel on the variables ``idx`` (rows of M; see ``_smo``)."""
        if len(idx) == 0:
            raise ValueError(f"{type(self).__name__}: every sample has zero weight; pass some "
                             "positive sample_weight.")
        if len(np.unique(idx)) == len(idx):
            # one variable per sample (SVC, OneClassSVM): rows in variable order, so the
            # solver's variable t is row t and its loops need no indirection
            rows, local = idx, np.arange(len(idx))
        else:  # SVR: two variables per sample share one row
            rows, local = np.unique(idx, return_inverse=True)
        code = self._kernel_code()
        if code == 4:
            M_sub = np.ascontiguousarray(M[np.ix_(rows, rows)], dtype=np.float64)
        else:
            M_sub = np.ascontiguousarray(M[rows], dtype=np.float64)
        smo, _ = get_kernel("svm_smo")
        alpha, rho, n_iter, status = smo(
            M_sub, code, float(self._gamma), float(self.coef0), int(self.degree),
            local.astype(np.intp), np.ascontiguousarray(y, dtype=np.float64),
            np.ascontiguousarray(p, dtype=np.float64), np.ascontiguousarray(C, dtype=np.float64),
            np.ascontiguousarray(alpha0, dtype=np.float64), float(self.tol),
            float(self.cache_size), bool(self.shrinking), int(self.max_iter))
        if not np.isfinite(rho):
            # every variable at a bound on the same side (e.g. OneClassSVM with nu=1):
            # the intercept is not determined
            raise ValueError(
                f"{type(self).__name__}: the intercept is not finite because every dual "
                "variable ended at a bound; lower nu (or raise C), or rescale the features.")
        if self.verbose:
            print(f"[{type(self).__name__}] SMO: {n_iter} iterations, rho={rho:.6g}, "
                  f"{int(np.sum(alpha > 0))} non-zero of {len(alpha)}")
        return alpha, rho, n_iter, status

    def _warn_status(self):
        if self.fit_status_ == 1:
            warnings.warn(
                f"{type(self).__name__}: the SMO solver stopped at max_iter={self.max_iter} "
                "before meeting tol; raise max_iter (or -1 for no limit) or scale the features.",
                ConvergenceWarning,
                stacklevel=3,
            )

    # -- prediction ------------------------------------------------------------------

    def _validate_for_predict(self, X, method: str) -> np.ndarray:
        check_is_fitted(self, method=method)
        X = self._validate_data(X, reset=False, dtype=np.float64)
        if self.kernel == "precomputed" and X.shape[1] != self.shape_fit_[0]:
            raise ValueError(
                f"X has {X.shape[1]} columns, but a precomputed kernel needs one per training "
                f"sample ({self.shape_fit_[0]}): pass K(X_test, X_train)."
            )
        return X

    def _kernel_chunks(self, X: np.ndarray):
        """Yield (rows, K(X[rows], support vectors)) in bounded chunks."""
        n_sv = max(len(self.support_), 1)
        chunk = max(1, _CHUNK_VALUES // n_sv)
        sv = self.support_vectors_
        sv_sq = np.einsum("ij,ij->i", sv, sv) if self.kernel == "rbf" else None
        for start in range(0, X.shape[0], chunk):
            rows = slice(start, start + chunk)
            Xc = X[rows]
            if self.kernel == "precomputed":
                K = Xc[:, self.support_]
            elif callable(self.kernel):
                K = self._call_kernel(Xc, sv)
            else:
                K = kernel_block(KERNEL_CODES[self.kernel], Xc, sv, self._gamma, self.coef0,
                                 self.degree, b_sq=sv_sq)
            yield rows, K

    def _support_vectors_of(self, X: np.ndarray, support: np.ndarray) -> np.ndarray:
        if self.kernel == "precomputed":
            return np.zeros((0, 0))
        return np.ascontiguousarray(X[support])


def validate_fit_input(est, X, y=None, **kw):
    """``_validate_data`` in float64 (the solvers' precision), with y when given."""
    if y is None:
        return est._validate_data(X, dtype=np.float64, **kw)
    return est._validate_data(X, y, dtype=np.float64, **kw)


def sample_weights(sample_weight, n: int, est) -> np.ndarray:
    """Per-sample weights (ones when None); they multiply C as in scikit-learn's libsvm."""
    return check_sample_weight(sample_weight, n, estimator=est)
