"""Text feature extraction: tokenize, stem, count, weight.

* :class:`CountVectorizer` -- term counts over a learned (or given) vocabulary;
* :class:`TfidfTransformer` / :class:`TfidfVectorizer` -- tf-idf weighting;
* :class:`HashingVectorizer` -- counts in hashed columns, no vocabulary;
* :class:`PorterStemmer` -- Porter's 1980 suffix-stripping stemmer;
* ``ENGLISH_STOP_WORDS``, :func:`strip_accents_unicode`, :func:`strip_accents_ascii`.

All vectorizers return a :class:`scratchml.sparse.CSRMatrix` whose columns and
values equal scikit-learn's for the same parameters.
"""

from ._analysis import strip_accents_ascii, strip_accents_unicode
from ._count import CountVectorizer
from ._hashing import HashingVectorizer
from ._porter import PorterStemmer
from ._stop_words import ENGLISH_STOP_WORDS
from ._tfidf import TfidfTransformer, TfidfVectorizer

__all__ = [
    "ENGLISH_STOP_WORDS",
    "CountVectorizer",
    "HashingVectorizer",
    "PorterStemmer",
    "TfidfTransformer",
    "TfidfVectorizer",
    "strip_accents_ascii",
    "strip_accents_unicode",
]
