"""scratchml.nn against PyTorch (CPU, float64): random graphs, layers, losses, optimizers."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import scratchml.nn as nn
from scratchml.nn import Tensor

torch = pytest.importorskip("torch")
F = torch.nn.functional

# Same arithmetic in float64 on both sides; only the order of floating-point
# operations differs, so results agree to ~1e-12. 1e-6 relative is the bar.
RTOL, ATOL = 1e-6, 1e-9

UNARY = [
    ("exp", lambda x: x.exp() * 0.1, lambda x: x.exp() * 0.1),
    ("tanh", nn.tanh, torch.tanh),
    ("sigmoid", nn.sigmoid, torch.sigmoid),
    ("gelu", nn.gelu, lambda x: F.gelu(x, approximate="tanh")),
    ("softplus-ish", lambda x: nn.log(nn.exp(x) + 1.0), lambda x: torch.log(torch.exp(x) + 1)),
    ("softmax", lambda x: nn.softmax(x, -1), lambda x: torch.softmax(x, -1)),
    ("log_softmax", lambda x: nn.log_softmax(x, 0), lambda x: torch.log_softmax(x, 0)),
    ("sq", lambda x: x**2, lambda x: x**2),
    ("sqrt", lambda x: nn.sqrt(x * x + 1.0), lambda x: torch.sqrt(x * x + 1)),
    ("mean", lambda x: x - x.mean(axis=0, keepdims=True), lambda x: x - x.mean(0, keepdim=True)),
    ("var", lambda x: x * nn.var(x, axis=1, keepdims=True, ddof=1),
     lambda x: x * x.var(1, keepdim=True, correction=1)),
    ("amax", lambda x: x - x.max(axis=1, keepdims=True), lambda x: x - x.amax(1, keepdim=True)),
    ("transpose", lambda x: (x.T @ x) * 0.1, lambda x: (x.T @ x) * 0.1),
]
BINARY = [
    ("add", lambda a, b: a + b, lambda a, b: a + b),
    ("mul", lambda a, b: a * b, lambda a, b: a * b),
    ("sub", lambda a, b: 0.5 - a - b, lambda a, b: 0.5 - a - b),
    ("div", lambda a, b: a / (b * b + 1.0), lambda a, b: a / (b * b + 1)),
    ("matmul", lambda a, b: a @ b.T * 0.3, lambda a, b: a @ b.T * 0.3),
    ("maximum", nn.maximum, torch.maximum),
]


@given(
    seed=st.integers(0, 2**32 - 1),
    program=st.lists(st.tuples(st.booleans(), st.integers(0, 100), st.integers(0, 100),
                               st.integers(0, 100)), min_size=1, max_size=8),
)
def test_random_graphs_match_torch(seed, program):
    """Apply a random sequence of ops to a pool of (3, 3) tensors; compare values and grads."""
    rng = np.random.default_rng(seed)
    leaves = [rng.standard_normal((3, 3)) for _ in range(3)]
    ours = [Tensor(a, requires_grad=True) for a in leaves]
    theirs = [torch.tensor(a, requires_grad=True) for a in leaves]
    pool_o, pool_t = list(ours), list(theirs)
    for is_unary, k, i, j in program:
        if is_unary:
            _, fo, ft = UNARY[k % len(UNARY)]
            x = i % len(pool_o)
            pool_o.append(fo(pool_o[x]))
            pool_t.append(ft(pool_t[x]))
        else:
            _, fo, ft = BINARY[k % len(BINARY)]
            x, y = i % len(pool_o), j % len(pool_o)
            pool_o.append(fo(pool_o[x], pool_o[y]))
            pool_t.append(ft(pool_t[x], pool_t[y]))
    # Every intermediate feeds the loss, so values used several times are exercised.
    loss_o = sum(((t * t).mean() for t in pool_o[3:]), Tensor(np.zeros(())))
    loss_t = sum((t * t).mean() for t in pool_t[3:])
    np.testing.assert_allclose(loss_o.data, loss_t.detach().numpy(), rtol=RTOL, atol=ATOL)
    if not loss_o.requires_grad:
        return
    loss_o.backward()
    loss_t.backward()
    for o, t in zip(ours, theirs):
        expected = np.zeros((3, 3)) if t.grad is None else t.grad.numpy()
        got = np.zeros((3, 3)) if o.grad is None else o.grad
        np.testing.assert_allclose(got, expected, rtol=RTOL, atol=ATOL)


def _compare_grads(pairs):
    for o, t in pairs:
        np.testing.assert_allclose(o.grad, t.grad.numpy(), rtol=RTOL, atol=ATOL)


@given(seed=st.integers(0, 2**32 - 1), smoothing=st.sampled_from([0.0, 0.1]),
       weighted=st.booleans(), reduction=st.sampled_from(["mean", "sum", "none"]))
def test_losses_match_torch(seed, smoothing, weighted, reduction):
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((6, 4)) * 3
    y = rng.integers(0, 4, 6)
    w = rng.uniform(0.5, 2, 4) if weighted else None
    zo, zt = Tensor(z, requires_grad=True), torch.tensor(z, requires_grad=True)
    lo = nn.cross_entropy(zo, y, weight=w, label_smoothing=smoothing, reduction=reduction)
    lt = F.cross_entropy(zt, torch.tensor(y), weight=None if w is None else torch.tensor(w),
                         label_smoothing=smoothing, reduction=reduction)
    t = rng.standard_normal((6, 4))
    b = (t > 0) * 1.0
    lo = lo.sum() + nn.mse_loss(zo, t, reduction=reduction).sum() \
        + nn.huber_loss(zo, t, 0.7, reduction=reduction).sum() \
        + nn.binary_cross_entropy_with_logits(zo, b, reduction=reduction).sum()
    lt = lt.sum() + F.mse_loss(zt, torch.tensor(t), reduction=reduction).sum() \
        + F.huber_loss(zt, torch.tensor(t), reduction=reduction, delta=0.7).sum() \
        + F.binary_cross_entropy_with_logits(zt, torch.tensor(b), reduction=reduction).sum()
    np.testing.assert_allclose(lo.data, lt.item(), rtol=RTOL)
    lo.backward()
    lt.backward()
    _compare_grads([(zo, zt)])


def _twin(module_o, module_t):
    """Copy our parameters into the torch module (same names), in float64."""
    module_t = module_t.double()
    with torch.no_grad():
        for name, p in module_o.named_parameters():
            module_t.get_parameter(name).copy_(torch.tensor(p.data))
    return module_t


def test_layers_match_torch():
    rng = np.random.default_rng(0)
    cnn_o = nn.Sequential(nn.Conv2d(2, 4, 3, padding=1, dtype=np.float64, generator=1),
                          nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                          nn.Linear(4 * 3 * 3, 5, dtype=np.float64, generator=2), nn.Tanh(),
                          nn.Linear(5, 3, dtype=np.float64, generator=3))
    cnn_t = _twin(cnn_o, torch.nn.Sequential(
        torch.nn.Conv2d(2, 4, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Flatten(), torch.nn.Linear(36, 5), torch.nn.Tanh(), torch.nn.Linear(5, 3)))
    x = rng.standard_normal((4, 2, 7, 7))
    xo, xt = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    out_o, out_t = cnn_o(xo), cnn_t(xt)
    np.testing.assert_allclose(out_o.data, out_t.detach().numpy(), rtol=RTOL, atol=ATOL)
    (out_o * out_o).sum().backward()
    (out_t * out_t).sum().backward()
    _compare_grads([(xo, xt)] + [(p, cnn_t.get_parameter(n)) for n, p in cnn_o.named_parameters()])

    for ours, theirs, inp in [
        (nn.BatchNorm1d(3, dtype=np.float64), torch.nn.BatchNorm1d(3), rng.standard_normal((5, 3))),
        (nn.LayerNorm(3, dtype=np.float64), torch.nn.LayerNorm(3), rng.standard_normal((5, 3))),
    ]:
        theirs = _twin(ours, theirs)
        xo, xt = Tensor(inp, requires_grad=True), torch.tensor(inp, requires_grad=True)
        out_o, out_t = ours(xo), theirs(xt)
        np.testing.assert_allclose(out_o.data, out_t.detach().numpy(), rtol=RTOL, atol=ATOL)
        (out_o * out_o * out_o).sum().backward()
        (out_t**3).sum().backward()
        _compare_grads([(xo, xt)])
        if isinstance(ours, nn.BatchNorm1d):
            np.testing.assert_allclose(ours.running_var, theirs.running_var.numpy(), rtol=RTOL)
            ours.eval(), theirs.eval()
            np.testing.assert_allclose(ours(Tensor(inp)).data, theirs(xt).detach().numpy(),
                                       rtol=RTOL, atol=ATOL)

    emb = nn.Embedding(5, 2, dtype=np.float64, generator=0)
    idx = np.array([[0, 4, 0], [1, 1, 1]])
    out = emb(idx)
    (out * out).sum().backward()
    expected = np.zeros((5, 2))
    np.add.at(expected, idx, 2 * emb.weight.data[idx])
    np.testing.assert_allclose(emb.weight.grad, expected)


OPTIMIZERS = [
    (nn.SGD, torch.optim.SGD, dict(lr=0.1)),
    (nn.SGD, torch.optim.SGD, dict(lr=0.1, momentum=0.9, weight_decay=0.01)),
    (nn.SGD, torch.optim.SGD, dict(lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.1)),
    (nn.SGD, torch.optim.SGD, dict(lr=0.05, momentum=0.5, dampening=0.3)),
    (nn.Adam, torch.optim.Adam, dict(lr=0.01)),
    (nn.Adam, torch.optim.Adam, dict(lr=0.01, betas=(0.8, 0.99), weight_decay=0.1)),
    (nn.AdamW, torch.optim.AdamW, dict(lr=0.01, weight_decay=0.1)),
    (nn.RMSprop, torch.optim.RMSprop, dict(lr=0.01)),
    (nn.RMSprop, torch.optim.RMSprop, dict(lr=0.01, momentum=0.9, centered=True,
                                           weight_decay=0.1)),
    (nn.Adagrad, torch.optim.Adagrad, dict(lr=0.1, lr_decay=0.01, weight_decay=0.1,
                                           initial_accumulator_value=0.1)),
]


@pytest.mark.parametrize("ours_cls, torch_cls, kwargs", OPTIMIZERS,
                         ids=[f"{o.__name__}-{i}" for i, (o, _, _) in enumerate(OPTIMIZERS)])
def test_optimizer_steps_match_torch(ours_cls, torch_cls, kwargs):
    rng = np.random.default_rng(1)
    shapes = [(3, 4), (4,), (2,)]
    init = [rng.standard_normal(s) for s in shapes]
    ours = [Tensor(a.copy(), requires_grad=True) for a in init]
    theirs = [torch.tensor(a.copy(), requires_grad=True) for a in init]
    opt_o, opt_t = ours_cls(ours, **kwargs), torch_cls(theirs, **kwargs)
    for step in range(4):
        grads = [rng.standard_normal(s) for s in shapes]
        for o, t, g in zip(ours, theirs, grads):
            o.grad = g.copy()
            t.grad = torch.tensor(g)
        if step == 3:  # one parameter without a gradient: the per-parameter path
            ours[2].grad, theirs[2].grad = None, None
        opt_o.step()
        opt_t.step()
        for o, t in zip(ours, theirs):
            # Same formulas, float64; only the operation order differs (~1e-15).
            np.testing.assert_allclose(o.data, t.detach().numpy(), rtol=1e-10, atol=1e-12)


def test_zero_grad_and_clip_grad_norm_match_torch():
    rng = np.random.default_rng(2)
    grads = [rng.standard_normal((3, 3)) * 5, rng.standard_normal(4)]
    ours = [Tensor(np.zeros(g.shape), requires_grad=True) for g in grads]
    theirs = [torch.zeros(g.shape, dtype=torch.float64, requires_grad=True) for g in grads]
    for o, t, g in zip(ours, theirs, grads):
        o.grad, t.grad = g.copy(), torch.tensor(g)
    total_o = nn.clip_grad_norm_(ours, 1.0)
    total_t = torch.nn.utils.clip_grad_norm_(theirs, 1.0)
    assert total_o == pytest.approx(total_t.item(), rel=1e-12)
    for o, t in zip(ours, theirs):
        np.testing.assert_allclose(o.grad, t.grad.numpy(), rtol=1e-12)
    opt = nn.SGD(ours, lr=0.1)
    opt.zero_grad()
    assert all(p.grad is None for p in ours)


SCHEDULERS = [
    (nn.StepLR, torch.optim.lr_scheduler.StepLR, dict(step_size=3, gamma=0.5)),
    (nn.ExponentialLR, torch.optim.lr_scheduler.ExponentialLR, dict(gamma=0.9)),
    (nn.CosineAnnealingLR, torch.optim.lr_scheduler.CosineAnnealingLR,
     dict(T_max=7, eta_min=0.01)),
]


@pytest.mark.parametrize("ours_cls, torch_cls, kwargs", SCHEDULERS,
                         ids=[o.__name__ for o, _, _ in SCHEDULERS])
def test_schedulers_match_torch(ours_cls, torch_cls, kwargs):
    p_o, p_t = Tensor(np.zeros(2), requires_grad=True), torch.zeros(2, requires_grad=True)
    opt_o, opt_t = nn.SGD([p_o], lr=0.3), torch.optim.SGD([p_t], lr=0.3)
    s_o, s_t = ours_cls(opt_o, **kwargs), torch_cls(opt_t, **kwargs)
    for _ in range(20):
        # Closed forms vs PyTorch's recursive updates: equal up to rounding.
        assert s_o.get_last_lr()[0] == pytest.approx(s_t.get_last_lr()[0], rel=1e-9, abs=1e-12)
        opt_t.step()
        s_o.step()
        s_t.step()


def test_reduce_on_plateau_matches_torch():
    p_o, p_t = Tensor(np.zeros(2), requires_grad=True), torch.zeros(2, requires_grad=True)
    opt_o, opt_t = nn.Adam([p_o], lr=1.0), torch.optim.Adam([p_t], lr=1.0)
    kw = dict(factor=0.5, patience=2, cooldown=1, min_lr=0.05, threshold=0.01)
    s_o = nn.ReduceLROnPlateau(opt_o, **kw)
    s_t = torch.optim.lr_scheduler.ReduceLROnPlateau(opt_t, **kw)
    metrics = [5, 4, 4, 4, 4, 3.99, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2]
    for m in metrics:
        s_o.step(m)
        s_t.step(m)
        assert opt_o.param_groups[0]["lr"] == pytest.approx(opt_t.param_groups[0]["lr"])


def test_state_dict_round_trips_exactly():
    net = nn.Sequential(nn.Linear(3, 4, generator=0), nn.BatchNorm1d(4), nn.ReLU(),
                        nn.Linear(4, 2, generator=1))
    net(Tensor(np.random.default_rng(0).standard_normal((8, 3))))  # moves running stats
    state = net.state_dict()
    other = nn.Sequential(nn.Linear(3, 4, generator=5), nn.BatchNorm1d(4), nn.ReLU(),
                          nn.Linear(4, 2, generator=6))
    opt = nn.Adam(other.parameters())  # flattens: loading must write in place
    other.load_state_dict(state)
    for key, value in other.state_dict().items():
        np.testing.assert_array_equal(value, state[key])
        assert value.dtype == state[key].dtype
    assert all(p.data.base is not None for p in other.parameters())  # still optimizer views
    assert opt.param_groups[0]["params"][0] is other.parameters()[0]
    with pytest.raises(KeyError, match="missing"):
        other.load_state_dict({k: v for k, v in state.items() if k != "0.bias"})
    with pytest.raises(ValueError, match="shape"):
        other.load_state_dict({**state, "0.bias": np.zeros(7)})
