"""Shared pieces of the dataset loaders: ``Bunch``, the CSV reader, the pandas view.

The bundled files live in ``scratchml/datasets/data/`` (see its README.md): each
``<name>.csv.gz`` has a header row of feature names ending in ``target``, and
``<name>.rst`` holds the description. They are read with
:mod:`importlib.resources`, so they load from a wheel, a zip or a source tree alike.
"""

from __future__ import annotations

import gzip
from importlib import resources

import numpy as np


class Bunch(dict):
    """A dict whose keys are also attributes: ``b["data"]`` is ``b.data``.

    Loaders return one so that results read like ``iris.data`` while staying a
    plain ``dict`` (printable, iterable, easy to save).

    Examples
    --------
    >>> from scratchml.datasets import Bunch
    >>> b = Bunch(data=[1, 2], target=[0, 1])
    >>> b.data
    [1, 2]
    >>> b.extra = "x"
    >>> b["extra"]
    'x'
    """

    def __init__(self, **kwargs):
        super().__init__(kwargs)

    def __setattr__(self, key: str, value) -> None:
        self[key] = value

    def __getattr__(self, key: str):
        try:
            return self[key]
        except KeyError:
            raise AttributeError(
                f"Bunch has no attribute {key!r}; its keys are {sorted(self)}."
            ) from None

    def __delattr__(self, key: str) -> None:
        try:
            del self[key]
        except KeyError:
            raise AttributeError(key) from None

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(self.keys()))

    def __setstate__(self, state) -> None:
        # Keys travel as dict items when pickled; an instance __dict__ (written by
        # older pickles) must not shadow them, so the state is ignored.
        pass


def _data_file(name: str):
    """Traversable of ``scratchml/datasets/data/<name>``."""
    return resources.files(__package__).joinpath("data", name)


def load_csv_gz(name: str) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Read ``data/<name>.csv.gz``: feature names, float64 data, and the raw target column.

    Parameters
    ----------
    name : str
        Dataset file stem, e.g. ``"iris"``.

    Returns
    -------
    feature_names : list of str
    data : ndarray of shape (n_samples, n_features), float64
    target : ndarray of shape (n_samples,), float64
    """
    path = _data_file(f"{name}.csv.gz")
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as f:
        columns = f.readline().rstrip("\n").split(",")
        if columns[-1] != "target":
            raise ValueError(f"data/{name}.csv.gz is corrupt: its last column is "
                             f"{columns[-1]!r}, not 'target'. Reinstall scratchml.")
        # One C-level parse of the rest of the stream; every value is written in
        # shortest round-trip form, so the float64 read back is exactly the one written.
        table = np.loadtxt(f, delimiter=",", dtype=np.float64, ndmin=2, comments=None)
    return columns[:-1], table[:, :-1].copy(), table[:, -1].copy()


def load_descr(name: str) -> str:
    """Text of ``data/<name>.rst``, the dataset's description."""
    return _data_file(f"{name}.rst").read_text(encoding="utf-8")


def as_frame(caller: str, data: np.ndarray, target: np.ndarray, feature_names):
    """pandas views of a dataset: ``(frame, X, y)`` as scikit-learn's loaders build them.

    ``frame`` holds the features and a ``target`` column; ``X`` is its feature
    columns and ``y`` the ``target`` Series.
    """
    try:
        import pandas as pd
    except ImportError:
        raise ImportError(
            f"as_frame=True needs pandas: pip install pandas (or call {caller} with "
            "as_frame=False to get NumPy arrays)."
        ) from None
    feature_names = list(feature_names)
    data_df = pd.DataFrame(data, columns=feature_names, copy=False)
    target_df = pd.DataFrame(target, columns=["target"])
    frame = pd.concat([data_df, target_df], axis=1)
    return frame, frame[feature_names], frame["target"]


def finish(caller: str, data, target, feature_names, *, return_X_y: bool, frame: bool,
           **extra):
    """Return ``(X, y)`` or a ``Bunch``, as pandas objects when ``frame`` is set."""
    df = None
    if frame:
        df, data, target = as_frame(caller, data, target, feature_names)
    if return_X_y:
        return data, target
    return Bunch(data=data, target=target, frame=df, feature_names=feature_names, **extra)
