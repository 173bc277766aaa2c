"""Compiled Cython kernels.

The sources live in ``kernels/cython/*.pyx`` at the repository root; ``setup.py``
compiles each into a module of this package. Import them through
:func:`scratchml._backend.get_kernel`, never directly: they may not be built.
"""
