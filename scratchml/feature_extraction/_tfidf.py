"""Tf-idf weighting: TfidfTransformer (counts -> tf-idf) and TfidfVectorizer (text -> tf-idf)."""

from __future__ import annotations

import numpy as np

from ..base import BaseEstimator, TransformerMixin
from ..sparse import CSRMatrix
from ..utils.validation import check_is_fitted
from ._analysis import DEFAULT_TOKEN_PATTERN
from ._build import normalize_rows, scale_columns
from ._count import CountVectorizer


def _check_tfidf_params(est) -> None:
    if est.norm not in ("l1", "l2", None):
        raise ValueError(f"norm={est.norm!r} is not supported; use 'l2', 'l1' or None.")


def _idf(indices: np.ndarray, n_samples: int, n_features: int, smooth: bool, dtype):
    """idf(t) = ln((1 + n) / (1 + df(t))) + 1 with smoothing, ln(n / df(t)) + 1 without."""
    df = np.bincount(indices, minlength=n_features).astype(dtype)
    df += float(smooth)
    idf = np.full_like(df, n_samples + int(smooth))
    idf /= df
    np.log(idf, out=idf)
    idf += 1.0
    return idf


def _weight(data, indices, indptr, shape, idf, norm, sublinear: bool) -> CSRMatrix:
    """tf -> (1 + ln tf if sublinear) * idf, then each row divided by its norm."""
    if sublinear:
        np.log(data, out=data)
        data += 1.0
    if idf is not None:
        scale_columns(data, indices, indptr, idf)
    normalize_rows(data, indptr, norm)
    return CSRMatrix((data, indices, indptr), shape=shape)


class TfidfTransformer(TransformerMixin, BaseEstimator):
    """Reweight a count matrix by tf-idf and normalize its rows.

    ``tfidf(t, d) = tf(t, d) * idf(t)`` with ``idf(t) = ln((1 + n) / (1 + df(t))) + 1``
    (``smooth_idf``, as if one extra document held every term once) or
    ``ln(n / df(t)) + 1``; ``df(t)`` counts the documents containing ``t``. The
    ``+ 1`` keeps terms found in every document. ``sublinear_tf`` uses
    ``1 + ln(tf)``. Each row is then divided by its l2 (or l1) norm.

    Parameters
    ----------
    norm : {'l2', 'l1'} or None, default='l2'
    use_idf : bool, default=True
    smooth_idf : bool, default=True
    sublinear_tf : bool, default=False

    Attributes
    ----------
    idf_ : ndarray of shape (n_features,)
        The idf of each term (only when ``use_idf``).
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.feature_extraction.text import TfidfTransformer
    >>> counts = np.array([[3, 0, 1], [2, 0, 0], [3, 0, 0], [4, 0, 0]])
    >>> TfidfTransformer().fit(counts).idf_.round(3)
    array([1.   , 2.609, 1.916])
    """

    def __init__(self, *, norm: str | None = "l2", use_idf: bool = True,
                 smooth_idf: bool = True, sublinear_tf: bool = False):
        self.norm = norm
        self.use_idf = use_idf
        self.smooth_idf = smooth_idf
        self.sublinear_tf = sublinear_tf

    def _as_csr(self, X, reset: bool) -> CSRMatrix:
        """A float CSR copy of X (a CSRMatrix, a SciPy sparse matrix, or dense)."""
        if hasattr(X, "indptr") and hasattr(X, "indices"):
            dtype = X.dtype if X.dtype in (np.float32, np.float64) else np.float64
            X = CSRMatrix((np.array(X.data, dtype=dtype), np.array(X.indices),
                           np.array(X.indptr)), shape=X.shape)
            if reset:
                self._set_features_in(X.shape[1], None)
            else:
                self._check_features(X.shape[1], None)
            return X
        X = self._validate_data(X, reset=reset, dtype=(np.float64, np.float32))
        return CSRMatrix(X)

    def fit(self, X, y=None):
        """Learn the idf of each column of the count matrix X."""
        _check_tfidf_params(self)
        X = self._as_csr(X, reset=True)
        if self.use_idf:
            self.idf_ = _idf(X.indices, X.shape[0], X.shape[1], self.smooth_idf, X.dtype)
        elif hasattr(self, "idf_"):
            del self.idf_
        return self

    def transform(self, X) -> CSRMatrix:
        """The tf-idf matrix of X (a new CSRMatrix; X is not modified)."""
        check_is_fitted(self, "n_features_in_")
        X = self._as_csr(X, reset=False)
        idf = getattr(self, "idf_", None)
        return _weight(X.data, X.indices, X.indptr, X.shape,
                       None if idf is None else idf.astype(X.dtype, copy=False),
                       self.norm, self.sublinear_tf)


