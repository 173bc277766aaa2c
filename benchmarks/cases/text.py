"""Text: tf-idf and hashing vectorizers on generated documents.

``tfidf_fit_transform``: ``TfidfVectorizer().fit_transform`` on 20,000
documents of ~200 words drawn from a 30,000-word Zipf (s = 1.1) vocabulary of
random lower-case words, against scikit-learn's; ``hashing_transform``:
``HashingVectorizer().transform`` on the same documents. Quick: 2,000 documents.

Scores: each side's number of stored entries; compare: whether the vocabularies
agree and the largest absolute difference of the dense values (hashing: of the
CSR data, which share the structure).
"""

from __future__ import annotations

import functools

import numpy as np

from benchmarks.harness import Case, Side, register


@functools.lru_cache(maxsize=1)
def make_corpus(n_docs: int, words_per_doc: int = 200, vocab_size: int = 30_000,
                seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
    word_lengths = rng.integers(3, 11, size=vocab_size)
    words = np.array(["".join(rng.choice(letters, size=k)) for k in word_lengths])
    ranks = np.arange(1, vocab_size + 1)
    p = ranks ** -1.1
    p /= p.sum()
    lengths = rng.poisson(words_per_doc, size=n_docs)
    picks = rng.choice(vocab_size, size=int(lengths.sum()), p=p)
    cuts = np.cumsum(lengths)[:-1]
    docs = [" ".join(words[ids]) + "." for ids in np.split(picks, cuts)]
    return {"docs": docs}


def _tfidf_ours(data):
    from scratchml.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer()
    return vec, vec.fit_transform(data["docs"])


def _tfidf_sklearn(data):
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer()
    return vec, vec.fit_transform(data["docs"])


def _hashing_ours(data):
    from scratchml.feature_extraction.text import HashingVectorizer

    return None, HashingVectorizer().transform(data["docs"])


def _hashing_sklearn(data):
    from sklearn.feature_extraction.text import HashingVectorizer

    return None, HashingVectorizer().transform(data["docs"])


def nnz(output, data) -> float:
    return float(output[1].data.size)


def compare(ours, ref, data) -> dict:
    out = {}
    if ours[0] is not None:
        out["same vocabulary"] = float(
            list(ours[0].get_feature_names_out()) == list(ref[0].get_feature_names_out()))
    a, b = ours[1], ref[1].copy()
    b.sort_indices()  # scikit-learn leaves columns unsorted after renumbering its vocabulary
    same = (np.array_equal(a.indptr, b.indptr) and np.array_equal(a.indices, b.indices))
    out["same structure"] = float(same)
    if same:
        out["max |value diff|"] = float(np.max(np.abs(a.data - b.data), initial=0.0))
    return out


for _name, _ours, _ref, _what in (
    ("tfidf_fit_transform", _tfidf_ours, _tfidf_sklearn, "TfidfVectorizer.fit_transform"),
    ("hashing_transform", _hashing_ours, _hashing_sklearn, "HashingVectorizer.transform"),
):
    register(Case(
        name=_name,
        family="text",
        description=f"{_what}, 20,000 documents of ~200 words, 30,000-word Zipf vocabulary",
        data=make_corpus,
        params=dict(n_docs=20_000),
        quick_params=dict(n_docs=2_000),
        ours=Side("scratchml", call=_ours),
        ref=Side("scikit-learn", call=_ref, requires=("sklearn",)),
        score=nnz,
        score_name="stored entries",
        compare=compare,
    ))
