"""From a raw document to its features: preprocess, tokenize, drop stop words, n-grams.

The steps (scikit-learn's, in its order) are::

    doc -> decode (bytes -> str) -> preprocess (lowercase, strip accents)
        -> tokenize (regex findall) -> drop stop words -> word n-grams

or, for the ``char``/``char_wb`` analyzers, character n-grams of the
preprocessed text. ``_VectorizerMixin`` holds these steps for every vectorizer.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import numpy as np

from ._stop_words import ENGLISH_STOP_WORDS

DEFAULT_TOKEN_PATTERN = r"(?u)\b\w\w+\b"
# Equivalent to the default pattern under ``findall``, and a third faster: the
# scan meets a run of word characters at its start, where greedy ``\w\w+`` takes
# the whole run (so the run ends at a boundary) or fails on a one-character run;
# it never starts inside a run. tests/test_text.py checks the equivalence.
DEFAULT_TOKEN_PATTERN_RE = re.compile(r"\w\w+")
_WHITE_SPACES = re.compile(r"\s\s+")


def strip_accents_unicode(s: str) -> str:
    """Remove accents: decompose (NFKD) and drop the combining marks (``é -> e``)."""
    if s.isascii():  # nothing to strip, and the common case
        return s
    normalized = unicodedata.normalize("NFKD", s)
    return "".join([c for c in normalized if not unicodedata.combining(c)])


def strip_accents_ascii(s: str) -> str:
    """Decompose (NFKD) and keep only ASCII: accents go, and so do non-Latin letters."""
    return unicodedata.normalize("NFKD", s).encode("ASCII", "ignore").decode("ASCII")


def _check_stop_list(stop):
    if stop == "english":
        return ENGLISH_STOP_WORDS
    if isinstance(stop, str):
        raise ValueError(f"stop_words={stop!r} is not a built-in stop list; use 'english', "
                         "a list of words, or None.")
    return None if stop is None else frozenset(stop)


def _word_ngrams(tokens: list, ngram_range: tuple) -> list:
    """Tokens, then every run of n consecutive tokens joined by a space, for n in range."""
    min_n, max_n = ngram_range
    if max_n == 1:
        return tokens
    out = list(tokens) if min_n == 1 else []
    join = " ".join
    for n in range(max(min_n, 2), min(max_n, len(tokens)) + 1):
        out += [join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]
    return out


def _char_ngrams(text: str, ngram_range: tuple) -> list:
    """Every substring of n characters, runs of white space first squeezed to one."""
    text = _WHITE_SPACES.sub(" ", text)
    min_n, max_n = ngram_range
    out = list(text) if min_n == 1 else []
    for n in range(max(min_n, 2), min(max_n, len(text)) + 1):
        out += [text[i : i + n] for i in range(len(text) - n + 1)]
    return out


def _char_wb_ngrams(text: str, ngram_range: tuple) -> list:
    """Character n-grams inside words only, each word padded with one space each side."""
    text = _WHITE_SPACES.sub(" ", text)
    min_n, max_n = ngram_range
    out = []
    for w in text.split():
        w = " " + w + " "
        for n in range(min_n, max_n + 1):
            if len(w) <= n:  # a short word counts once, as itself
                out.append(w)
                break
            out += [w[i : i + n] for i in range(len(w) - n + 1)]
    return out


class _VectorizerMixin:
    """The analysis steps shared by CountVectorizer, TfidfVectorizer and HashingVectorizer."""

    def decode(self, doc):
        """Read a file (``input='filename'`` / ``'file'``) and decode bytes to str."""
        if self.input == "filename":
            with open(doc, "rb") as fh:
                doc = fh.read()
        elif self.input == "file":
            doc = doc.read()
        if isinstance(doc, bytes):
            doc = doc.decode(self.encoding, self.decode_error)
        return doc

    def build_preprocessor(self):
        """The callable that lowercases and strips accents (or the user's ``preprocessor``)."""
        if self.preprocessor is not None:
            return self.preprocessor
        strip = self.strip_accents
        if not strip:
            strip = None
        elif strip == "ascii":
            strip = strip_accents_ascii
        elif strip == "unicode":
            strip = strip_accents_unicode
        elif not callable(strip):
            raise ValueError(f"strip_accents={strip!r} is not supported; use 'ascii', "
                             "'unicode', a callable, or None.")
        lower = self.lowercase
        if strip is None:
            return str.lower if lower else _identity
        if lower:
            return lambda doc: strip(doc.lower())
        return strip

    def build_tokenizer(self):
        """The callable that splits a string into tokens (or the user's ``tokenizer``)."""
        if self.tokenizer is not None:
            return self.tokenizer
        if self.token_pattern == DEFAULT_TOKEN_PATTERN:
            return DEFAULT_TOKEN_PATTERN_RE.findall
        pattern = re.compile(self.token_pattern)
        if pattern.groups > 1:
            raise ValueError(f"token_pattern={self.token_pattern!r} has {pattern.groups} "
                             "capturing groups; capture at most one (the token).")
        return pattern.findall

    def get_stop_words(self):
        """The stop-word set, or None."""
        return _check_stop_list(self.stop_words)

    def _check_params(self) -> None:
        lo, hi = self.ngram_range
        if not (isinstance(lo, (int, np.integer)) and isinstance(hi, (int, np.integer))
                and 1 <= lo <= hi):
            raise ValueError(f"ngram_range={self.ngram_range!r} is invalid; use (min_n, max_n) "
                             "with 1 <= min_n <= max_n.")
        if self.input not in ("content", "filename", "file"):
            raise ValueError(f"input={self.input!r} is not supported; use 'content', "
                             "'filename' or 'file'.")

    def build_analyzer(self):
        """The callable mapping one raw document to its list of features."""
        self._check_params()
        return self._make_analyzer(self.decode if self.input != "content"
                                   else _decode_content(self))

    def _make_analyzer(self, decode):
        """The analyzer; ``decode`` is ``_identity`` for documents already decoded to str."""
        if callable(self.analyzer):
            user = self.analyzer
            return lambda doc: user(decode(doc))
        preprocess = self.build_preprocessor()
        ngram_range = tuple(self.ngram_range)
        if self.analyzer == "char":
            return lambda doc: _char_ngrams(preprocess(decode(doc)), ngram_range)
        if self.analyzer == "char_wb":
            return lambda doc: _char_wb_ngrams(preprocess(decode(doc)), ngram_range)
        if self.analyzer != "word":
            raise ValueError(f"analyzer={self.analyzer!r} is not supported; use 'word', "
                             "'char', 'char_wb' or a callable.")
        tokenize = self.build_tokenizer()
        stop = self.get_stop_words()
        if stop is None and ngram_range == (1, 1):
            if decode is _identity:  # the common case: two C calls per document
                if preprocess is str.lower:
                    return lambda doc: tokenize(doc.lower())
                return lambda doc: tokenize(preprocess(doc))
            return lambda doc: tokenize(preprocess(decode(doc)))

        def analyze(doc):
            tokens = tokenize(preprocess(decode(doc)))
            if stop is not None:
                tokens = [w for w in tokens if w not in stop]
            return _word_ngrams(tokens, ngram_range)

        return analyze

    def _documents(self, raw_documents) -> list:
        """The documents as a list, each checked to be a str (or bytes, file, path)."""
        if isinstance(raw_documents, (str, bytes)):
            raise ValueError("Iterable over raw text documents expected, string object "
                             "received; wrap a single document in a list: [doc].")
        if isinstance(raw_documents, np.ndarray) and raw_documents.ndim != 1:
            raise ValueError(f"raw_documents must be 1-D (one document per entry), got an "
                             f"array of shape {raw_documents.shape}.")
        if not isinstance(raw_documents, Iterable):
            raise ValueError(f"raw_documents must be an iterable of str, got "
                             f"{type(raw_documents).__name__}.")
        docs = raw_documents if isinstance(raw_documents, list) else list(raw_documents)
        if self.input == "content":
            has_bytes = False
            for i, doc in enumerate(docs):
                if not isinstance(doc, str):
                    if not isinstance(doc, bytes):
                        raise ValueError(
                            f"Document {i} is of type {type(doc).__name__}, not str: every "
                            "document must be a string (convert with str(), or drop missing "
                            "values such as NaN first)."
                        )
                    has_bytes = True
            if has_bytes:
                decode = _decode_content(self)
                docs = [decode(doc) for doc in docs]
        return docs

    def _analyze_documents(self, raw_documents):
        """``(documents, analyzer)``: checked, decoded documents and the analyzer for them."""
        self._check_params()
        docs = self._documents(raw_documents)
        return docs, self._make_analyzer(_identity if self.input == "content" else self.decode)


def _identity(doc):
    return doc


def _decode_content(self):
    """Decoder for ``input='content'``: identity unless a document is bytes."""
    encoding, errors = self.encoding, self.decode_error

    def decode(doc):
        return doc.decode(encoding, errors) if isinstance(doc, bytes) else doc

    return decode
