"""Linear models: least squares, ridge, lasso / elastic net, logistic regression, SGD.

Every solver is written here in NumPy (QR and SVD least squares, Cholesky / SVD /
conjugate-gradient ridge, cyclic coordinate descent with a duality-gap stop,
L-BFGS with a strong-Wolfe line search, proximal Newton, SAGA, stochastic gradient
descent); coordinate descent and the SGD and SAGA epochs also have Cython twins,
registered as kernels (``enet_coordinate_descent``, ``enet_coordinate_descent_gram``,
``sgd_epoch``, ``saga_epoch``).

Names load lazily from their module on first access (PEP 562).
"""

from ..utils._lazy import lazy_attributes

_MODULES = {
    "LinearRegression": "_least_squares",
    "Ridge": "_least_squares",
    "RidgeCV": "_ridge_cv",
    "Lasso": "_coordinate_descent",
    "ElasticNet": "_coordinate_descent",
    "enet_path": "_coordinate_descent_cv",
    "LassoCV": "_coordinate_descent_cv",
    "ElasticNetCV": "_coordinate_descent_cv",
    "LogisticRegression": "_logistic",
    "SGDClassifier": "_sgd",
    "SGDRegressor": "_sgd",
    "Perceptron": "_perceptron",
}

__getattr__, __dir__, __all__ = lazy_attributes(__name__, _MODULES, globals())
