"""HashingVectorizer: documents -> sparse counts in columns chosen by a hash, no vocabulary."""

from __future__ import annotations

from numbers import Integral

import numpy as np

from .._backend import get_kernel
from ..base import BaseEstimator, TransformerMixin
from ..sparse import CSRMatrix
from ..utils._params import store_params
from ._analysis import DEFAULT_TOKEN_PATTERN, _VectorizerMixin
from ._build import _CHUNK, PairCounter, normalize_rows
from ._kernels import encode_tokens


class HashingVectorizer(_VectorizerMixin, TransformerMixin, BaseEstimator):
    """Convert documents to a sparse matrix of hashed token counts (stateless).

    Token ``t`` goes to column ``|h(t)| mod n_features`` where ``h`` is the
    signed 32-bit MurmurHash3 (seed 0) of its UTF-8 bytes, the hash
    scikit-learn uses, so both libraries give the same matrix. With
    ``alternate_sign`` a token adds ``sign(h(t))`` instead of 1, so that
    collisions cancel on average rather than pile up. No vocabulary is stored:
    ``transform`` needs no ``fit``, memory does not grow with the corpus, and
    columns cannot be mapped back to terms.

    Parameters
    ----------
    n_features : int, default=2**20
        Number of columns.
    alternate_sign : bool, default=True
        Add ``sign(h(t))`` per token instead of 1.
    norm : {'l2', 'l1'} or None, default='l2'
        Row normalization.
    binary : bool, default=False
        Store 1 for every stored entry (after summing signs), as scikit-learn does.
    dtype : dtype, default=np.float64
    input, encoding, decode_error, strip_accents, lowercase, preprocessor, tokenizer,
    stop_words, token_pattern, ngram_range, analyzer
        As in :class:`CountVectorizer`.

    Examples
    --------
    >>> from scratchml.feature_extraction.text import HashingVectorizer
    >>> hv = HashingVectorizer(n_features=16, norm=None, alternate_sign=False)
    >>> X = hv.transform(["the cat sat", "the cat and the hat"])
    >>> X.shape, X.toarray().sum(axis=1)  # every token counted once, in some column
    ((2, 16), array([3., 5.]))
    """

    def __init__(self, *, input="content", encoding="utf-8", decode_error="strict",
                 strip_accents=None, lowercase: bool = True, preprocessor=None,
                 tokenizer=None, stop_words=None, token_pattern: str = DEFAULT_TOKEN_PATTERN,
                 ngram_range: tuple = (1, 1), analyzer="word", n_features: int = 2**20,
                 binary: bool = False, norm: str | None = "l2", alternate_sign: bool = True,
                 dtype=np.float64):
        store_params(self, locals())

    def _check_hashing_params(self) -> None:
        n = self.n_features
        if isinstance(n, bool) or not isinstance(n, Integral) or not 1 <= n <= 2**31 - 1:
            raise ValueError(f"n_features={n!r} is invalid; use an int in [1, 2**31 - 1].")
        if self.norm not in ("l1", "l2", None):
            raise ValueError(f"norm={self.norm!r} is not supported; use 'l2', 'l1' or None.")

    def fit(self, X, y=None):
        """Check the parameters (nothing is learned: the hashing is fixed)."""
        self._check_hashing_params()
        self._check_params()
        return self

    def fit_transform(self, X, y=None) -> CSRMatrix:
        """Same as ``transform``: nothing is learned."""
        return self.fit(X).transform(X)

    def _hash_bundle(self, hash_tokens, tokens: list, lengths: list, counter) -> None:
        h = hash_tokens(*encode_tokens(tokens), 0).astype(np.int64)
        # |h| in int64 is defined for h = -2**31 too (2**31 mod n, as scikit-learn).
        cols = np.abs(h) % int(self.n_features)
        counter.add(cols, np.array(lengths, dtype=np.int64),
                    signs=(h < 0) if self.alternate_sign else None)

    def transform(self, X) -> CSRMatrix:
        """The hashed (signed) token counts of the documents X, rows normalized by ``norm``."""
        self._check_hashing_params()
        docs, analyze = self._analyze_documents(X)
        hash_tokens, _ = get_kernel("murmurhash3_32")
        n_features = int(self.n_features)
        n_docs = len(docs)
        counter = PairCounter()
        lengths, tokens = [], []
        # Hash a bundle of whole documents at a time, so that only a bundle's token
        # strings are alive at once.
        for doc in docs:
            toks = analyze(doc)
            if not isinstance(toks, list):
                toks = list(toks)
            lengths.append(len(toks))
            tokens += toks
            if len(tokens) >= _CHUNK // 4:
                self._hash_bundle(hash_tokens, tokens, lengths, counter)
                lengths, tokens = [], []
        if lengths:
            self._hash_bundle(hash_tokens, tokens, lengths, counter)
        dtype = np.dtype(self.dtype)
        data, indices, indptr = counter.finish(
            n_features, dtype=dtype if dtype.kind == "f" else np.float64)
        if self.binary:
            data[:] = 1
        normalize_rows(data, indptr, self.norm)
        return CSRMatrix((data.astype(self.dtype, copy=False), indices, indptr),
                         shape=(n_docs, n_features))
