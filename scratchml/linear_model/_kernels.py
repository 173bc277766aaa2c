"""Hot loops of the linear models: elastic-net coordinate descent, SGD and SAGA epochs.

Kernel ``"enet_coordinate_descent"`` minimises, for centred data,

    P(w) = ½ ||y − X w||² + α ||w||₁ + (β/2) ||w||²

(the estimators pass α = n·alpha·l1_ratio and β = n·alpha·(1 − l1_ratio), so P/n is
scikit-learn's objective) by cyclic coordinate descent, keeping the residual
R = y − X w up to date. Coordinate j's exact minimiser, all others fixed, is

    w_j ← S(x_jᵀ R + ||x_j||² w_j, α) / (||x_j||² + β),   S(z, α) = sign(z) max(|z| − α, 0).

Stopping rule (Friedman et al. 2010; the one scikit-learn uses): after a sweep whose
largest |Δw_j| is ≤ tol · max_j |w_j|, compute the duality gap G(w) = P(w) − D(θ)
at the dual point θ = s·R, s = min(1, α / ||XᵀR − β w||_∞), and stop when
G ≤ tol · ||y||². The gap bounds P(w) − P(w*) from above, so this is a certificate.

Signature::

    kernel(w, alpha, beta, XT, y, max_iter, tol) -> (gap, scaled_tol, n_iter)

``XT`` is Xᵀ, C-contiguous (n_features, n_samples), so a column of X is a
contiguous row; ``w`` (float, same dtype) is updated in place (a warm start).

Kernel ``"enet_coordinate_descent_gram"`` is the same descent for n_samples ≫
n_features on Q = XᵀX, q = Xᵀy: it keeps H = Q w, and ||R||² = ||y||² − 2wᵀq + wᵀH::

    kernel(w, alpha, beta, Q, q, y_norm2, max_iter, tol) -> (gap, scaled_tol, n_iter)

The NumPy functions below are the reference; ``kernels/cython/_linear.pyx`` has the
Cython twins (same arithmetic order per coordinate, accumulations may round
differently).
"""

from __future__ import annotations

import numpy as np

from .._backend import register


def duality_gap(w, alpha, beta, XtR, R_norm2, Ry):
    """Duality gap of the elastic net at w, from XᵀR, ||R||² and Rᵀy.

    Returns (gap, ||XᵀR − βw||_∞). With α = 0 the gap of the ridge problem (β > 0) or
    the squared gradient norm (β = 0, least squares) is returned instead.
    """
    XtA = XtR - beta * w
    if alpha == 0:
        norm = float(XtR @ XtR)
        if beta == 0:
            return norm, norm
        return R_norm2 + 0.5 * beta * (w @ w) - Ry + norm / (2 * beta), norm
    dual_norm = float(np.max(np.abs(XtA))) if XtA.size else 0.0
    primal = 0.5 * (R_norm2 + beta * (w @ w)) + alpha * np.abs(w).sum()
    scale = alpha / dual_norm if dual_norm > alpha else 1.0
    dual = -0.5 * scale**2 * (R_norm2 + beta * (w @ w)) + scale * Ry
    return float(primal - dual), dual_norm


def _soft(z, alpha):
    return np.sign(z) * max(abs(z) - alpha, 0.0)


def enet_coordinate_descent_numpy(w, alpha, beta, XT, y, max_iter, tol):
    """NumPy reference of residual-based cyclic coordinate descent (see module docstring)."""
    norms = np.einsum("ij,ij->i", XT, XT)
    R = y - w @ XT
    d_w_tol, tol = tol, tol * float(y @ y)
    # A warm start may already be optimal: check before the first sweep.
    gap, _ = duality_gap(w, alpha, beta, XT @ R, float(R @ R), float(R @ y))
    if gap <= tol:
        return gap, tol, 0
    n_iter = 0
    for n_iter in range(1, max_iter + 1):
        w_max = d_w_max = 0.0
        for j in range(XT.shape[0]):
            if norms[j] == 0.0:
                continue
            w_j = w[j]
            z = XT[j] @ R + norms[j] * w_j
            w[j] = _soft(z, alpha) / (norms[j] + beta)
            if w[j] != w_j:
                R -= (w[j] - w_j) * XT[j]
            d_w_max = max(d_w_max, abs(w[j] - w_j))
            w_max = max(w_max, abs(w[j]))
        if w_max == 0.0 or d_w_max / w_max <= d_w_tol or n_iter == max_iter:
            gap, _ = duality_gap(w, alpha, beta, XT @ R, float(R @ R), float(R @ y))
            if gap <= tol:
                break
    return gap, tol, n_iter


