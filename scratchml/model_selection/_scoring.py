"""Turn a ``scoring`` argument into scorers ``scorer(estimator, X, y) -> float``.

* None: the estimator's own ``score`` method;
* a string: ``scratchml.metrics.get_scorer(name)`` (imported when needed);
* a callable ``scorer(estimator, X, y)``: used as is (it may return a dict of
  named scores, which makes the evaluation multi-metric);
* a list/tuple/set of names, or a dict name -> scorer (callable or name):
  several metrics at once.
"""

from __future__ import annotations

import numbers


class _PassthroughScorer:
    """Score with the estimator's own ``score`` method (picklable, unlike a lambda)."""

    def __call__(self, estimator, X, y=None, **kwargs):
        if y is None:
            return estimator.score(X, **kwargs)
        return estimator.score(X, y, **kwargs)

    def __repr__(self) -> str:
        return "passthrough_scorer"


def _get_scorer(name):
    try:
        from ..metrics import get_scorer
    except ImportError:
        raise ValueError(
            f"scoring={name!r} needs scratchml.metrics.get_scorer, which this version of "
            "scratchml does not have; pass a callable scorer(estimator, X, y) instead."
        ) from None
    return get_scorer(name)


def check_scoring(estimator, scoring=None):
    """One scorer from ``scoring`` (None, a name, or a callable)."""
    if scoring is None:
        if not hasattr(estimator, "score"):
            raise TypeError(
                f"If no scoring is specified, the estimator passed should have a 'score' "
                f"method. The estimator {estimator!r} does not; pass scoring=..."
            )
        return _PassthroughScorer()
    if isinstance(scoring, str):
        return _get_scorer(scoring)
    if callable(scoring):
        return scoring
    raise ValueError(
        f"scoring={scoring!r} is not a single metric: use None, a metric name or a callable "
        "scorer(estimator, X, y) (cross_validate accepts lists and dicts of metrics)."
    )


def resolve_scoring(estimator, scoring):
    """A scorer, or a dict name -> scorer for several metrics at once."""
    if isinstance(scoring, (list, tuple, set, frozenset)):
        names = list(scoring)
        if not names:
            raise ValueError("scoring is an empty list; give at least one metric name.")
        bad = [n for n in names if not isinstance(n, str)]
        if bad:
            raise ValueError(f"scoring lists must hold metric names (strings), got {bad!r}; "
                             "use a dict name -> callable for custom scorers.")
        if len(set(names)) != len(names):
            raise ValueError(f"scoring {names!r} names a metric twice.")
        return {name: _get_scorer(name) for name in names}
    if isinstance(scoring, dict):
        if not scoring:
            raise ValueError("scoring is an empty dict; give at least one metric.")
        return {name: check_scoring(estimator, s) for name, s in scoring.items()}
    return check_scoring(estimator, scoring)


def _as_number(score, scorer):
    if hasattr(score, "item"):
        try:
            score = score.item()
        except ValueError:
            pass
    if not isinstance(score, numbers.Number):
        raise ValueError(f"scoring must return a number, got {score!r} ({type(score).__name__}) "
                         f"instead. (scorer={scorer!r})")
    return score
