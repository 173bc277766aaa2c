"""Tree-structured Parzen estimator (TPE): the cheap alternative surrogate of BayesSearchCV.

Instead of modelling the score p(y | z), TPE (Bergstra et al., 2011) splits the
observations at the γ-quantile of the scores into "good" and "bad" ones and
models each group's density over the encoded inputs z ∈ [0, 1]^D:

    l(z) = p(z | y among the best γ),   g(z) = p(z | y among the rest).

Each density is a product over dimensions of a Parzen mixture — Gaussians of
width h_d centred on the group's points plus a uniform prior component for
continuous dimensions; smoothed frequencies (count + 1) for categorical ones.
Expected improvement is monotone in l(z) / g(z), so the next candidate is the
one of many draws from l with the largest log l(z) − log g(z).
"""

from __future__ import annotations

import math

import numpy as np


class _Parzen:
    """Product of per-dimension Parzen densities fitted to ``points`` (rows in [0, 1]^D)."""

    def __init__(self, points: np.ndarray, space):
        self.points, self.space = points, space
        n = len(points)
        spread = points.std(axis=0) if n > 1 else np.full(points.shape[1], 0.5)
        # Scott's rule, floored at 1/(n+1) of the range (hyperopt's floor is similar):
        # a small group keeps wide kernels and so keeps exploring.
        self.h = np.maximum(1.06 * spread * max(n, 1) ** -0.2, 1.0 / (n + 1))
        self.cat_probs = []
        for sl in space.slices:
            if not space.continuous[sl.start]:
                counts = points[:, sl].sum(axis=0) + 1.0
                self.cat_probs.append((sl, counts / counts.sum()))

    def log_density(self, Z: np.ndarray) -> np.ndarray:
        cont = self.space.continuous
        out = np.zeros(len(Z))
        if cont.any():
            diff = (Z[:, None, cont] - self.points[None, :, cont]) / self.h[cont]
            log_k = (-0.5 * diff**2 - np.log(self.h[cont] * math.sqrt(2 * math.pi))).sum(-1)
            # Mixture of the n kernels and one uniform component (density 1 on the cube).
            all_terms = np.concatenate([log_k, np.zeros((len(Z), 1))], axis=1)
            m = all_terms.max(axis=1, keepdims=True)
            out += (m[:, 0] + np.log(np.exp(all_terms - m).sum(axis=1))
                    - math.log(len(self.points) + 1))
        for sl, probs in self.cat_probs:
            out += np.log(probs[np.argmax(Z[:, sl], axis=1)])
        return out

    def sample(self, n: int, rng) -> np.ndarray:
        centres = self.points[rng.integers(len(self.points), size=n)]
        Z = centres + rng.normal(size=centres.shape) * self.h
        # Reflect at the faces of the cube (clipping would pile draws onto the faces).
        Z = 1.0 - np.abs(1.0 - np.abs(Z) % 2.0)
        prior = rng.uniform(size=n) < 1.0 / (len(self.points) + 1)
        Z[prior] = self.space.sample(int(prior.sum()), rng)
        for sl, probs in self.cat_probs:
            Z[:, sl] = np.eye(len(probs))[rng.choice(len(probs), size=n, p=probs)]
        return Z


def tpe_propose(space, Z: np.ndarray, y: np.ndarray, rng, gamma: float = 0.25,
                n_draws: int = 256) -> np.ndarray:
    """The draw from l(z) with the largest l(z) / g(z) (maximization of y)."""
    order = np.argsort(-y, kind="stable")
    n_good = max(1, math.ceil(gamma * len(y)))
    good, bad = _Parzen(Z[order[:n_good]], space), _Parzen(Z[order[n_good:]] if len(y) > n_good
                                                           else Z, space)
    cand = good.sample(n_draws, rng)
    ratio = good.log_density(cand) - bad.log_density(cand)
    return space.encode(space.decode(cand[int(np.argmax(ratio))]))
