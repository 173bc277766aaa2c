"""Registers the SVM kernels with the backend registry.

* ``svm_smo``: libsvm's SMO solver (second-order working sets, LRU kernel cache,
  shrinking); reference :func:`scratchml.svm._smo.smo_solve_numpy`.
* ``linear_svc_cd``: liblinear's dual coordinate descent for LinearSVC; reference
  :func:`scratchml.svm._liblinear.linear_svc_cd_numpy`.
* ``linear_svc_cd_sparse``: the same on a CSR X's arrays; reference
  :func:`scratchml.svm._liblinear.linear_svc_cd_sparse_numpy`.

The Cython twins (``kernels/cython/_svm.pyx``, ``_svm_linear.pyx``) take the same
arguments as their references.
"""

from .._backend import register
from ._liblinear import linear_svc_cd_numpy, linear_svc_cd_sparse_numpy
from ._smo import smo_solve_numpy

register("svm_smo", "numpy", smo_solve_numpy)
register("svm_smo", "cython", "scratchml._cython._svm:smo_solve")
register("linear_svc_cd", "numpy", linear_svc_cd_numpy)
register("linear_svc_cd", "cython", "scratchml._cython._svm_linear:linear_svc_cd")
register("linear_svc_cd_sparse", "numpy", linear_svc_cd_sparse_numpy)
register("linear_svc_cd_sparse", "cython",
         "scratchml._cython._svm_linear:linear_svc_cd_sparse")
