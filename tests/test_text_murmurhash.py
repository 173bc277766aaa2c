"""The ``murmurhash3_32`` kernel: every backend gives the NumPy reference's hashes,
and the reference gives scikit-learn's ``murmurhash3_32`` (x86, 32-bit, signed).

Hashes are integers, so agreement is exact.
"""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scratchml._backend import get_kernel
from scratchml.feature_extraction._kernels import _murmurhash3_32_numpy, encode_tokens

# Every code point but lone surrogates (which are not valid UTF-8), NUL included.
tokens_st = st.lists(
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=23), max_size=40)


@given(tokens=tokens_st, seed=st.sampled_from([0, 1, 42, 2**32 - 1]))
def test_reference_matches_sklearn(tokens, seed):
    sk_hash = pytest.importorskip("sklearn.utils").murmurhash3_32
    expected = [sk_hash(t.encode("utf-8"), seed=seed) for t in tokens]
    buf, starts, lengths = encode_tokens(tokens)
    np.testing.assert_array_equal(_murmurhash3_32_numpy(buf, starts, lengths, seed), expected)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])  # backend is a name
@given(tokens=tokens_st, seed=st.integers(0, 2**32 - 1))
def test_every_backend_agrees_with_reference(backend, tokens, seed):
    if backend == "cuda":
        pytest.skip("murmurhash3_32 has no CUDA twin: hashing is not the hot loop on a GPU")
    fn, _ = get_kernel("murmurhash3_32", backend)
    buf, starts, lengths = encode_tokens(tokens)
    expected = _murmurhash3_32_numpy(buf, starts, lengths, seed)
    got = fn(buf, starts, lengths, seed)
    assert got.dtype == np.int32
    np.testing.assert_array_equal(got, expected)


def test_encode_tokens_boundaries():
    tokens = ["", "a", "é中", "", "x\x00y", "last"]
    buf, starts, lengths = encode_tokens(tokens)
    assert [bytes(buf[s : s + n]) for s, n in zip(starts, lengths)] == [
        t.encode("utf-8") for t in tokens]
    buf, starts, lengths = encode_tokens(["plain", "", "ascii"])
    assert [bytes(buf[s : s + n]) for s, n in zip(starts, lengths)] == [b"plain", b"", b"ascii"]
    assert encode_tokens([])[1].size == 0


def test_native_kernel_rejects_out_of_range_tokens(backend):
    if backend != "cython":
        pytest.skip("bounds checks of the compiled kernel")
    fn, _ = get_kernel("murmurhash3_32", backend)
    buf = np.frombuffer(b"abc", dtype=np.uint8)
    with pytest.raises(ValueError, match="outside buf"):
        fn(buf, np.array([1], dtype=np.int64), np.array([5], dtype=np.int64), 0)
