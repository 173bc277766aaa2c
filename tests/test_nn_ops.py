"""scratchml.nn ops: gradients vs central finite differences, graph semantics, errors."""

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import scratchml.nn as nn
from scratchml.nn import Tensor

F64 = np.float64


def values(shape, lo=-2.0, hi=2.0):
    return hnp.arrays(F64, shape, elements=st.floats(lo, hi, allow_nan=False, width=64))


small_shapes = hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4)


def numeric_grad(f, x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """Central differences of the scalar f at x: (f(x + εe_i) − f(x − εe_i)) / 2ε."""
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        up = f(x)
        x[i] = old - eps
        down = f(x)
        x[i] = old
        grad[i] = (up - down) / (2 * eps)
    return grad


def check_grads(fn, *arrays, seed=0):
    """Analytic gradients of L = Σ fn(*xs) · R (R random) equal the finite differences."""
    tensors = [Tensor(a.copy(), requires_grad=True) for a in arrays]
    out = fn(*tensors)
    R = np.random.default_rng(seed).standard_normal(out.shape)
    (out * R).sum().backward()
    for k, a in enumerate(arrays):
        def f(v, k=k):
            args = [Tensor(v if j == k else arrays[j]) for j in range(len(arrays))]
            return float(np.sum(fn(*args).data * R))

        expected = numeric_grad(f, a.copy())
        # Central differences in float64 with ε = 1e-6: truncation O(ε²·f''') and
        # rounding O(1e-16/ε) errors stay below 1e-7 for these smooth, O(1) functions.
        np.testing.assert_allclose(tensors[k].grad, expected, rtol=1e-5, atol=1e-6)


def away_from(x, points=(0.0,), gap=1e-3):
    """Keep x off the kinks of non-smooth functions, where the derivative jumps."""
    return all(np.all(np.abs(x - p) > gap) for p in points)


UNARY = {
    "exp": (nn.exp, None),
    "log": (nn.log, "positive"),
    "sqrt": (nn.sqrt, "positive"),
    "abs": (nn.abs, "kink"),
    "tanh": (nn.tanh, None),
    "sigmoid": (nn.sigmoid, None),
    "relu": (nn.relu, "kink"),
    "leaky_relu": (lambda x: nn.leaky_relu(x, 0.1), "kink"),
    "gelu": (nn.gelu, None),
    "neg": (lambda x: -x, None),
    "pow3": (lambda x: x**3, None),
    "rdiv": (lambda x: 1.0 / x, "positive"),
    "rsub": (lambda x: 2.0 - x, None),
    "clip": (lambda x: nn.clip(x, -0.5, 0.7), "clip"),
    "softmax0": (lambda x: nn.softmax(x, axis=0), None),
    "softmax-1": (lambda x: nn.softmax(x, axis=-1), None),
    "log_softmax": (lambda x: nn.log_softmax(x, axis=-1), None),
    "sum": (lambda x: x.sum(axis=0, keepdims=True), None),
    "sum_all": (lambda x: x.sum(), None),
    "mean": (lambda x: x.mean(axis=-1), None),
    "var": (lambda x: nn.var(x, axis=0, ddof=0), None),
    "max": (lambda x: x.max(axis=-1), "distinct"),
    "min": (lambda x: x.min(), "distinct"),
    "reshape": (lambda x: x.reshape(-1), None),
    "transpose": (lambda x: x.transpose(), None),
    "slice": (lambda x: x[..., ::2] * 3, None),
    "take": (lambda x: x[np.array([0, 0, -1])], None),  # repeated rows add up
    "dropout_eval": (lambda x: nn.dropout(x, 0.5, training=False), None),
}


@pytest.mark.parametrize("name", sorted(UNARY))
@given(data=st.data())
def test_unary_gradient_matches_finite_differences(name, data):
    fn, kind = UNARY[name]
    shape = data.draw(small_shapes)
    lo = 0.1 if kind == "positive" else -2.0
    x = data.draw(values(shape, lo=lo))
    if kind == "kink":
        assume(away_from(x))
    if kind == "clip":
        assume(away_from(x, (-0.5, 0.7)))
    if kind == "distinct":
        assume(len(np.unique(np.round(x, 3))) == x.size)
    check_grads(fn, x)


BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / (b * b + 1.0),
    "maximum": lambda a, b: nn.maximum(a, b),
    "where": lambda a, b: nn.where(a.data > 0.3, a, b),
    "pow": lambda a, b: (a * a + 0.5) ** b,
}


@pytest.mark.parametrize("name", sorted(BINARY))
@given(data=st.data())
def test_binary_gradient_with_broadcasting(name, data):
    shapes = data.draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=3))
    a = data.draw(values(shapes.input_shapes[0]))
    b = data.draw(values(shapes.input_shapes[1]))
    if name == "maximum":
        assume(np.all(np.abs(np.subtract(a, b)) > 1e-3))
    if name == "where":
        assume(away_from(a, (0.3,)))
    check_grads(BINARY[name], a, b)


@given(data=st.data())
def test_matmul_gradient_batched_and_1d(data):
    n, k, m = data.draw(st.tuples(*[st.integers(1, 4)] * 3))
    batch = data.draw(st.sampled_from([(), (2,), (3, 1)]))
    a = data.draw(values(batch + (n, k)))
    b = data.draw(values((k, m)))
    v = data.draw(values((k,)))
    check_grads(lambda x, y: x @ y, a, b)
    check_grads(lambda x, y: x @ y, a, v)
    check_grads(lambda x, y: x @ y, v, b)


