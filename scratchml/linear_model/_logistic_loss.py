"""Logistic-regression objectives and their solvers (L-BFGS; proximal Newton + coordinate descent).

Objective (scikit-learn's, divided by S = Σ s_i so its scale does not grow with n):

    F(W) = (1/S) Σ s_i ℓ(y_i, x_i Wᵀ + b) + 1/(C S) [ρ ||W||₁ + (1 − ρ)/2 ||W||²],

with ℓ the binary log-loss log(1 + e^z) − y z (one coefficient vector) or the
multinomial log-loss logsumexp(z) − z_y (one vector per class). Intercepts are not
penalised. ρ = 0 is the L2 penalty, ρ = 1 the L1 penalty, C = ∞ no penalty.
"""

from __future__ import annotations

import numpy as np

from .._backend import get_kernel
from . import _kernels  # noqa: F401  (registers the coordinate-descent kernels)
from ._lbfgs import minimize_lbfgs


def expit(z):
    """σ(z) = 1 / (1 + e^−z), computed as ½(1 + tanh(z/2)): no overflow for any z."""
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def log_softmax(Z):
    Z = Z - Z.max(axis=1, keepdims=True)
    return Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))


class LogisticObjective:
    """Loss and gradient of the smooth part (log-loss + L2) for packed parameters.

    Parameters are packed as W with shape (k, p + fit_intercept), the intercept in the
    last column; k = 1 for binary problems (y in {0, 1}), else the number of classes.
    """

    def __init__(self, X, y, sw, k, fit_intercept, l2):
        self.X, self.y, self.k, self.fit_intercept = X, y, k, fit_intercept
        self.S = sw.sum()
        self.w = sw / self.S
        self.l2 = l2
        self.p = X.shape[1]
        if k > 1:
            self.Y = np.zeros((len(y), k))
            self.Y[np.arange(len(y)), y] = 1.0

    def shape(self):
        return (self.k, self.p + int(self.fit_intercept))

    def scores(self, W):
        if self.k == 1:  # one contiguous vector: a BLAS matrix-vector product
            Z = (self.X @ np.ascontiguousarray(W[0, :self.p]))[:, None]
        else:
            Z = self.X @ W[:, :self.p].T
        if self.fit_intercept:
            Z += W[:, self.p]
        return Z

    def loss_grad(self, flat):
        W = flat.reshape(self.shape())
        Z = self.scores(W)
        coef = W[:, :self.p]
        if self.k == 1:
            z = Z[:, 0]
            # One exponential serves both terms: with e = exp(−|z|),
            # log(1 + e^z) = max(z, 0) + log1p(e) and σ(z) = 1/(1 + e) or e/(1 + e).
            e = np.exp(-np.abs(z))
            loss = self.w @ (np.maximum(z, 0.0) + np.log1p(e) - self.y * z)
            inv = 1.0 / (1.0 + e)
            sigma = np.where(z >= 0, inv, e * inv)
            R = (self.w * (sigma - self.y))[:, None]
        else:
            logP = log_softmax(Z)
            loss = -(self.w @ (logP * self.Y).sum(axis=1))
            R = (np.exp(logP) - self.Y) * self.w[:, None]
        G = np.empty_like(W)
        if self.k == 1:
            G[0, :self.p] = self.X.T @ R[:, 0] + self.l2 * coef[0]
        else:
            G[:, :self.p] = R.T @ self.X + self.l2 * coef
        if self.fit_intercept:
            G[:, self.p] = R.sum(axis=0)
        loss += 0.5 * self.l2 * np.sum(coef * coef)
        return float(loss), G.ravel()


def solve_lbfgs(obj, W0, max_iter, tol):
    """Minimise the smooth objective with :func:`minimize_lbfgs`; gtol = tol as in sklearn."""
    x, f, g, n_iter, converged = minimize_lbfgs(obj.loss_grad, W0.ravel(), max_iter=max_iter,
                                                gtol=tol)
    return x.reshape(obj.shape()), n_iter, converged


def _l1_term(obj, W, l1):
    return l1 * np.abs(W[:, :obj.p]).sum()


def _kkt_violation(obj, G, W, l1):
    """Largest violation of the optimality conditions of F = smooth + l1 ||W||₁.

    For w_j ≠ 0: |g_j + l1 sign(w_j)|; for w_j = 0: max(|g_j| − l1, 0); intercepts: |g|.
    """
    coef, g = W[:, :obj.p], G[:, :obj.p]
    v = np.where(coef != 0, np.abs(g + l1 * np.sign(coef)), np.maximum(np.abs(g) - l1, 0.0))
    worst = float(v.max(initial=0.0))
    if obj.fit_intercept:
        worst = max(worst, float(np.abs(G[:, obj.p]).max()))
    return worst


