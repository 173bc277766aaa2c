"""Model selection: splitting data, cross-validation, learning and validation curves.

Splitters (``KFold``, ``StratifiedKFold``, ``GroupKFold``, ``ShuffleSplit``,
``StratifiedShuffleSplit``, ``TimeSeriesSplit``, ``LeaveOneOut``) yield
``(train, test)`` index arrays; without shuffling they give scikit-learn's
folds exactly. ``cross_validate`` and friends fit a clone of an estimator per
split, sequentially or in parallel (``n_jobs``; the executor comes from
``scratchml.get_config()["executor"]``).

Tuners share one ask/tell search core: ``GridSearchCV``, ``RandomizedSearchCV``,
``HalvingGridSearchCV``, ``HalvingRandomSearchCV`` and ``BayesSearchCV`` (a
Gaussian-process or TPE optimizer), with ``ParameterGrid``, ``ParameterSampler`` and
the distributions ``uniform``, ``loguniform``, ``randint``, ``normal``, ``choice``.
"""

from ._bayes import BayesSearchCV
from ._curves import learning_curve, validation_curve
from ._distributions import choice, loguniform, normal, randint, uniform
from ._halving import HalvingGridSearchCV, HalvingRandomSearchCV
from ._param_space import ParameterGrid, ParameterSampler
from ._search import GridSearchCV, RandomizedSearchCV
from ._shuffle_split import ShuffleSplit, StratifiedShuffleSplit, train_test_split
from ._split import (
    BaseCrossValidator,
    GroupKFold,
    KFold,
    LeaveOneOut,
    StratifiedKFold,
    check_cv,
)
from ._time_series import TimeSeriesSplit
from ._validation import FitFailedWarning, cross_val_predict, cross_val_score, cross_validate

__all__ = [
    "BaseCrossValidator",
    "BayesSearchCV",
    "GridSearchCV",
    "HalvingGridSearchCV",
    "HalvingRandomSearchCV",
    "ParameterGrid",
    "ParameterSampler",
    "RandomizedSearchCV",
    "choice",
    "loguniform",
    "normal",
    "randint",
    "uniform",
    "FitFailedWarning",
    "GroupKFold",
    "KFold",
    "LeaveOneOut",
    "ShuffleSplit",
    "StratifiedKFold",
    "StratifiedShuffleSplit",
    "TimeSeriesSplit",
    "check_cv",
    "cross_val_predict",
    "cross_val_score",
    "cross_validate",
    "learning_curve",
    "train_test_split",
    "validation_curve",
]