@given(data=st.data())
def test_shape_ops_gradients(data):
    a = data.draw(values((2, 3)))
    b = data.draw(values((2, 3)))
    check_grads(lambda x, y: nn.concatenate([x, y, x], axis=1), a, b)
    check_grads(lambda x, y: nn.stack([x, y], axis=-1), a, b)
    check_grads(lambda x: x.permute(1, 0).reshape(3, 2, 1), a)


@given(data=st.data())
def test_conv_and_pool_gradients(data):
    stride, padding = data.draw(st.sampled_from([(1, 0), (1, 1), (2, 1)]))
    x = data.draw(values((2, 2, 5, 5)))
    w = data.draw(values((3, 2, 3, 3)))
    b = data.draw(values((3,)))
    check_grads(lambda x, w, b: nn.conv2d(x, w, b, stride=stride, padding=padding), x, w, b)
    # A permutation of well-separated values: no pooling window has a tie.
    perm = data.draw(st.permutations(range(100)))
    x = np.array(perm, dtype=F64).reshape(2, 2, 5, 5) * 0.04 - 2
    check_grads(lambda x: nn.max_pool2d(x, 2), x)
    check_grads(lambda x: nn.max_pool2d(x, 3, stride=1), x)


@given(x=values((4, 3)), y=st.lists(st.integers(0, 2), min_size=4, max_size=4),
       smoothing=st.sampled_from([0.0, 0.2]), weighted=st.booleans())
def test_loss_gradients(x, y, smoothing, weighted):
    y = np.array(y)
    w = np.array([0.5, 1.0, 2.0]) if weighted else None
    check_grads(lambda z: nn.cross_entropy(z, y, weight=w, label_smoothing=smoothing), x)
    t = np.tanh(x[::-1].copy())
    check_grads(lambda z: nn.mse_loss(z, t), x)
    check_grads(lambda z: nn.binary_cross_entropy_with_logits(z, (t > 0) * 1.0), x)
    assume(away_from(np.abs(x - t), (1.0,)))
    check_grads(lambda z: nn.huber_loss(z, t, delta=1.0), x)


def test_value_used_twice_accumulates():
    x = Tensor(np.array([1.0, -2.0, 3.0]), requires_grad=True)
    y = x * x + x  # x reaches y by three paths
    y.sum().backward()
    np.testing.assert_array_equal(x.grad, 2 * x.data + 1)
    # A second graph adds to the stored gradient (until zero_grad).
    (x * 3).sum().backward()
    np.testing.assert_array_equal(x.grad, 2 * x.data + 4)


def test_backward_twice_raises_unless_retain_graph():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    y = (x.exp() * 2).sum()
    y.backward(retain_graph=True)
    y.backward()
    np.testing.assert_allclose(x.grad, 4 * np.exp(x.data))
    with pytest.raises(RuntimeError, match="second time"):
        y.backward()


def test_no_grad_records_nothing():
    w = Tensor(np.ones(3), requires_grad=True)
    with nn.no_grad():
        y = (w * 2).exp().sum()
    assert not y.requires_grad and y._parents == () and y._backward is None
    assert nn.is_grad_enabled()

    @nn.no_grad()
    def f(t):
        return t * 2

    assert not f(w).requires_grad


def test_dropout_scales_and_masks():
    x = Tensor(np.ones((200, 50)), requires_grad=True)
    y = nn.dropout(x, 0.25, training=True, generator=np.random.default_rng(0))
    kept = y.data != 0
    np.testing.assert_allclose(y.data[kept], 1 / 0.75)
    assert abs(kept.mean() - 0.75) < 0.02  # 10,000 Bernoulli draws: std 0.004
    y.sum().backward()
    np.testing.assert_allclose(x.grad, y.data)


def test_default_dtype_is_float32_and_float64_on_request():
    assert Tensor([1, 2]).dtype == np.float32
    assert Tensor([1.5, 2.0]).dtype == np.float32 and Tensor(3.0).dtype == np.float32
    assert Tensor(np.ones(2)).dtype == np.float64  # a float64 array keeps its precision
    assert Tensor([1, 2], dtype=np.float64).dtype == np.float64
    x = Tensor(np.ones(2, dtype=np.float32), requires_grad=True)
    y = (x * 2.5 + 1) / 3
    assert y.dtype == np.float32


def test_errors_are_clear():
    with pytest.raises(ValueError, match=r"\(3, 4\) and \(5, 2\)"):
        Tensor(np.ones((3, 4))) @ Tensor(np.ones((5, 2)))
    x = Tensor(np.ones((2, 3)), requires_grad=True)
    with pytest.raises(RuntimeError, match=r"shape \(2, 3\).*gradient"):
        (x * 2).backward()
    with pytest.raises(ValueError, match="label 7.*3 classes"):
        nn.cross_entropy(Tensor(np.ones((2, 3))), np.array([0, 7]))
    with pytest.raises(ValueError, match="label -1"):
        nn.cross_entropy(Tensor(np.ones((2, 3))), np.array([-1, 0]))
    with pytest.raises(ValueError, match="empty parameter list"):
        nn.Adam([])
    with pytest.raises(RuntimeError, match="does not require grad"):
        Tensor(np.ones(1)).backward()
    x = Tensor(np.ones((2, 3)), requires_grad=True)
    (x * 2).backward(np.ones((2, 3)))  # with the gradient argument it is fine
    np.testing.assert_array_equal(x.grad, 2 * np.ones((2, 3)))
