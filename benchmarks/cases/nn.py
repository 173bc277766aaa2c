"""Neural networks: scratchml.nn vs PyTorch (CPU, eager); MLPClassifier vs scikit-learn.

``mlp_epoch[batch=B]``: one epoch of a 784-256-10 ReLU MLP with Adam over 60,000
random float32 rows (quick: 6,000), same initial weights, same batch order, same
thread count (``torch.set_num_threads`` = NumPy's BLAS threads, read with
threadpoolctl). Extra numbers: the epoch's achieved GFLOP/s and this machine's
float32 GEMM rate measured with NumPy in the same run.
``mlp_classifier_digits``: MLPClassifier((100,), adam, 200 epochs, no early stop)
vs scikit-learn's on 1,347 digits; score: held-out accuracy on the other 450.
``cnn_digits``: conv 8 (3x3) -> ReLU -> max-pool 2 -> linear, Adam, 5 epochs,
batch 16, vs the same network in PyTorch; score: held-out accuracy.

On a busy machine, multi-threaded BLAS/OpenMP spends most of a small GEMM waiting
for its threads; ``OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 python -m benchmarks.run
--only mlp_epoch`` compares both sides on one thread (scratchml.nn's optimizer
threads honour these variables too).
"""

from __future__ import annotations

import functools
import time
import warnings

import numpy as np

from benchmarks.harness import Case, Side, register

HIDDEN, N_IN, N_OUT = 256, 784, 10


def _blas_threads() -> int:
    try:
        from threadpoolctl import threadpool_info

        counts = [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"]
        return max(counts) if counts else 1
    except ImportError:
        import os

        return os.cpu_count() or 1


def _sync_torch_threads():
    import torch

    torch.set_num_threads(_blas_threads())


@functools.lru_cache(maxsize=2)
def make_mlp_data(n: int, batch: int, seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, N_IN), dtype=np.float32)
    y = rng.integers(0, N_OUT, n)
    b1, b2 = 1 / np.sqrt(N_IN), 1 / np.sqrt(HIDDEN)
    init = [rng.uniform(-b1, b1, (HIDDEN, N_IN)), rng.uniform(-b1, b1, HIDDEN),
            rng.uniform(-b2, b2, (N_OUT, HIDDEN)), rng.uniform(-b2, b2, N_OUT)]
    init = [a.astype(np.float32) for a in init]
    order = rng.permutation(n)
    batches = [order[i:i + batch] for i in range(0, n, batch)]
    return {"X": X, "y": y, "init": init, "batches": batches, "n": n}


def ours_mlp_epoch(d):
    import scratchml.nn as nn

    net = nn.Sequential(nn.Linear(N_IN, HIDDEN, generator=0), nn.ReLU(),
                        nn.Linear(HIDDEN, N_OUT, generator=0))
    for p, v in zip(net.parameters(), d["init"]):
        p.data[...] = v
    opt = nn.Adam(net.parameters(), lr=1e-3)
    X, y = d["X"], d["y"]
    for idx in d["batches"]:
        loss = nn.cross_entropy(net(nn.Tensor(X.take(idx, axis=0))), y.take(idx))
        opt.zero_grad()
        loss.backward()
        opt.step()
    return float(loss.data)


def torch_mlp_epoch(d):
    import torch

    _sync_torch_threads()
    net = torch.nn.Sequential(torch.nn.Linear(N_IN, HIDDEN), torch.nn.ReLU(),
                              torch.nn.Linear(HIDDEN, N_OUT))
    with torch.no_grad():
        for p, v in zip(net.parameters(), d["init"]):
            p.copy_(torch.from_numpy(v))
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    X, y = torch.from_numpy(d["X"]), torch.from_numpy(d["y"])
    for idx in d["batches"]:
        i = torch.from_numpy(idx)
        loss = torch.nn.functional.cross_entropy(net(X[i]), y[i])
        opt.zero_grad()
        loss.backward()
        opt.step()
    return float(loss.item())


def _mlp_extra(d, result) -> dict:
    """Achieved GFLOP/s of our epoch vs NumPy's float32 GEMM peak, same process."""
    n = d["n"]
    # Forward 2·(784·256 + 256·10) and backward 2·784·256 (dW1, no dX) + 2·2·256·10 per row.
    flops = n * (4 * N_IN * HIDDEN + 6 * HIDDEN * N_OUT)
    seconds = result["sides"]["ours"]["median"]["call"]
    A = np.random.default_rng(0).standard_normal((2048, 2048), dtype=np.float32)
    A @ A
    reps, start = 5, time.perf_counter()
    for _ in range(reps):
        A @ A
    peak = reps * 2 * 2048**3 / (time.perf_counter() - start) / 1e9
    achieved = flops / seconds / 1e9
    return {"epoch GFLOP/s (ours)": achieved, "numpy sgemm GFLOP/s": peak,
            "fraction of sgemm peak": achieved / peak, "threads": _blas_threads()}


