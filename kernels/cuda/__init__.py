"""Numba CUDA kernels, installed as ``scratchml._cuda``.

Loaded only through :func:`scratchml._backend.get_kernel` with
``backend="cuda"``: importing this package imports Numba, which is slow.
On a machine without a GPU, ``NUMBA_ENABLE_CUDASIM=1`` runs them on Numba's
CPU simulator (that is how the test suite checks them).
"""
