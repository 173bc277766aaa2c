"""Text vectorizers: the same matrices as scikit-learn, on generated text.

Documents are drawn from an alphabet mixing ASCII letters, accented and
non-Latin letters, digits, punctuation and white space, so that empty
documents, punctuation-only documents, accents and unicode word characters all
occur. Counts must be equal exactly; tf-idf and hashed values to 1e-12
(float64 sums of a few terms, computed in a different order: a few ulps).
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scratchml.exceptions import NotFittedError
from scratchml.feature_extraction import text as ours
from scratchml.sparse import CSRMatrix

sk = pytest.importorskip("sklearn.feature_extraction.text")

ALPHABET = "abcdeABCDE éèàüñçÉßøΩπжд中文 _-.,!?'\n\t019"
WORDS = ["the", "cat", "Café", "naïve", "and", "dog", "über", "über-cool", "x", "42", "!!",
         "résumé", "über", "a", "is", "ÉCOLE", "ωmega"]
documents = st.lists(
    st.one_of(
        st.text(alphabet=ALPHABET, max_size=40),
        st.lists(st.sampled_from(WORDS), max_size=12).map(" ".join),
    ),
    min_size=1,
    max_size=12,
)

COUNT_PARAMS = [
    {},
    {"ngram_range": (1, 2)},
    {"ngram_range": (2, 3), "lowercase": False},
    {"analyzer": "char", "ngram_range": (1, 3)},
    {"analyzer": "char_wb", "ngram_range": (2, 4)},
    {"stop_words": "english", "strip_accents": "unicode"},
    {"strip_accents": "ascii", "binary": True},
    {"min_df": 2, "max_df": 0.9},
    {"max_df": 2, "max_features": 4},
    {"max_features": 3, "ngram_range": (1, 2)},
    {"token_pattern": r"(?u)\b\w+\b", "min_df": 0.2},
    {"strip_accents": sk.strip_accents_unicode, "lowercase": False},
    {"preprocessor": str.swapcase, "ngram_range": (1, 2)},
    {"tokenizer": str.split, "token_pattern": None, "stop_words": ["the", "and"]},
    {"analyzer": str.split},
]


def _same(a: CSRMatrix, b, exact: bool) -> None:
    """Same shape, same stored entries in the same (sorted) order, same values."""
    assert isinstance(a, CSRMatrix)
    assert a.shape == b.shape
    b = b.copy()
    b.sort_indices()  # scikit-learn may leave columns unsorted within a row; we may not
    for i in range(a.shape[0]):
        assert np.all(np.diff(a.indices[a.indptr[i] : a.indptr[i + 1]]) > 0)
    np.testing.assert_array_equal(a.indptr, b.indptr)
    np.testing.assert_array_equal(a.indices, b.indices)
    if exact:
        np.testing.assert_array_equal(a.data, b.data)
    else:
        # tf-idf / norms: a handful of float64 operations in a different order.
        np.testing.assert_allclose(a.data, b.data, rtol=0, atol=1e-12)


def _fit_both(cls_name, params, docs):
    mine, ref = getattr(ours, cls_name)(**params), getattr(sk, cls_name)(**params)
    try:
        expected = ref.fit_transform(docs)
    except ValueError:
        with pytest.raises(ValueError):
            mine.fit_transform(docs)
        return None, None, None, None
    return mine, ref, mine.fit_transform(docs), expected


@pytest.mark.parametrize("params", COUNT_PARAMS, ids=str)
@given(docs=documents, other=documents)
def test_count_vectorizer_matches_sklearn(params, docs, other):
    mine, ref, got, expected = _fit_both("CountVectorizer", params, docs)
    if mine is None:
        return
    assert mine.get_feature_names_out().tolist() == ref.get_feature_names_out().tolist()
    assert mine.vocabulary_ == {k: int(v) for k, v in ref.vocabulary_.items()}
    assert got.dtype == np.int64
    _same(got, expected, exact=True)
    _same(mine.transform(other), ref.transform(other), exact=True)
    inv = mine.inverse_transform(got)
    for a, b in zip(inv, ref.inverse_transform(expected)):
        assert sorted(a.tolist()) == sorted(b.tolist())


TFIDF_PARAMS = [
    {},
    {"norm": "l1", "sublinear_tf": True},
    {"norm": None, "smooth_idf": False},
    {"use_idf": False, "binary": True},
    {"analyzer": "char_wb", "ngram_range": (1, 3), "sublinear_tf": True},
    {"stop_words": "english", "max_features": 5, "ngram_range": (1, 2)},
]


@pytest.mark.parametrize("params", TFIDF_PARAMS, ids=str)
@given(docs=documents, other=documents)
def test_tfidf_vectorizer_matches_sklearn(params, docs, other):
    mine, ref, got, expected = _fit_both("TfidfVectorizer", params, docs)
    if mine is None:
        return
    assert mine.get_feature_names_out().tolist() == ref.get_feature_names_out().tolist()
    assert got.dtype == np.float64
    if params.get("use_idf", True):
        np.testing.assert_allclose(mine.idf_, ref.idf_, rtol=1e-14)  # one log each
    _same(got, expected, exact=False)
    _same(mine.transform(other), ref.transform(other), exact=False)


HASHING_PARAMS = [
    {},
    {"n_features": 16, "norm": None},
    {"n_features": 7, "alternate_sign": False, "norm": "l1"},
    {"n_features": 5, "binary": True, "norm": None},
    {"analyzer": "char", "ngram_range": (1, 2), "n_features": 64},
    {"ngram_range": (1, 2), "stop_words": "english", "strip_accents": "unicode"},
]


@pytest.mark.parametrize("params", HASHING_PARAMS, ids=str)
@given(docs=documents)
def test_hashing_vectorizer_matches_sklearn(params, docs):
    got = ours.HashingVectorizer(**params).transform(docs)
    expected = sk.HashingVectorizer(**params).transform(docs)
    # Without a norm the entries are integer (signed) counts: exactly equal,
    # explicit zeros from cancelling signs included.
    _same(got, expected, exact=params.get("norm", "l2") is None)


@given(docs=documents)
def test_tfidf_transformer_on_counts_equals_vectorizer(docs):
    cv = ours.CountVectorizer()
    try:
        counts = cv.fit_transform(docs)
    except ValueError:
        return
    tv = ours.TfidfVectorizer().fit(docs)
    tt = ours.TfidfTransformer().fit(counts)
    np.testing.assert_array_equal(tt.idf_, tv.idf_)
    np.testing.assert_array_equal(tt.transform(counts).toarray(), tv.transform(docs).toarray())
    # Dense counts give the same as sparse ones, and the input is left as it was.
    dense = counts.toarray()
    before = dense.copy()
    np.testing.assert_allclose(tt.transform(dense).toarray(), tt.transform(counts).toarray(),
                               rtol=0, atol=1e-15)  # same operations on the same values
    np.testing.assert_array_equal(dense, before)


@given(text=st.text(max_size=60) | st.text(alphabet=ALPHABET, max_size=60))
def test_fast_default_token_pattern_is_equivalent(text):
    import re

    from scratchml.feature_extraction._analysis import (
        DEFAULT_TOKEN_PATTERN,
        DEFAULT_TOKEN_PATTERN_RE,
    )

    assert DEFAULT_TOKEN_PATTERN_RE.findall(text) == re.findall(DEFAULT_TOKEN_PATTERN, text)


def test_tfidf_rows_have_unit_norm_and_documented_idf():
    docs = ["apple banana", "apple cherry cherry", "banana", ""]
    tv = ours.TfidfVectorizer()
    X = tv.fit_transform(docs).toarray()
    norms = np.linalg.norm(X, axis=1)
    np.testing.assert_allclose(norms, [1, 1, 1, 0], atol=1e-15)  # float64 rounding
    df = np.array([2, 2, 1])  # apple, banana, cherry
    np.testing.assert_allclose(tv.idf_, np.log(5 / (1 + df)) + 1, rtol=1e-15)


def test_fixed_vocabulary_mapping_and_iterable():
    docs = ["the cat sat", "a dog sat"]
    by_list = ours.CountVectorizer(vocabulary=["sat", "dog", "zebra"])
    X = by_list.fit_transform(docs).toarray()
    np.testing.assert_array_equal(X, [[1, 0, 0], [1, 1, 0]])
    by_map = ours.CountVectorizer(vocabulary={"sat": 0, "dog": 1, "zebra": 2})
    np.testing.assert_array_equal(by_map.transform(docs).toarray(), X)  # no fit needed
    assert by_map.get_feature_names_out().tolist() == ["sat", "dog", "zebra"]
    with pytest.raises(ValueError, match="Duplicate term"):
        ours.CountVectorizer(vocabulary=["a", "a"]).fit(docs)
    with pytest.raises(ValueError, match="indices"):
        ours.CountVectorizer(vocabulary={"a": 0, "b": 2}).fit(docs)


def test_bytes_documents_are_decoded():
    docs = ["café crème".encode(), "naïve".encode("latin-1"), "plain text"]
    for params in ({"decode_error": "replace"}, {"encoding": "latin-1"}):
        got = ours.CountVectorizer(**params).fit_transform(docs)
        _same(got, sk.CountVectorizer(**params).fit_transform(docs), exact=True)
    with pytest.raises(UnicodeDecodeError):
        ours.CountVectorizer().fit(docs)


def test_dtype_parameter():
    X = ours.CountVectorizer(dtype=np.float32).fit_transform(["a bb bb", "cc"])
    assert X.dtype == np.float32
    X = ours.TfidfVectorizer(dtype=np.float32).fit_transform(["aa bb bb", "cc"])
    assert X.dtype == np.float32


def test_porter_stemmer_as_tokenizer():
    stem = ours.PorterStemmer()
    cv = ours.CountVectorizer(tokenizer=stem.tokenize, token_pattern=None)
    cv.fit(["Connected connections connecting", "connect"])
    assert cv.get_feature_names_out().tolist() == ["connect"]
    analyzer = ours.CountVectorizer().build_analyzer()
    cv2 = ours.CountVectorizer(analyzer=lambda d: [stem.stem(w) for w in analyzer(d)])
    assert cv2.fit(["ponies and caresses"]).get_feature_names_out().tolist() == [
        "and", "caress", "poni"]


@pytest.mark.parametrize("cls", ["CountVectorizer", "TfidfVectorizer", "HashingVectorizer"])
def test_bad_documents_raise_clear_errors(cls):
    vec = getattr(ours, cls)()
    with pytest.raises(ValueError, match=r"Document 1 is of type float"):
        vec.fit_transform(["a text", float("nan"), "more"])
    with pytest.raises(ValueError, match=r"Document 0 is of type int"):
        vec.fit_transform([3])
    with pytest.raises(ValueError, match="string object received"):
        vec.fit_transform("one string")
    with pytest.raises(ValueError, match="1-D"):
        vec.fit_transform(np.array([["a b", "c d"]]))


def test_bad_parameters_and_pruning_errors():
    docs = ["aa bb", "bb cc", "cc dd"]
    with pytest.raises(ValueError, match=r"max_df=0.5 corresponds to < documents than min_df=3"):
        ours.CountVectorizer(min_df=3, max_df=0.5).fit(docs)
    with pytest.raises(ValueError, match="After pruning, no terms remain"):
        ours.CountVectorizer(min_df=3).fit(docs)
    with pytest.raises(ValueError, match="empty vocabulary"):
        ours.CountVectorizer(stop_words="english").fit(["the a of", "", "!!"])
    with pytest.raises(ValueError, match="empty vocabulary"):
        ours.TfidfVectorizer().fit(["", "?"])
    for bad in ({"analyzer": "words"}, {"ngram_range": (2, 1)}, {"strip_accents": "latin"},
                {"stop_words": "french"}, {"max_df": 1.5}, {"min_df": -1},
                {"max_features": 0}, {"token_pattern": r"(a)(b)"}):
        with pytest.raises(ValueError, match=next(iter(bad))):
            ours.CountVectorizer(**bad).fit(docs)
    with pytest.raises(ValueError, match="norm"):
        ours.TfidfVectorizer(norm="l3").fit(docs)
    with pytest.raises(ValueError, match="n_features"):
        ours.HashingVectorizer(n_features=0).transform(docs)
    with pytest.raises(NotFittedError, match="CountVectorizer"):
        ours.CountVectorizer().transform(docs)


def test_hashing_vectorizer_is_stateless_and_handles_many_documents():
    docs = [f"word{i % 97} other{i % 13} shared" for i in range(3000)]
    hv = ours.HashingVectorizer(n_features=2**10)
    a = hv.transform(docs)
    b = sk.HashingVectorizer(n_features=2**10).transform(docs)
    # 3000 documents span several internal bundles; the result must not depend on them.
    _same(a, b, exact=False)
    np.testing.assert_array_equal(hv.fit_transform(docs[:5]).toarray(), a.toarray()[:5])


@pytest.mark.parametrize("cls, params", [
    ("CountVectorizer", {"ngram_range": (1, 2), "stop_words": "english"}),
    ("TfidfVectorizer", {"sublinear_tf": True, "max_features": 6}),
    ("HashingVectorizer", {"n_features": 32}),
])
def test_save_load_pickle_and_clone_round_trips(cls, params, tmp_path):
    import copy
    import pickle

    import scratchml
    from scratchml.base import clone

    docs = ["The quick brown fox", "jumps over the lazy dog", "the fox, the dog!", ""]
    vec = getattr(ours, cls)(**params)
    expected = vec.fit_transform(docs).toarray()
    assert not [k for k in vars(clone(vec)) if k.endswith("_")]  # clone is unfitted
    scratchml.save(vec, tmp_path / "vec.zip")
    for other in (scratchml.load(tmp_path / "vec.zip"), pickle.loads(pickle.dumps(vec)),
                  copy.deepcopy(vec)):
        assert type(other) is type(vec)
        np.testing.assert_array_equal(other.transform(docs).toarray(), expected)


def test_tfidf_transformer_round_trips_and_float32(tmp_path):
    import pickle

    import scratchml

    counts = ours.CountVectorizer().fit_transform(["a bb bb cc", "bb dd", "cc cc cc"])
    tt = ours.TfidfTransformer(sublinear_tf=True).fit(counts)
    expected = tt.transform(counts).toarray()
    scratchml.save(tt, tmp_path / "tt.zip")
    for other in (scratchml.load(tmp_path / "tt.zip"), pickle.loads(pickle.dumps(tt))):
        np.testing.assert_array_equal(other.transform(counts).toarray(), expected)
    dense32 = counts.toarray().astype(np.float32)
    out32 = ours.TfidfTransformer().fit(dense32).transform(dense32)
    assert out32.dtype == np.float32
    ref = sk.TfidfTransformer().fit_transform(dense32).toarray()
    np.testing.assert_allclose(out32.toarray(), ref, rtol=1e-6)  # float32 rounding
    with pytest.raises(ValueError, match="X has 2 features, but TfidfTransformer"):
        tt.transform(counts.toarray()[:, :2])


def test_hashing_vectorizer_same_on_every_backend(backend):
    import scratchml

    if backend == "cuda":
        pytest.skip("murmurhash3_32 has no CUDA twin")
    docs = ["Ünïcode wörds and ascii words", "", "...", "中文 text, the end"]
    with scratchml.config_context(backend=backend):
        got = ours.HashingVectorizer(n_features=2**8).transform(docs)
    _same(got, sk.HashingVectorizer(n_features=2**8).transform(docs), exact=False)


def test_package_imports_lazily():
    import subprocess
    import sys

    code = ("import sys, scratchml.feature_extraction as fe; "
            "assert 'scratchml.feature_extraction.text' not in sys.modules; "
            "assert fe.CountVectorizer is fe.text.CountVectorizer")
    subprocess.run([sys.executable, "-c", code], check=True)