class TfidfVectorizer(CountVectorizer):
    """Convert documents to a tf-idf matrix: CountVectorizer then TfidfTransformer.

    Takes every parameter of :class:`CountVectorizer` (``dtype`` defaults to
    float64) and of :class:`TfidfTransformer` (``norm``, ``use_idf``,
    ``smooth_idf``, ``sublinear_tf``).

    Attributes
    ----------
    vocabulary_ : dict
        Term -> column index.
    fixed_vocabulary_ : bool
    idf_ : ndarray of shape (n_features,)
        The idf of each term (only when ``use_idf``).

    Examples
    --------
    >>> from scratchml.feature_extraction.text import TfidfVectorizer
    >>> tv = TfidfVectorizer()
    >>> X = tv.fit_transform(["the cat sat", "the cat and the hat"])
    >>> tv.get_feature_names_out().tolist()
    ['and', 'cat', 'hat', 'sat', 'the']
    >>> X.toarray().round(3)
    array([[0.   , 0.502, 0.   , 0.705, 0.502],
           [0.47 , 0.334, 0.47 , 0.   , 0.669]])
    """

    def __init__(self, *, input="content", encoding="utf-8", decode_error="strict",
                 strip_accents=None, lowercase: bool = True, preprocessor=None,
                 tokenizer=None, analyzer="word", stop_words=None,
                 token_pattern: str = DEFAULT_TOKEN_PATTERN, ngram_range: tuple = (1, 1),
                 max_df=1.0, min_df=1, max_features=None, vocabulary=None,
                 binary: bool = False, dtype=np.float64, norm: str | None = "l2",
                 use_idf: bool = True, smooth_idf: bool = True, sublinear_tf: bool = False):
        super().__init__(
            input=input, encoding=encoding, decode_error=decode_error,
            strip_accents=strip_accents, lowercase=lowercase, preprocessor=preprocessor,
            tokenizer=tokenizer, analyzer=analyzer, stop_words=stop_words,
            token_pattern=token_pattern, ngram_range=ngram_range, max_df=max_df,
            min_df=min_df, max_features=max_features, vocabulary=vocabulary, binary=binary,
            dtype=dtype,
        )
        self.norm = norm
        self.use_idf = use_idf
        self.smooth_idf = smooth_idf
        self.sublinear_tf = sublinear_tf

    def _float_dtype(self):
        dtype = np.dtype(self.dtype)
        return dtype if dtype in (np.float32, np.float64) else np.dtype(np.float64)

    def fit(self, raw_documents, y=None):
        """Learn the vocabulary and the idf of ``raw_documents``."""
        self.fit_transform(raw_documents)
        return self

    def fit_transform(self, raw_documents, y=None) -> CSRMatrix:
        """Learn the vocabulary and idf, and return the tf-idf matrix."""
        _check_tfidf_params(self)
        X = super().fit_transform(raw_documents)
        dtype = self._float_dtype()
        if self.use_idf:
            self.idf_ = _idf(X.indices, X.shape[0], X.shape[1], self.smooth_idf, dtype)
        elif hasattr(self, "idf_"):
            del self.idf_
        return self._weigh(X, dtype)

    def transform(self, raw_documents) -> CSRMatrix:
        """The tf-idf matrix of ``raw_documents`` with the fitted vocabulary and idf."""
        check_is_fitted(self, "vocabulary_")
        return self._weigh(super().transform(raw_documents), self._float_dtype())

    def _weigh(self, X: CSRMatrix, dtype) -> CSRMatrix:
        data = X.data if X.data.dtype == dtype else X.data.astype(dtype)
        return _weight(data, X.indices, X.indptr, X.shape, getattr(self, "idf_", None),
                       self.norm, self.sublinear_tf)