for _batch in (128, 32):
    register(Case(
        name=f"mlp_epoch[batch={_batch}]", family="nn",
        description=f"784-256-10 ReLU MLP, Adam, one epoch, batch {_batch}, float32, "
                    "vs PyTorch CPU eager (same init, batch order, threads)",
        data=make_mlp_data,
        params=dict(n=60_000, batch=_batch), quick_params=dict(n=3_000, batch=_batch),
        ours=Side("scratchml.nn", call=ours_mlp_epoch),
        ref=Side("torch", call=torch_mlp_epoch, requires=("torch",)),
        score=lambda loss, d: loss, score_name="last batch loss",
        extra=_mlp_extra, repeats=3, quick_repeats=3, measure_memory=False,
    ))


@functools.lru_cache(maxsize=1)
def make_digits(seed: int = 0, images: bool = False) -> dict:
    from scratchml.datasets import load_digits

    X, y = load_digits(return_X_y=True)
    order = np.random.default_rng(seed).permutation(len(X))
    X, y = X[order], y[order]
    if images:
        X = ((X - X.mean()) / X.std()).astype(np.float32).reshape(-1, 1, 8, 8)
    else:
        X = X / 16.0
    return {"Xtr": X[450:], "ytr": y[450:], "Xte": X[:450], "yte": y[:450]}


def _mlp_params(epochs):
    return dict(hidden_layer_sizes=(100,), solver="adam", max_iter=epochs, tol=0.0,
                n_iter_no_change=10**6, random_state=0)


def _fit_quietly(est, d):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ConvergenceWarning: a fixed number of epochs is asked
        return est.fit(d["Xtr"], d["ytr"])


def _accuracy(pred, d):
    return float(np.mean(pred == d["yte"]))


def make_clf_data(epochs: int, seed: int = 0):
    return {**make_digits(seed), "epochs": epochs}


register(Case(
    name="mlp_classifier_digits", family="nn",
    description="MLPClassifier((100,), adam, fixed epochs) vs scikit-learn's, digits",
    data=make_clf_data, params=dict(epochs=200), quick_params=dict(epochs=20),
    ours=Side("scratchml", fit=lambda d: _fit_quietly(
        __import__("scratchml.neural_network", fromlist=["x"]).MLPClassifier(
            **_mlp_params(d["epochs"])), d),
        predict=lambda m, d: m.predict(d["Xte"])),
    ref=Side("scikit-learn", fit=lambda d: _fit_quietly(
        __import__("sklearn.neural_network", fromlist=["x"]).MLPClassifier(
            **_mlp_params(d["epochs"])), d),
        predict=lambda m, d: m.predict(d["Xte"]), requires=("sklearn",)),
    score=_accuracy, score_name="held-out accuracy",
))


def ours_cnn(d):
    import scratchml.nn as nn

    rng = np.random.default_rng(0)
    net = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1, generator=rng), nn.ReLU(),
                        nn.MaxPool2d(2), nn.Flatten(), nn.Linear(128, 10, generator=rng))
    opt = nn.Adam(net.parameters(), lr=0.01)
    sched = nn.CosineAnnealingLR(opt, T_max=len(d["batches"]) * d["epochs"])
    for _ in range(d["epochs"]):
        for idx in d["batches"]:
            loss = nn.cross_entropy(net(nn.Tensor(d["Xtr"][idx])), d["ytr"][idx],
                                    label_smoothing=0.1)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
    with nn.no_grad():
        return net(nn.Tensor(d["Xte"])).data.argmax(axis=1)


def torch_cnn(d):
    import torch

    _sync_torch_threads()
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Conv2d(1, 8, 3, padding=1), torch.nn.ReLU(),
                              torch.nn.MaxPool2d(2), torch.nn.Flatten(),
                              torch.nn.Linear(128, 10))
    opt = torch.optim.Adam(net.parameters(), lr=0.01)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=len(d["batches"]) * d["epochs"])
    X, y = torch.from_numpy(d["Xtr"]), torch.from_numpy(d["ytr"])
    for _ in range(d["epochs"]):
        for idx in d["batches"]:
            i = torch.from_numpy(idx)
            loss = torch.nn.functional.cross_entropy(net(X[i]), y[i], label_smoothing=0.1)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
    with torch.no_grad():
        return net(torch.from_numpy(d["Xte"])).argmax(dim=1).numpy()


def make_cnn_data(epochs: int, batch: int = 16, seed: int = 0):
    d = dict(make_digits(seed, images=True))
    order = np.random.default_rng(seed + 1).permutation(len(d["Xtr"]))
    d["batches"] = [order[i:i + batch] for i in range(0, len(order), batch)]
    d["epochs"] = epochs
    return d


register(Case(
    name="cnn_digits", family="nn",
    description="conv 8 -> ReLU -> pool -> linear on digits, Adam + cosine, vs PyTorch",
    data=make_cnn_data, params=dict(epochs=5), quick_params=dict(epochs=1),
    ours=Side("scratchml.nn", call=ours_cnn),
    ref=Side("torch", call=torch_cnn, requires=("torch",)),
    score=_accuracy, score_name="held-out accuracy", repeats=3, quick_repeats=2,
    measure_memory=False,
))
