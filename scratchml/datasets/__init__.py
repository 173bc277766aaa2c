"""Datasets: synthetic generators and small real datasets bundled with scratchml.

Generators (random draws from one ``numpy.random.Generator`` seeded by
``random_state``): :func:`make_classification`, :func:`make_regression`,
:func:`make_low_rank_matrix`, :func:`make_blobs`, :func:`make_moons`,
:func:`make_circles`. They follow scikit-learn's algorithms and signatures, but
the same seed gives different numbers than scikit-learn (another generator).

Real datasets, bundled as small gzip CSV files in ``scratchml/datasets/data/``
(sources and licences in its README.md): :func:`load_iris`, :func:`load_wine`,
:func:`load_breast_cancer`, :func:`load_digits`, :func:`load_diabetes`; each
returns a :class:`Bunch` or ``(X, y)``, with pandas objects on ``as_frame=True``.

Importing this module loads only NumPy; pandas is imported by ``as_frame=True``.
"""

from ._base import Bunch
from ._classification import make_classification
from ._loaders import load_breast_cancer, load_diabetes, load_digits, load_iris, load_wine
from ._regression import make_low_rank_matrix, make_regression
from ._toy import make_blobs, make_circles, make_moons

__all__ = [
    "Bunch",
    "load_breast_cancer",
    "load_diabetes",
    "load_digits",
    "load_iris",
    "load_wine",
    "make_blobs",
    "make_circles",
    "make_classification",
    "make_low_rank_matrix",
    "make_moons",
    "make_regression",
]
