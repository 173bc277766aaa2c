"""Contract settings for the text vectorizers (scratchml/feature_extraction/).

CountVectorizer, TfidfVectorizer and HashingVectorizer take a 1-D sequence of
documents (str), not a numeric 2-D X: the checks built on the suite's numeric
data do not apply to them. tests/test_text.py checks instead their outputs
against scikit-learn, their errors for non-string documents, save/load and
clone round trips, and that transform before fit raises NotFittedError.
HashingVectorizer is stateless (as in scikit-learn): transform needs no fit.

TfidfTransformer takes a numeric X and passes the input checks, but returns a
scratchml.sparse.CSRMatrix, which the suite's dense output comparisons
(``assert_array_equal`` on outputs) cannot compare; tests/test_text.py compares
its ``toarray()`` after save/load, pickle and float32 input instead.
"""

from contract_overrides import FIT_CHECKS

_NEEDS_DOCUMENTS = "takes a 1-D sequence of str documents, not a numeric X (tests/test_text.py)"
_DOCUMENT_CHECKS = FIT_CHECKS
_SPARSE_OUTPUT = ("returns a CSRMatrix, which the suite's dense output comparison cannot "
                  "compare; checked on toarray() in tests/test_text.py")

OVERRIDES = {
    name: {"skip": dict.fromkeys(_DOCUMENT_CHECKS, _NEEDS_DOCUMENTS)}
    for name in ("CountVectorizer", "TfidfVectorizer", "HashingVectorizer")
}
OVERRIDES["TfidfTransformer"] = {
    "skip": dict.fromkeys(
        ("test_same_random_state_same_result", "test_save_load_and_pickle_round_trips",
         "test_accepts_lists_and_float32"),
        _SPARSE_OUTPUT,
    )
}