def solve_newton_cd(obj, W0, l1, max_iter, tol):
    """Proximal Newton with coordinate descent (glmnet / newGLMNET) for L1 / elastic net.

    Each outer iteration replaces the log-loss of class c (cycling over classes) by its
    second-order expansion in the scores: weights h_i = s_i p_i (1 − p_i) and working
    response z_i − (p_i − y_i)/p_i(1 − p_i). That is a weighted elastic-net least-squares
    problem, solved by the Gram coordinate-descent kernel; a backtracking line search
    on the full objective makes every step a descent. Stops when the optimality
    (KKT) violation is ≤ tol.
    """
    W = np.array(W0, dtype=np.float64)
    p, X = obj.p, obj.X
    cd, _ = get_kernel("enet_coordinate_descent_gram")
    l2 = obj.l2

    def full(Wt):
        f, G = obj.loss_grad(Wt.ravel())
        return f + _l1_term(obj, Wt, l1), G.reshape(W.shape)

    F, G = full(W)
    for it in range(1, max_iter + 1):
        if _kkt_violation(obj, G, W, l1) <= tol:
            return W, it - 1, True
        for c in range(obj.k):
            Z = obj.scores(W)
            if obj.k == 1:
                P = expit(Z[:, 0])
                target = obj.y
            else:
                P = np.exp(log_softmax(Z))[:, c]
                target = obj.Y[:, c]
            h = np.maximum(P * (1 - P), 1e-10)
            v = obj.w * h
            work = Z[:, c] - (P - target) / h  # working response
            if obj.fit_intercept:
                mu = (v @ X) / v.sum()
                t_mean = (v @ work) / v.sum()
            else:
                mu, t_mean = np.zeros(p), 0.0
            Xc = X - mu
            Q = np.ascontiguousarray((Xc * v[:, None]).T @ Xc)
            q = Xc.T @ (v * (work - t_mean))
            w_new = W[c, :p].copy()
            cd(w_new, l1, l2, Q, q, float(v @ (work - t_mean) ** 2), 1000, 1e-15)
            D = np.zeros_like(W)
            D[c, :p] = w_new - W[c, :p]
            if obj.fit_intercept:
                D[c, p] = (t_mean - mu @ w_new) - W[c, p]
            # Armijo backtracking for the composite objective (Tseng & Yun 2009).
            delta = float(G.ravel() @ D.ravel()) + _l1_term(obj, W + D, l1) - _l1_term(obj, W, l1)
            step = 1.0
            for _ in range(30):
                F_new, G_new = full(W + step * D)
                if F_new <= F + 1e-4 * step * delta:
                    break
                step *= 0.5
            else:
                return W, it, False
            W = W + step * D
            rel = (F - F_new) / max(abs(F), abs(F_new), 1.0)
            F, G = F_new, G_new
        if obj.k == 1 and rel <= 1e-15:
            return W, it, _kkt_violation(obj, G, W, l1) <= tol
    return W, max_iter, _kkt_violation(obj, G, W, l1) <= tol


def solve_saga(obj, W0, l1, max_iter, tol, rng):
    """SAGA epochs (kernel ``"saga_epoch"``) until max|ΔW| ≤ tol · max|W| over an epoch.

    Step 1/(3L), L = max_i c_i κ (||x_i||² + 1) + λ₂ the largest smoothness constant of
    the sample losses (κ = 1/4 binary, 1/2 multinomial); the stopping rule is
    scikit-learn's for its SAG/SAGA solvers. Returns (W, epochs, converged).
    """
    fn, _ = get_kernel("saga_epoch")
    n, p = obj.X.shape
    c = n * obj.w  # f_i = c_i ℓ_i, so that (1/n) Σ f_i is the 1/S-weighted loss
    kappa = 0.25 if obj.k == 1 else 0.5
    L = float(np.max(c * kappa * (np.einsum("ij,ij->i", obj.X, obj.X) + obj.fit_intercept)))
    step = 1.0 / (3.0 * (L + obj.l2))
    W = np.ascontiguousarray(W0[:, :p], dtype=np.float64)
    b = np.ascontiguousarray(W0[:, p] if obj.fit_intercept else np.zeros(obj.k))
    g_mem = np.zeros((n, obj.k))
    sum_grad = np.zeros_like(W)
    sum_b = np.zeros(obj.k)
    y = np.asarray(obj.y, dtype=np.float64)
    for epoch in range(1, max_iter + 1):
        before = W.copy()
        fn(W, b, g_mem, sum_grad, sum_b, obj.X, y, c, rng.permutation(n).astype(np.intp),
           obj.k > 1, step, l1, obj.l2, bool(obj.fit_intercept))
        change = np.max(np.abs(W - before), initial=0.0)
        if change <= tol * max(np.max(np.abs(W), initial=0.0), 1e-300):
            return _pack(obj, W, b), epoch, True
    return _pack(obj, W, b), max_iter, False


def _pack(obj, W, b):
    return np.column_stack([W, b]) if obj.fit_intercept else W.copy()
