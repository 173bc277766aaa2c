"""Loaders of the small real datasets bundled with scratchml.

Every loader returns the same numbers, targets and feature names as the
scikit-learn loader of the same name (the test suite checks it), read from
``scratchml/datasets/data/<name>.csv.gz``; sources and licences are in each
docstring and in ``data/README.md``.
"""

from __future__ import annotations

import numbers

import numpy as np

from ..utils._params import with_params_doc
from ._base import Bunch, finish, load_csv_gz, load_descr

#: The ``return_X_y`` and ``as_frame`` descriptions the loaders share (iris says more).
_X_Y_FRAME_DOC = """
    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a :class:`Bunch`.
    as_frame : bool, default=False
        Return pandas objects (needs pandas).
"""


def _check_bool(name: str, value) -> None:
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be True or False, got {value!r}.")


def _load_classification(name: str, caller: str, target_names, return_X_y, as_frame):
    _check_bool("return_X_y", return_X_y)
    _check_bool("as_frame", as_frame)
    feature_names, data, target = load_csv_gz(name)
    return finish(caller, data, target.astype(int), feature_names, return_X_y=return_X_y,
                  frame=as_frame, target_names=np.array(target_names), DESCR=load_descr(name))


def load_iris(*, return_X_y: bool = False, as_frame: bool = False):
    """Load Fisher's iris data: 150 flowers, 4 measurements (cm), 3 species.

    ============== ==================
    Classes        3 (50 samples each)
    Features       4, real, positive
    ============== ==================

    Source: R. A. Fisher (1936), "The use of multiple measurements in taxonomic
    problems"; UCI Machine Learning Repository, "Iris", doi:10.24432/C56C76,
    licensed CC BY 4.0. Numbers as in scikit-learn's copy.

    Parameters
    ----------
    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a :class:`Bunch`.
    as_frame : bool, default=False
        Return the data as a pandas DataFrame and the target as a Series
        (needs pandas); the Bunch's ``frame`` then holds both.

    Returns
    -------
    data : Bunch
        ``data`` (150, 4) float64, ``target`` (150,) int in {0, 1, 2},
        ``feature_names``, ``target_names`` (``'setosa'``, ``'versicolor'``,
        ``'virginica'``), ``frame`` (DataFrame or None), ``DESCR``.
    (data, target) : tuple if ``return_X_y``

    Examples
    --------
    >>> from scratchml.datasets import load_iris
    >>> X, y = load_iris(return_X_y=True)
    >>> X.shape, y[:3]
    ((150, 4), array([0, 0, 0]))
    """
    return _load_classification("iris", "load_iris", ["setosa", "versicolor", "virginica"],
                                return_X_y, as_frame)


@with_params_doc(_X_Y_FRAME_DOC)
def load_wine(*, return_X_y: bool = False, as_frame: bool = False):
    """Load the wine recognition data: 178 wines, 13 chemical measurements, 3 cultivars.

    ============== ==================
    Classes        3 (59, 71, 48 samples)
    Features       13, real, positive
    ============== ==================

    Source: M. Forina et al. (1991), PARVUS; UCI Machine Learning Repository,
    "Wine", doi:10.24432/C5PC7J, licensed CC BY 4.0. Numbers as in
    scikit-learn's copy.

    Parameters
    ----------
    {params}

    Returns
    -------
    data : Bunch
        ``data`` (178, 13), ``target`` (178,) int, ``feature_names``,
        ``target_names`` (``'class_0'``...), ``frame``, ``DESCR``.
    (data, target) : tuple if ``return_X_y``

    Examples
    --------
    >>> from scratchml.datasets import load_wine
    >>> load_wine().data.shape
    (178, 13)
    """
    return _load_classification("wine", "load_wine", ["class_0", "class_1", "class_2"],
                                return_X_y, as_frame)


@with_params_doc(_X_Y_FRAME_DOC)
def load_breast_cancer(*, return_X_y: bool = False, as_frame: bool = False):
    """Load the Wisconsin diagnostic breast cancer data: 569 tumours, 30 features, 2 classes.

    The features are the mean, standard error and worst value of ten
    measurements of cell nuclei (radius, texture, ...) in a digitized image of a
    fine-needle aspirate. Target 0 is malignant (212), 1 benign (357).

    Source: W. Wolberg, O. Mangasarian, N. Street, W. Street (1995); UCI Machine
    Learning Repository, "Breast Cancer Wisconsin (Diagnostic)",
    doi:10.24432/C5DW2B, licensed CC BY 4.0. Numbers as in scikit-learn's copy.

    Parameters
    ----------
    {params}

    Returns
    -------
    data : Bunch
        ``data`` (569, 30), ``target`` (569,) int, ``feature_names`` (an
        ndarray, as in scikit-learn), ``target_names`` (``'malignant'``,
        ``'benign'``), ``frame``, ``DESCR``.
    (data, target) : tuple if ``return_X_y``

    Examples
    --------
    >>> from scratchml.datasets import load_breast_cancer
    >>> load_breast_cancer().target_names
    array(['malignant', 'benign'], dtype='<U9')
    """
    out = _load_classification("breast_cancer", "load_breast_cancer", ["malignant", "benign"],
                               return_X_y, as_frame)
    if isinstance(out, Bunch):
        out.feature_names = np.array(out.feature_names)
    return out