def enet_coordinate_descent_gram_numpy(w, alpha, beta, Q, q, y_norm2, max_iter, tol):
    """NumPy reference of Gram-based cyclic coordinate descent (see module docstring)."""
    H = Q @ w
    d_w_tol, tol = tol, tol * float(y_norm2)
    qw = float(q @ w)
    gap, _ = duality_gap(w, alpha, beta, q - H, float(y_norm2 + w @ H - 2 * qw),
                         float(y_norm2 - qw))
    if gap <= tol:
        return gap, tol, 0
    n_iter = 0
    for n_iter in range(1, max_iter + 1):
        w_max = d_w_max = 0.0
        for j in range(Q.shape[0]):
            if Q[j, j] == 0.0:
                continue
            w_j = w[j]
            z = q[j] - H[j] + w_j * Q[j, j]
            w[j] = _soft(z, alpha) / (Q[j, j] + beta)
            if w[j] != w_j:
                H += (w[j] - w_j) * Q[j]
            d_w_max = max(d_w_max, abs(w[j] - w_j))
            w_max = max(w_max, abs(w[j]))
        if w_max == 0.0 or d_w_max / w_max <= d_w_tol or n_iter == max_iter:
            qw = float(q @ w)
            R_norm2 = float(y_norm2 + w @ H - 2 * qw)
            gap, _ = duality_gap(w, alpha, beta, q - H, R_norm2, float(y_norm2 - qw))
            if gap <= tol:
                break
    return gap, tol, n_iter


register("enet_coordinate_descent", "numpy", enet_coordinate_descent_numpy)
register("enet_coordinate_descent", "cython", "scratchml._cython._linear:enet_cd")
register("enet_coordinate_descent_gram", "numpy", enet_coordinate_descent_gram_numpy)
register("enet_coordinate_descent_gram", "cython", "scratchml._cython._linear:enet_cd_gram")


# --------------------------------------------------------------------------- SGD
#
# Kernel ``"sgd_epoch"``: one pass of stochastic gradient descent over the rows of X
# in the given order, for the loss L(y, p) (p = x·w + b) plus
# α [(1 − ρ)/2 ||w||² + ρ ||w||₁]. Per sample, as in Bottou's SGD and scikit-learn:
#
#     η  = η₀ (constant) | 1 / (α (t₀ + t − 1)) (optimal) | η₀ / t^power_t (invscaling)
#     w ← (1 − (1 − ρ) η α) w − η s ∂L/∂p x,   b ← b − η s ∂L/∂p
#     L1 part: truncated gradient with cumulative penalty (Tsuruoka et al. 2009).
#     averaging (ASGD): w̄ ← w̄ + (w − w̄) / (t − average + 1) once t ≥ average.
#
# Signature::
#
#     kernel(w, avg_w, q, X, y, sw, order, loss, loss_param, alpha, l1_ratio, penalty,
#            schedule, eta0, power_t, optimal_init, t, fit_intercept, average,
#            intercept, avg_intercept, u)
#         -> (intercept, avg_intercept, t, u, objective_sum)
#
# w, avg_w, q are updated in place. Codes: LOSSES / PENALTIES / SCHEDULES below.

LOSSES = {"hinge": 0, "log_loss": 1, "modified_huber": 2, "perceptron": 3,
          "squared_error": 4, "huber": 5, "epsilon_insensitive": 6}
