"""CountVectorizer: documents -> a sparse matrix of term counts."""

from __future__ import annotations

import warnings
from collections import defaultdict
from collections.abc import Mapping
from itertools import repeat
from numbers import Integral

import numpy as np

from ..base import BaseEstimator, TransformerMixin
from ..sparse import CSRMatrix
from ..utils._params import store_params
from ..utils.validation import check_is_fitted
from ._analysis import DEFAULT_TOKEN_PATTERN, _VectorizerMixin
from ._build import _CHUNK, PairCounter


def _count(docs: list, analyze, vocabulary: dict | None) -> tuple[PairCounter, dict]:
    """Count the (document, term code) pairs of ``docs``; return them and the vocabulary.

    Without ``vocabulary`` the codes number terms in order of first appearance
    (a ``defaultdict`` whose default is its own size: one C-level dict lookup per
    token); with one, unknown terms get code -1 and are not counted.
    """
    if vocabulary is None:
        vocab = defaultdict()
        vocab.default_factory = vocab.__len__
        lookup = vocab.__getitem__
    else:
        vocab = vocabulary
        get = vocabulary.get
    counter = PairCounter()
    parts, lengths, n_tokens = [], [], 0
    for doc in docs:
        tokens = analyze(doc)
        if not isinstance(tokens, list):
            tokens = list(tokens)
        n = len(tokens)
        lengths.append(n)
        if vocabulary is None:
            parts.append(np.fromiter(map(lookup, tokens), dtype=np.intc, count=n))
        else:
            parts.append(np.fromiter(map(get, tokens, repeat(-1, n)), dtype=np.intc, count=n))
        n_tokens += n
        if n_tokens >= _CHUNK:
            counter.add(np.concatenate(parts), np.array(lengths, dtype=np.int64))
            parts, lengths, n_tokens = [], [], 0
    if lengths:
        counter.add(np.concatenate(parts), np.array(lengths, dtype=np.int64))
    return counter, vocab


