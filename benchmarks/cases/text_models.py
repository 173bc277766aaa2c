"""Text models: classifiers on sparse document-term matrices.

Data: 20,000 generated documents of ~200 words (quick: 2,000). Background words are
drawn from a 30,000-word Zipf (s = 1.1) vocabulary of random lower-case words; each
document also gets ~3 words from the topic-word list of its class (4 classes, 60
topic words each, drawn from the vocabulary's mid-frequency ranks), so the label is
learnable from the words. Count and tf-idf matrices are built once with
scikit-learn's ``CountVectorizer`` / ``TfidfVectorizer`` (cached), and converted
with ``CSRMatrix.from_scipy`` for scratchml. The first 80% of documents train, the
rest test.

``multinomial_nb[counts]``: ``MultinomialNB().fit`` on the counts, predict on the
test rows; scratchml on the ``CSRMatrix``, scikit-learn on the SciPy matrix.
``logistic_regression[tfidf]``: ``LogisticRegression(C=1, max_iter=100)`` on the
tf-idf matrix, same (lbfgs) solver settings on both sides.

Score: test accuracy. Compare: the fraction of equal test predictions, and for
naive Bayes the largest |difference| of ``feature_log_prob_``.
"""

from __future__ import annotations

import functools

import numpy as np

from benchmarks.harness import Case, Side, register

N_CLASSES, TOPIC_WORDS, TOPIC_PER_DOC = 4, 60, 3
LOGREG_PARAMS = {"C": 1.0, "max_iter": 100, "tol": 1e-4}


def _words(rng, vocab_size: int) -> np.ndarray:
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
    lengths = rng.integers(3, 11, size=vocab_size)
    return np.array(["".join(rng.choice(letters, size=k)) for k in lengths])


@functools.lru_cache(maxsize=1)
def make_data(n_docs: int, words_per_doc: int = 200, vocab_size: int = 30_000,
              seed: int = 0) -> dict:
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

    from scratchml.sparse import CSRMatrix

    rng = np.random.default_rng(seed)
    words = _words(rng, vocab_size)
    p = np.arange(1, vocab_size + 1) ** -1.1
    p /= p.sum()
    # Topic words: distinct mid-frequency ranks, one disjoint list per class.
    topics = rng.choice(np.arange(200, 5_000), size=(N_CLASSES, TOPIC_WORDS), replace=False)
    y = rng.integers(0, N_CLASSES, n_docs)
    lengths = rng.poisson(words_per_doc, size=n_docs)
    n_topic = rng.poisson(TOPIC_PER_DOC, size=n_docs)
    background = rng.choice(vocab_size, size=int(lengths.sum()), p=p)
    topical = topics[np.repeat(y, n_topic), rng.integers(0, TOPIC_WORDS, int(n_topic.sum()))]
    docs = [" ".join(words[np.concatenate((bg, tp))]) + "."
            for bg, tp in zip(np.split(background, np.cumsum(lengths)[:-1]),
                              np.split(topical, np.cumsum(n_topic)[:-1]))]
    counts = CountVectorizer().fit_transform(docs).astype(np.float64)
    tfidf = TfidfVectorizer().fit_transform(docs)
    n_train = int(0.8 * n_docs)
    out = {"y_train": y[:n_train], "y_test": y[n_train:]}
    for name, M in (("counts", counts), ("tfidf", tfidf)):
        M = M.tocsr()
        out[f"{name}_train_scipy"], out[f"{name}_test_scipy"] = M[:n_train], M[n_train:]
        out[f"{name}_train"] = CSRMatrix.from_scipy(M[:n_train])
        out[f"{name}_test"] = CSRMatrix.from_scipy(M[n_train:])
    return out


def _side(library: str, model: str, matrix: str):
    suffix = "" if library == "scratchml" else "_scipy"

    def make():
        import importlib

        if model == "nb":
            module = "scratchml.naive_bayes" if library == "scratchml" else "sklearn.naive_bayes"
            return importlib.import_module(module).MultinomialNB()
        module = "scratchml.linear_model" if library == "scratchml" else "sklearn.linear_model"
        return importlib.import_module(module).LogisticRegression(**LOGREG_PARAMS)

    def fit(data):
        return make().fit(data[f"{matrix}_train{suffix}"], data["y_train"])

    def predict(est, data):
        return est, est.predict(data[f"{matrix}_test{suffix}"])

    return Side("scratchml" if library == "scratchml" else "scikit-learn", fit=fit,
                predict=predict, requires=() if library == "scratchml" else ("sklearn", "scipy"))


def accuracy(output, data) -> float:
    return float(np.mean(output[1] == data["y_test"]))


def compare(ours, ref, data) -> dict:
    out = {"predictions equal": float(np.mean(ours[1] == ref[1]))}
    if hasattr(ours[0], "feature_log_prob_"):
        out["max |feature_log_prob_ diff|"] = float(
            np.max(np.abs(ours[0].feature_log_prob_ - ref[0].feature_log_prob_)))
    return out


for _name, _model, _matrix, _what in (
    ("multinomial_nb[counts]", "nb", "counts", "MultinomialNB on the term counts"),
    ("logistic_regression[tfidf]", "logreg", "tfidf",
     "LogisticRegression(C=1, lbfgs) on the tf-idf matrix"),
):
    register(Case(
        name=_name,
        family="text_models",
        description=f"{_what}: fit on 80% of 20,000 documents of ~200 words (30,000-word Zipf "
                    "vocabulary, 4 topic classes), predict the rest; CSRMatrix vs SciPy csr",
        data=make_data,
        params=dict(n_docs=20_000),
        quick_params=dict(n_docs=2_000),
        ours=_side("scratchml", _model, _matrix),
        ref=_side("sklearn", _model, _matrix),
        score=accuracy,
        score_name="test accuracy",
        compare=compare,
        repeats=3,  # full-size logistic regression fits take tens of seconds per side
    ))