PENALTY_CODES = {None: 0, "l2": 1, "l1": 2, "elasticnet": 3}
SCHEDULES = {"constant": 0, "adaptive": 0, "optimal": 1, "invscaling": 2}
MAX_DLOSS = 1e12  # gradients are clipped, as in scikit-learn, against overflow


def loss_and_derivative(loss, y, p, c):
    """(L(y, p), ∂L/∂p) for one sample; y in {−1, +1} for the classification losses."""
    z = p * y
    if loss == 0:  # hinge
        return max(0.0, 1.0 - z), (-y if z <= 1.0 else 0.0)
    if loss == 1:  # log_loss, log(1 + e^{−z})
        if z > 18:
            return np.exp(-z), -y * np.exp(-z)
        if z < -18:
            return -z, -y
        return np.log1p(np.exp(-z)), -y / (np.exp(z) + 1.0)
    if loss == 2:  # modified_huber
        if z >= 1.0:
            return 0.0, 0.0
        if z >= -1.0:
            return (1.0 - z) ** 2, -2.0 * (1.0 - z) * y
        return -4.0 * z, -4.0 * y
    if loss == 3:  # perceptron
        return max(0.0, -z), (-y if z <= 0.0 else 0.0)
    r = p - y
    if loss == 4:  # squared_error
        return 0.5 * r * r, r
    if loss == 5:  # huber
        if abs(r) <= c:
            return 0.5 * r * r, r
        return c * abs(r) - 0.5 * c * c, (c if r > 0 else -c)
    # epsilon_insensitive
    return max(0.0, abs(r) - c), (1.0 if r > c else (-1.0 if r < -c else 0.0))


def _row_dot(x, w):
    """x·w for a dense row or a sparse (values, columns) row."""
    if isinstance(x, tuple):
        return x[0] @ w[x[1]]
    return x @ w


def _row_axpy(w, a, x):
    """w += a x in place, touching only a sparse row's stored columns."""
    if isinstance(x, tuple):
        np.add.at(w, x[1], a * x[0])  # add.at: duplicate columns add up, as in X @ w
    else:
        w += a * x


def sgd_epoch_numpy(w, avg_w, q, X, y, sw, order, loss, loss_param, alpha, l1_ratio,
                    penalty, schedule, eta0, power_t, optimal_init, t, fit_intercept,
                    average, intercept, avg_intercept, u):
    """NumPy reference of one SGD epoch (see the comment block above)."""
    rho = {0: 0.0, 1: 0.0, 2: 1.0, 3: l1_ratio}[penalty]
    objective = 0.0
    for i in order:
        x = X[i]
        p = _row_dot(x, w) + intercept
        if schedule == 1:
            eta = 1.0 / (alpha * (optimal_init + t - 1))
        elif schedule == 2:
            eta = eta0 / t**power_t
        else:
            eta = eta0
        value, dloss = loss_and_derivative(loss, y[i], p, loss_param)
        objective += value
        if penalty:
            objective += alpha * ((1 - rho) * 0.5 * (w @ w) + rho * np.abs(w).sum())
        update = -eta * min(max(dloss, -MAX_DLOSS), MAX_DLOSS) * sw[i]
        if penalty in (1, 3):
            w *= max(0.0, 1.0 - (1.0 - rho) * eta * alpha)
        if update != 0.0:
            _row_axpy(w, update, x)
        if fit_intercept:
            intercept += update
        if 0 < average <= t:
            mix = 1.0 / (t - average + 1)
            avg_w += (w - avg_w) * mix
            avg_intercept += (intercept - avg_intercept) * mix
        if penalty in (2, 3):
            u += rho * eta * alpha
            z = w.copy()
            pos, neg = w > 0, w < 0
            w[pos] = np.maximum(0.0, w[pos] - (u + q[pos]))
            w[neg] = np.minimum(0.0, w[neg] + (u - q[neg]))
            q += w - z
        t += 1
    return intercept, avg_intercept, t, u, objective


register("sgd_epoch", "numpy", sgd_epoch_numpy)
register("sgd_epoch", "cython", "scratchml._cython._linear:sgd_epoch")