@with_params_doc(_X_Y_FRAME_DOC)
def load_digits(*, n_class: int = 10, return_X_y: bool = False, as_frame: bool = False):
    """Load the optical handwritten digits: 1797 images of 8x8 pixels, values 0..16.

    Each image counts the "on" pixels of a 32x32 bitmap in non-overlapping 4x4
    blocks, so a pixel is an integer from 0 to 16; ``data`` is the image
    flattened row by row (feature ``pixel_<row>_<col>``).

    Source: E. Alpaydin, C. Kaynak (1998); UCI Machine Learning Repository,
    "Optical Recognition of Handwritten Digits" (its test part),
    doi:10.24432/C50P49, licensed CC BY 4.0. Numbers as in scikit-learn's copy.

    Parameters
    ----------
    n_class : int, default=10
        Keep only the digits ``0 .. n_class - 1`` (1 to 10).
    {params}

    Returns
    -------
    data : Bunch
        ``data`` (n, 64) float64, ``images`` (n, 8, 8), ``target`` (n,) int,
        ``feature_names``, ``target_names`` (``0..9``), ``frame``, ``DESCR``.
    (data, target) : tuple if ``return_X_y``

    Examples
    --------
    >>> from scratchml.datasets import load_digits
    >>> digits = load_digits(n_class=2)
    >>> digits.images.shape
    (360, 8, 8)
    """
    if (not isinstance(n_class, numbers.Integral) or isinstance(n_class, bool)
            or not 1 <= n_class <= 10):
        raise ValueError(f"n_class must be an integer from 1 to 10, got {n_class!r}.")
    _check_bool("return_X_y", return_X_y)
    _check_bool("as_frame", as_frame)
    _, data, target = load_csv_gz("digits")
    target = target.astype(int)
    if n_class < 10:
        keep = target < n_class
        data, target = data[keep], target[keep]
    feature_names = [f"pixel_{r}_{c}" for r in range(8) for c in range(8)]
    images = data.reshape(-1, 8, 8)
    return finish("load_digits", data, target, feature_names, return_X_y=return_X_y,
                  frame=as_frame, target_names=np.arange(10), images=images,
                  DESCR=load_descr("digits"))


@with_params_doc(_X_Y_FRAME_DOC)
def load_diabetes(*, return_X_y: bool = False, as_frame: bool = False, scaled: bool = True):
    """Load the diabetes regression data: 442 patients, 10 baseline variables.

    The target is a quantitative measure of disease progression one year after
    baseline. With ``scaled=True`` (default) every feature column x is centred
    and scaled so that its sum of squares is 1, as scikit-learn does:

        x' = (x − mean(x)) / (std(x) · √n),   std the population standard deviation.

    Source: B. Efron, T. Hastie, I. Johnstone, R. Tibshirani (2004), "Least
    Angle Regression", Annals of Statistics 32(2), 407-499; data published at
    https://www4.stat.ncsu.edu/~boos/var.select/diabetes.html. Numbers as in
    scikit-learn's copy (the raw variables; scaling happens here).

    Parameters
    ----------
    {params}
    scaled : bool, default=True
        Centre and scale the features as above; False gives the raw values
        (age in years, sex coded 1/2, bmi, ...).

    Returns
    -------
    data : Bunch
        ``data`` (442, 10) float64, ``target`` (442,) float64,
        ``feature_names``, ``frame``, ``DESCR``.
    (data, target) : tuple if ``return_X_y``

    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.datasets import load_diabetes
    >>> X, y = load_diabetes(return_X_y=True)
    >>> bool(np.allclose((X ** 2).sum(axis=0), 1.0))
    True
    """
    _check_bool("return_X_y", return_X_y)
    _check_bool("as_frame", as_frame)
    _check_bool("scaled", scaled)
    feature_names, data, target = load_csv_gz("diabetes")
    if scaled:
        # The operations (and their order) of scikit-learn's scale() followed by
        # division by sqrt(n), so the floats come out bit for bit the same.
        std = data.std(axis=0)
        std[std == 0.0] = 1.0
        data -= data.mean(axis=0)
        data /= std
        data /= data.shape[0] ** 0.5
    return finish("load_diabetes", data, target, feature_names, return_X_y=return_X_y,
                  frame=as_frame, DESCR=load_descr("diabetes"))
