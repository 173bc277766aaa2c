"""Decision regions of a fitted classifier on two features."""

from __future__ import annotations

import numpy as np

from ._common import get_ax, require_matplotlib

_RESPONSES = ("predict", "predict_proba", "decision_function")


def _response(estimator, grid, response_method: str, classes):
    """Values to colour the grid with, and the class count when they are class indices."""
    out = np.asarray(getattr(estimator, response_method)(grid))
    if response_method == "predict":
        # Class labels may be strings: colour by their index in classes_.
        classes = np.unique(out) if classes is None else classes
        return np.searchsorted(classes, out).astype(np.float64), len(classes)
    if out.ndim == 2 and out.shape[1] == 2 and response_method == "predict_proba":
        return out[:, 1], None  # binary: probability of the positive class
    if out.ndim == 2 and out.shape[1] > 1:
        return out.argmax(axis=1).astype(np.float64), out.shape[1]  # multiclass: winner
    return out.ravel().astype(np.float64), None


def plot_decision_boundary(estimator, X, y=None, *, grid_resolution: int = 200,
                           response_method: str = "predict", eps: float = 1.0,
                           cmap: str = "viridis", alpha: float = 0.4, ax=None):
    """Colour the plane by a fitted 2-feature classifier's response and overlay the samples.

    The estimator is evaluated on a ``grid_resolution`` × ``grid_resolution``
    grid covering X (plus ``eps`` on each side). With 'predict' each region
    gets its class's colour, so the region edges are the decision boundary;
    with 'predict_proba' or 'decision_function' a binary classifier shows the
    positive-class score as filled contours (a multiclass one shows the class
    of the highest score).

    Parameters
    ----------
    estimator : fitted classifier
        Trained on exactly two features.
    X : array-like of shape (n_samples, 2)
        Samples that set the plot range and are drawn on top.
    y : array-like of shape (n_samples,), default=None
        Colours of the samples (their classes); None draws them in one colour.
    grid_resolution : int, default=200
        Grid points per axis.
    response_method : {'predict', 'predict_proba', 'decision_function'}, default='predict'
    eps : float, default=1.0
        Margin added around the range of X.
    cmap : str or matplotlib Colormap, default='viridis'
    alpha : float, default=0.4
        Opacity of the filled regions.
    ax : matplotlib Axes, default=None

    Returns
    -------
    ax : matplotlib Axes
        One filled contour set and one scatter collection per call.

    Examples
    --------
    >>> from scratchml.plotting import plot_decision_boundary
    >>> ax = plot_decision_boundary(fitted_classifier, X, y)  # doctest: +SKIP
    """
    where = "plot_decision_boundary"
    require_matplotlib()
    if response_method not in _RESPONSES:
        raise ValueError(f"{where}: response_method={response_method!r} is not one of "
                         f"{list(_RESPONSES)}.")
    if not hasattr(estimator, response_method):
        raise ValueError(f"{where}: {type(estimator).__name__} has no {response_method} method; "
                         "use response_method='predict' or another method it has.")
    if (not isinstance(grid_resolution, (int, np.integer)) or isinstance(grid_resolution, bool)
            or grid_resolution < 2):
        raise ValueError(f"{where}: grid_resolution must be an integer >= 2, "
                         f"got {grid_resolution!r}.")
    columns = getattr(X, "columns", None)
    X_arr = np.asarray(X, dtype=np.float64)
    if X_arr.ndim != 2 or X_arr.shape[1] != 2 or X_arr.shape[0] == 0:
        raise ValueError(f"{where}: X must have shape (n_samples, 2) to be drawn in the plane, "
                         f"got {X_arr.shape}; select two features (or project, e.g. with PCA).")

    lo, hi = X_arr.min(axis=0) - eps, X_arr.max(axis=0) + eps
    xx, yy = np.meshgrid(np.linspace(lo[0], hi[0], grid_resolution),
                         np.linspace(lo[1], hi[1], grid_resolution))
    grid = np.column_stack([xx.ravel(), yy.ravel()])
    if columns is not None:
        # A model fitted on a DataFrame should see the same column names.
        grid = type(X)(grid, columns=columns)
    classes = getattr(estimator, "classes_", None)
    classes = None if classes is None else np.asarray(classes)
    values, n_classes = _response(estimator, grid, response_method, classes)
    zz = values.reshape(xx.shape)

    ax = get_ax(ax)
    color_range = {}
    if n_classes is not None:
        # Level edges half-way between class indices give one flat colour per
        # class; the samples use the same colour scale so colours match regions.
        color_range = {"vmin": -0.5, "vmax": n_classes - 0.5}
        ax.contourf(xx, yy, zz, levels=np.arange(n_classes + 1) - 0.5, cmap=cmap, alpha=alpha)
    else:
        # Probabilities keep a fixed 0..1 scale so that 0.5 always has the same colour.
        levels = np.linspace(0.0, 1.0, 21) if response_method == "predict_proba" else 20
        ax.contourf(xx, yy, zz, levels=levels, cmap=cmap, alpha=alpha)
    if y is None:
        ax.scatter(X_arr[:, 0], X_arr[:, 1], c="k", s=20, edgecolor="w", linewidth=0.5)
    else:
        y = np.asarray(y).ravel()
        if classes is not None and np.all(np.isin(y, classes)):
            codes = np.searchsorted(classes, y)
        else:
            _, codes = np.unique(y, return_inverse=True)
            color_range = {}
        ax.scatter(X_arr[:, 0], X_arr[:, 1], c=codes, cmap=cmap, s=20, edgecolor="k",
                   linewidth=0.5, **color_range)
    names = [str(c) for c in columns] if columns is not None else ["Feature 0", "Feature 1"]
    ax.set(xlabel=names[0], ylabel=names[1], xlim=(lo[0], hi[0]), ylim=(lo[1], hi[1]))
    return ax