class CountVectorizer(_VectorizerMixin, TransformerMixin, BaseEstimator):
    """Convert documents to a sparse matrix of token counts.

    Entry ``(d, t)`` is the number of times term ``t`` occurs in document ``d``.
    The vocabulary is every term seen in ``fit``, sorted, then pruned: terms in
    more than ``max_df`` or fewer than ``min_df`` documents go, and with
    ``max_features`` only the most frequent terms over the corpus stay.

    Parameters
    ----------
    input : {'content', 'filename', 'file'}, default='content'
        What each document is: the text itself, a path, or an open file.
    encoding, decode_error : str, default='utf-8', 'strict'
        How bytes are decoded to str.
    strip_accents : {'ascii', 'unicode'} or callable, default=None
        Remove accents (NFKD decomposition) before tokenizing.
    lowercase : bool, default=True
        Lowercase the text before tokenizing.
    preprocessor, tokenizer : callable, default=None
        Replace the preprocessing step (lowercase and accents) / the regex tokenizer.
    stop_words : 'english', list or None, default=None
        Words removed after tokenizing (word analyzer only).
    token_pattern : str, default=r"(?u)\\b\\w\\w+\\b"
        Regex of a token: two or more word characters.
    ngram_range : tuple (min_n, max_n), default=(1, 1)
        Keep n-grams of every length n in the range.
    analyzer : {'word', 'char', 'char_wb'} or callable, default='word'
        Features are word n-grams, character n-grams, or character n-grams
        inside word boundaries; a callable maps a document to its features.
    max_df, min_df : float in [0, 1] or int, default=1.0, 1
        Drop terms with a document frequency above / below this (a float is a
        proportion of the documents, an int a count).
    max_features : int, default=None
        Keep only the ``max_features`` terms most frequent over the corpus.
    vocabulary : mapping or iterable, default=None
        A fixed vocabulary (term -> column, or terms in column order).
    binary : bool, default=False
        Store 1 for every present term instead of its count.
    dtype : dtype, default=np.int64
        Dtype of the returned matrix.

    Attributes
    ----------
    vocabulary_ : dict
        Term -> column index.
    fixed_vocabulary_ : bool
        Whether the vocabulary was given by the user.

    Examples
    --------
    >>> from scratchml.feature_extraction.text import CountVectorizer
    >>> cv = CountVectorizer()
    >>> X = cv.fit_transform(["the cat sat", "the cat and the hat"])
    >>> cv.get_feature_names_out().tolist()
    ['and', 'cat', 'hat', 'sat', 'the']
    >>> X.toarray()
    array([[0, 1, 0, 1, 1],
           [1, 1, 1, 0, 2]])
    """

    def __init__(self, *, input="content", encoding="utf-8", decode_error="strict",
                 strip_accents=None, lowercase: bool = True, preprocessor=None,
                 tokenizer=None, stop_words=None, token_pattern: str = DEFAULT_TOKEN_PATTERN,
                 ngram_range: tuple = (1, 1), analyzer="word", max_df=1.0, min_df=1,
                 max_features=None, vocabulary=None, binary: bool = False, dtype=np.int64):
        store_params(self, locals())

    # -- parameters --------------------------------------------------------------
    def _fixed_vocabulary(self) -> dict | None:
        vocabulary = self.vocabulary
        if vocabulary is None:
            return None
        if isinstance(vocabulary, set):
            vocabulary = sorted(vocabulary)
        if isinstance(vocabulary, Mapping):
            vocab = {k: int(v) for k, v in vocabulary.items()}
            if set(vocab.values()) != set(range(len(vocab))):
                raise ValueError(f"vocabulary maps {len(vocab)} terms to indices "
                                 f"{sorted(set(vocab.values()))[:10]}...; the indices must "
                                 f"be 0..{len(vocab) - 1}, each used once.")
        else:
            vocab = {}
            for i, term in enumerate(vocabulary):
                if vocab.setdefault(term, i) != i:
                    raise ValueError(f"Duplicate term in vocabulary: {term!r}.")
        if not vocab:
            raise ValueError("vocabulary is empty; pass at least one term, or None to learn it.")
        return vocab

    def _check_df(self, name: str, value) -> None:
        if isinstance(value, (bool, np.bool_)):
            ok = False
        elif isinstance(value, Integral):
            ok = value >= 1
        else:
            ok = isinstance(value, (float, np.floating)) and 0.0 <= value <= 1.0
        if not ok:
            raise ValueError(f"{name}={value!r} is invalid; use a float in [0, 1] (a proportion "
                             "of documents) or an int >= 1 (a count).")

    # -- fit / transform ---------------------------------------------------------
    def fit(self, raw_documents, y=None):
        """Learn the vocabulary of ``raw_documents`` (an iterable of str)."""
        self.fit_transform(raw_documents)
        return self

    def fit_transform(self, raw_documents, y=None) -> CSRMatrix:
        """Learn the vocabulary and return the document-term count matrix."""
        self._check_df("max_df", self.max_df)
        self._check_df("min_df", self.min_df)
        if self.max_features is not None and not (
            isinstance(self.max_features, Integral) and self.max_features > 0
        ):
            raise ValueError(f"max_features={self.max_features!r} is invalid; use a "
                             "positive int or None.")
        fixed = self._fixed_vocabulary()
        docs, analyze = self._analyze_documents(raw_documents)
        if fixed is not None and self.lowercase and any(
            any(map(str.isupper, t)) for t in fixed if isinstance(t, str)
        ):
            warnings.warn("Upper case characters found in vocabulary while 'lowercase' is "
                          "True. These entries will not be matched with any documents.",
                          stacklevel=2)
        counter, vocab = _count(docs, analyze, fixed)
        if fixed is not None:
            data, indices, indptr = counter.finish(len(fixed), dtype=self.dtype)
            self.vocabulary_, self.fixed_vocabulary_ = fixed, True
            return self._finish(data, indices, indptr, len(fixed))
        if not vocab:
            raise ValueError("empty vocabulary; perhaps the documents only contain stop words "
                             "(or no token matches token_pattern).")
        # Columns in sorted term order: rank[code] is the sorted position of a term.
        terms = list(vocab)
        order = sorted(range(len(terms)), key=terms.__getitem__)
        rank = np.empty(len(terms), dtype=np.intc)
        rank[order] = np.arange(len(terms), dtype=np.intc)
        data, indices, indptr = counter.finish(len(terms), remap=rank, dtype=self.dtype)
        if self.binary:
            data[:] = 1
        sorted_terms = [terms[i] for i in order]
        data, indices, indptr, kept = self._limit_features(
            data, indices, indptr, len(terms), indptr.size - 1)
        if kept is not None:
            sorted_terms = [sorted_terms[i] for i in kept]
        self.vocabulary_ = {t: i for i, t in enumerate(sorted_terms)}
        self.fixed_vocabulary_ = False
        return self._finish(data, indices, indptr, len(sorted_terms))

    def _limit_features(self, data, indices, indptr, n_terms: int, n_docs: int):
        """Drop terms outside [min_df, max_df] documents, then keep the max_features most frequent.

        Returns the pruned arrays and the kept columns (None if all were kept).
        """
        max_df, min_df, limit = self.max_df, self.min_df, self.max_features
        high = max_df if isinstance(max_df, Integral) else max_df * n_docs
        low = min_df if isinstance(min_df, Integral) else min_df * n_docs
        if high < low:
            raise ValueError(f"max_df={max_df!r} corresponds to < documents than "
                             f"min_df={min_df!r} ({high} < {low} of {n_docs} documents); "
                             "lower min_df or raise max_df.")
        dfs = np.bincount(indices, minlength=n_terms)
        mask = (dfs <= high) & (dfs >= low)
        if limit is not None and mask.sum() > limit:
            # scikit-learn's rule, ties included: the same (unstable) argsort of the
            # same int64 totals picks the same terms.
            tfs = np.bincount(indices, weights=data, minlength=n_terms)
            dtype = np.dtype(self.dtype)
            tfs = tfs.astype(dtype if dtype.kind == "f" else np.int64)
            mask_inds = (-tfs[mask]).argsort()[:limit]
            new_mask = np.zeros(n_terms, dtype=bool)
            new_mask[np.flatnonzero(mask)[mask_inds]] = True
            mask = new_mask
        if mask.all():
            return data, indices, indptr, None
        kept = np.flatnonzero(mask)
        if kept.size == 0:
            raise ValueError("After pruning, no terms remain. Try a lower min_df or a higher "
                             "max_df.")
        new_index = np.cumsum(mask) - 1
        keep = mask[indices]
        before = np.zeros(indices.size + 1, dtype=np.int64)
        np.cumsum(keep, out=before[1:])
        indptr = before[indptr].astype(indptr.dtype)
        return data[keep], new_index[indices[keep]].astype(indices.dtype), indptr, kept

    def _finish(self, data, indices, indptr, n_terms: int) -> CSRMatrix:
        if self.binary:
            data[:] = 1
        data = data.astype(self.dtype, copy=False)
        return CSRMatrix((data, indices, indptr), shape=(indptr.size - 1, n_terms))

    def transform(self, raw_documents) -> CSRMatrix:
        """Count the fitted vocabulary's terms in ``raw_documents``."""
        if not hasattr(self, "vocabulary_"):
            if self.vocabulary is None:
                check_is_fitted(self, "vocabulary_")
            self.vocabulary_, self.fixed_vocabulary_ = self._fixed_vocabulary(), True
        docs, analyze = self._analyze_documents(raw_documents)
        counter, _ = _count(docs, analyze, self.vocabulary_)
        data, indices, indptr = counter.finish(len(self.vocabulary_), dtype=self.dtype)
        return self._finish(data, indices, indptr, len(self.vocabulary_))

    def inverse_transform(self, X) -> list:
        """The terms present (nonzero) in each row of X."""
        check_is_fitted(self, "vocabulary_")
        terms = self.get_feature_names_out()
        if hasattr(X, "indptr"):
            X = CSRMatrix((np.asarray(X.data), np.asarray(X.indices), np.asarray(X.indptr)),
                          shape=X.shape)
            out = []
            for i in range(X.shape[0]):
                a, b = X.indptr[i], X.indptr[i + 1]
                cols = X.indices[a:b][X.data[a:b] != 0]
                out.append(terms[np.sort(cols)])
            return out
        X = np.atleast_2d(np.asarray(X))
        return [terms[np.flatnonzero(row)] for row in X]

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """The terms, in column order (an object array of str)."""
        if not hasattr(self, "vocabulary_"):
            if self.vocabulary is None:
                check_is_fitted(self, "vocabulary_")
            vocab = self._fixed_vocabulary()
        else:
            vocab = self.vocabulary_
        terms = np.empty(len(vocab), dtype=object)
        for term, i in vocab.items():
            terms[i] = term
        return terms
