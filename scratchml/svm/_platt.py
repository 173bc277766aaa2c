"""Probabilities for SVC: Platt scaling and pairwise coupling (as libsvm computes them).

Platt (2000), with the numerically careful Newton method of Lin, Lin & Weng (2007):
a decision value f becomes P(y = +1 | f) = 1 / (1 + exp(A f + B)), where (A, B)
minimise the cross-entropy against the smoothed targets t+ = (N+ + 1)/(N+ + 2),
t- = 1/(N- + 2). The decision values are *out of sample*: each comes from a model
trained on the other four of five folds (libsvm's svm_binary_svc_probability).

With k classes, the pairwise estimates r_ij ~ P(i | i or j) are coupled into one
distribution p by method 2 of Wu, Lin & Weng (2004):

    min_p  sum_i sum_{j != i} (r_ji p_i - r_ij p_j)^2,   sum p = 1, p >= 0,

solved by the fixed-point iteration of libsvm's multiclass_probability.
"""

from __future__ import annotations

import numpy as np

MIN_PROB = 1e-7  # libsvm clips pairwise probabilities to [1e-7, 1 - 1e-7]


def _log1pexp_terms(f: np.ndarray, t: np.ndarray) -> float:
    """Cross-entropy sum, in the overflow-free form of Lin, Lin & Weng."""
    pos = f >= 0
    return float(np.sum(np.where(pos, t * f + np.log1p(np.exp(-np.abs(f))),
                                 (t - 1) * f + np.log1p(np.exp(-np.abs(f))))))


def sigmoid_train(dec: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """Fit Platt's (A, B) to decision values ``dec`` and labels in {+1, -1}."""
    prior1 = float(np.sum(labels > 0))
    prior0 = float(len(labels) - prior1)
    max_iter, min_step, sigma, eps = 100, 1e-10, 1e-12, 1e-5
    t = np.where(labels > 0, (prior1 + 1.0) / (prior1 + 2.0), 1.0 / (prior0 + 2.0))
    A, B = 0.0, float(np.log((prior0 + 1.0) / (prior1 + 1.0)))
    fval = _log1pexp_terms(dec * A + B, t)
    for _ in range(max_iter):
        f = dec * A + B
        e = np.exp(-np.abs(f))
        # p = P(y=+1) = 1/(1+exp(f)), q = 1 - p, written without overflow.
        p = np.where(f >= 0, e / (1.0 + e), 1.0 / (1.0 + e))
        q = np.where(f >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
        d2 = p * q
        h11 = sigma + np.sum(dec * dec * d2)
        h22 = sigma + np.sum(d2)
        h21 = np.sum(dec * d2)
        d1 = t - p
        g1, g2 = float(np.sum(dec * d1)), float(np.sum(d1))
        if abs(g1) < eps and abs(g2) < eps:
            break
        det = h11 * h22 - h21 * h21
        dA = -(h22 * g1 - h21 * g2) / det
        dB = -(-h21 * g1 + h11 * g2) / det
        gd = g1 * dA + g2 * dB
        step = 1.0
        while step >= min_step:  # backtracking line search (Armijo)
            newA, newB = A + step * dA, B + step * dB
            newf = _log1pexp_terms(dec * newA + newB, t)
            if newf < fval + 0.0001 * step * gd:
                A, B, fval = newA, newB, newf
                break
            step /= 2.0
        if step < min_step:
            break
    return float(A), float(B)


def sigmoid_predict(dec: np.ndarray, A: float, B: float) -> np.ndarray:
    """P(y = +1 | f) = 1 / (1 + exp(A f + B)), evaluated without overflow."""
    f = dec * A + B
    e = np.exp(-np.abs(f))
    return np.where(f >= 0, e / (1.0 + e), 1.0 / (1.0 + e))


def pairwise_coupling(r: np.ndarray) -> np.ndarray:
    """Couple r[n, i, j] = P(i | i or j) into class probabilities p[n, i] (method 2)."""
    n, k, _ = r.shape
    # Q_tt = sum_{j != t} r_jt^2,  Q_tj = -r_jt r_tj.
    rt = np.swapaxes(r, 1, 2)
    Q = -rt * r
    eye = np.eye(k, dtype=bool)
    Q[:, eye] = 0.0
    Q[:, eye] = np.sum(np.where(eye, 0.0, rt * rt), axis=2)
    p = np.full((n, k), 1.0 / k)
    eps = 0.005 / k
    todo = np.arange(n)  # samples whose fixed point is not reached yet
    for _ in range(max(100, k)):
        Qp = np.einsum("ntj,nj->nt", Q[todo], p[todo])
        pQp = np.einsum("nt,nt->n", p[todo], Qp)
        done = np.max(np.abs(Qp - pQp[:, None]), axis=1) < eps
        todo, Qp, pQp = todo[~done], Qp[~done], pQp[~done]
        if len(todo) == 0:
            break
        P, Qs = p[todo], Q[todo]
        for t in range(k):  # one Gauss-Seidel sweep, libsvm's update formulas
            Qtt = Qs[:, t, t]
            diff = (-Qp[:, t] + pQp) / Qtt
            P[:, t] += diff
            pQp = (pQp + diff * (diff * Qtt + 2 * Qp[:, t])) / (1 + diff) / (1 + diff)
            Qp = (Qp + diff[:, None] * Qs[:, t, :]) / (1 + diff)[:, None]
            P /= (1 + diff)[:, None]
        p[todo] = P
    return p
