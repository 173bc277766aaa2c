"""Feature extraction from raw data; for now, from text (:mod:`.text`).

Names load lazily from their module on first access (PEP 562): importing
``scratchml.feature_extraction`` does not compile a regex or read a stop list.
"""

import importlib

from ..utils._lazy import lazy_attributes

_MODULES = {
    "CountVectorizer": "text",
    "TfidfTransformer": "text",
    "TfidfVectorizer": "text",
    "HashingVectorizer": "text",
    "PorterStemmer": "text",
}

_getattr, __dir__, __all__ = lazy_attributes(__name__, _MODULES, globals(), eager=("text",))


def __getattr__(name: str):
    if name == "text":  # the submodule itself
        return importlib.import_module(f"{__name__}.text")
    return _getattr(name)
