"""Naive Bayes classifiers: Gaussian, multinomial, Bernoulli, complement and categorical.

Names load lazily from their module on first access (PEP 562).
"""

from ..utils._lazy import lazy_attributes

_MODULES = {
    "GaussianNB": "_gaussian",
    "MultinomialNB": "_discrete",
    "BernoulliNB": "_discrete",
    "ComplementNB": "_discrete",
    "CategoricalNB": "_categorical",
}

__getattr__, __dir__, __all__ = lazy_attributes(__name__, _MODULES, globals())