class _CSRRows:
    """``rows[i]`` is row i of a CSR X as (values, columns): what the sparse epoch reads."""

    def __init__(self, data, indices, indptr):
        self.data, self.indices, self.indptr = data, indices, indptr

    def __getitem__(self, i):
        lo, hi = self.indptr[i], self.indptr[i + 1]
        return self.data[lo:hi], self.indices[lo:hi]


def sgd_epoch_sparse_numpy(w, avg_w, q, data, indices, indptr, y, sw, order, loss,
                           loss_param, alpha, l1_ratio, penalty, schedule, eta0, power_t,
                           optimal_init, t, fit_intercept, average, intercept,
                           avg_intercept, u):
    """NumPy reference of kernel ``"sgd_epoch_sparse"``: ``sgd_epoch`` on a CSR X.

    X is given as its CSR arrays (data, indices, indptr); per sample the prediction
    x·w and the update w += a x use only the row's stored entries, everything else
    (schedules, shrinkage, averaging, L1 truncation) is :func:`sgd_epoch_numpy`'s.
    """
    return sgd_epoch_numpy(w, avg_w, q, _CSRRows(data, indices, indptr), y, sw, order,
                           loss, loss_param, alpha, l1_ratio, penalty, schedule, eta0,
                           power_t, optimal_init, t, fit_intercept, average, intercept,
                           avg_intercept, u)


register("sgd_epoch_sparse", "numpy", sgd_epoch_sparse_numpy)
register("sgd_epoch_sparse", "cython", "scratchml._cython._linear:sgd_epoch_sparse")


# --------------------------------------------------------------------------- SAGA
#
# Kernel ``"saga_epoch"``: one epoch of SAGA (Defazio, Bach & Lacoste-Julien 2014) for
# the logistic loss, minimising (1/n) Σ f_i(W) + (λ₂/2)||W||² + λ₁||W||₁ where
# f_i = c_i ℓ(y_i, W x_i + b) (c_i = n s_i / Σ s). SAGA keeps the last gradient g_i of
# every f_i with respect to its scores (a K-vector) and their sum Σ g_i ⊗ x_i; a step
# on sample i uses the unbiased, variance-reduced direction
#
#     (g_new − g_i) ⊗ x_i + (1/n) Σ_j g_j ⊗ x_j + λ₂ W,
#
# then the L1 proximal map W ← sign(W) max(|W| − η λ₁, 0). Intercepts are unpenalised.
# Signature (everything float64 and updated in place)::
#
#     kernel(W, b, g_mem, sum_grad, sum_b, X, y, c, order, multinomial, step,
#            l1, l2, fit_intercept) -> None


def _score_gradient(z, y_i, multinomial):
    """∂ℓ/∂z: σ(z) − y (binary, z of length 1) or softmax(z) − onehot(y)."""
    if not multinomial:
        return np.array([0.5 * (1.0 + np.tanh(0.5 * z[0])) - y_i])
    e = np.exp(z - z.max())
    g = e / e.sum()
    g[int(y_i)] -= 1.0
    return g


def saga_epoch_numpy(W, b, g_mem, sum_grad, sum_b, X, y, c, order, multinomial, step,
                     l1, l2, fit_intercept):
    """NumPy reference of one SAGA epoch (see the comment block above)."""
    n = X.shape[0]
    for i in order:
        x = X[i]
        g_new = c[i] * _score_gradient(W @ x + b, y[i], multinomial)
        delta = g_new - g_mem[i]
        W -= step * (np.outer(delta, x) + sum_grad / n + l2 * W)
        if fit_intercept:
            b -= step * (delta + sum_b / n)
        sum_grad += np.outer(delta, x)
        sum_b += delta
        g_mem[i] = g_new
        if l1 > 0:
            W[:] = np.sign(W) * np.maximum(np.abs(W) - step * l1, 0.0)


register("saga_epoch", "numpy", saga_epoch_numpy)
register("saga_epoch", "cython", "scratchml._cython._linear:saga_epoch")
