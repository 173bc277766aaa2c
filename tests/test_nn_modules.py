"""scratchml.nn modules, initializers and the minibatch iterator."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import scratchml.nn as nn
from scratchml.nn import Tensor


@given(n=st.integers(1, 50), batch=st.integers(1, 20), drop_last=st.booleans(),
       seed=st.integers(0, 1000))
def test_minibatches_cover_rows_once_in_a_seeded_order(n, batch, drop_last, seed):
    X, y = np.arange(n * 2).reshape(n, 2), np.arange(n)
    batches = list(nn.minibatches(X, y, batch_size=batch, generator=seed, drop_last=drop_last))
    seen = np.concatenate([yb for _, yb in batches]) if batches else np.array([], int)
    assert all(len(yb) == batch for _, yb in batches[:-1])
    if drop_last:
        assert len(seen) == n - n % batch and all(len(yb) == batch for _, yb in batches)
    else:
        assert sorted(seen) == list(range(n))
    assert len(set(seen.tolist())) == len(seen)
    for xb, yb in batches:
        np.testing.assert_array_equal(xb[:, 0], 2 * yb)  # rows stay aligned
    again = [yb for _, yb in nn.minibatches(X, y, batch_size=batch, generator=seed,
                                            drop_last=drop_last)]
    assert all(np.array_equal(a, b) for a, b in zip(again, (yb for _, yb in batches)))


def test_initializers_are_seeded_and_scaled():
    w = Tensor(np.zeros((200, 300)))
    nn.init.kaiming_uniform_(w, generator=0)
    bound = np.sqrt(2) * np.sqrt(3 / 300)
    assert np.abs(w.data).max() <= bound and np.abs(w.data).max() > 0.99 * bound
    again = nn.init.kaiming_uniform_(Tensor(np.zeros((200, 300))), generator=0)
    np.testing.assert_array_equal(w.data, again.data)
    x = nn.init.xavier_normal_(Tensor(np.zeros((200, 300))), generator=1)
    # 60,000 draws: the sample std is within 1% of sqrt(2 / 500).
    assert abs(x.data.std() / np.sqrt(2 / 500) - 1) < 0.01
    k = nn.init.kaiming_normal_(Tensor(np.zeros((64, 8, 3, 3))), generator=2)
    assert abs(k.data.std() / np.sqrt(2 / 72) - 1) < 0.05  # fan_in = 8·3·3; 4,608 draws


def test_fused_linear_relu_equals_separate_ops():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((5, 4))
    lin = nn.Linear(4, 3, dtype=np.float64, generator=0)
    fused = nn.Sequential(lin, nn.ReLU())
    xa, xb = Tensor(x, requires_grad=True), Tensor(x, requires_grad=True)
    a = fused(xa)
    b = nn.relu(xb @ lin.weight.T + lin.bias)
    assert a._op == "linear" and b._op == "relu"
    np.testing.assert_allclose(a.data, b.data, rtol=1e-14)
    (a * a).sum().backward()
    ga = [xa.grad.copy(), lin.weight.grad.copy()]
    lin.zero_grad()
    (b * b).sum().backward()
    np.testing.assert_allclose(ga[0], xb.grad, rtol=1e-12)
    np.testing.assert_allclose(ga[1], lin.weight.grad, rtol=1e-12)


def test_module_registration_train_eval_and_dropout():
    net = nn.Sequential(nn.Linear(3, 4, generator=0), nn.Dropout(0.5, generator=0),
                        nn.Linear(4, 2, generator=1))
    assert len(net.parameters()) == 4 and len(net) == 3
    x = Tensor(np.ones((6, 3)))
    net.eval()
    assert not net[1].training
    np.testing.assert_array_equal(net(x).data, net(x).data)  # no dropout in eval mode
    net.train()
    assert net[1].training
    assert "Linear(3, 4)" in repr(net)
    with pytest.raises(ValueError, match=r"5 features.*expects 4"):
        nn.Linear(4, 2)(Tensor(np.ones((2, 5))))


def test_tied_linear_weight_accumulates_both_uses():
    """The fused backward writes the first weight gradient into the buffer; a second use adds."""
    rng = np.random.default_rng(3)
    lin = nn.Linear(3, 3, dtype=np.float64, generator=0)
    opt = nn.SGD(lin.parameters(), lr=0.1)  # gives the weight a preallocated gradient buffer
    x = Tensor(rng.standard_normal((4, 3)))
    for _ in range(2):  # the second round reuses the buffers after zero_grad
        opt.zero_grad()
        out = lin(nn.relu(lin(x)))
        (out * out).sum().backward()
        got = lin.weight.grad.copy()
        W = Tensor(lin.weight.data.copy(), requires_grad=True)
        b = Tensor(lin.bias.data.copy())
        ref = nn.relu(x @ W.T + b) @ W.T + b
        (ref * ref).sum().backward()
        np.testing.assert_allclose(got, W.grad, rtol=1e-12)


@pytest.mark.parametrize("name", ["Adam", "AdamW", "SGD", "RMSprop", "Adagrad"])
def test_threaded_update_equals_serial(name):
    """Large groups are updated by slices in threads: bit-identical to one serial pass."""
    import scratchml

    rng = np.random.default_rng(0)
    init, grads = rng.standard_normal(70_000), rng.standard_normal((3, 70_000))
    kwargs = {"SGD": dict(lr=0.1, momentum=0.9)}.get(name, {})
    results = []
    for parallel_min in (10**9, 1 << 16):
        p = Tensor(init.astype(np.float32), requires_grad=True)
        opt = getattr(nn, name)([p], **kwargs)
        opt._parallel_min = parallel_min
        with scratchml.config_context(n_jobs=2):
            for g in grads:
                p.grad = g.astype(np.float32)
                opt.step()
        results.append(p.data.copy())
    np.testing.assert_array_equal(results[0], results[1])
