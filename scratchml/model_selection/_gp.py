"""A small Gaussian-process surrogate and expected improvement, in NumPy only.

Model: f ~ GP(0, k) on inputs z ∈ [0, 1]^D, observations y = f(z) + ε,
ε ~ N(0, σ_n²), with the Matérn 5/2 kernel with one length scale per input
dimension (ARD):

    r² = Σ_d (z_d − z'_d)² / ℓ_d²,
    k(z, z') = σ_f² (1 + √5 r + 5r²/3) exp(−√5 r).

The targets are standardized first. The hyperparameters θ = (log ℓ, log σ_f²,
log σ_n²) maximize the log marginal likelihood

    log p(y | θ) = −½ yᵀ K⁻¹ y − ½ log |K| − (n/2) log 2π,

whose gradient is ∂/∂θ_i = ½ tr((α αᵀ − K⁻¹) ∂K/∂θ_i), α = K⁻¹ y, with

    ∂k/∂log ℓ_d = σ_f² (5/3)(1 + √5 r) exp(−√5 r) (z_d − z'_d)² / ℓ_d².

We climb it with Adam from a few starting points (the best run wins), a
gradient method small enough to read, instead of SciPy's L-BFGS-B.

Expected improvement over the best observation y⁺ (maximization), with
posterior mean μ and standard deviation σ:

    EI(z) = (μ − y⁺ − ξ) Φ(u) + σ φ(u),   u = (μ − y⁺ − ξ) / σ.
"""

from __future__ import annotations

import math

import numpy as np

from ._distributions import norm_cdf

_SQRT5 = math.sqrt(5.0)
# Box on the log hyperparameters: length scales 0.01..20 of the unit cube,
# noise variance 1e-6..1 of the standardized targets.
_LOG_L = (math.log(1e-2), math.log(20.0))
_LOG_SF = (math.log(1e-2), math.log(20.0))
_LOG_SN = (math.log(1e-6), math.log(1.0))


def matern52(A: np.ndarray, B: np.ndarray, lengths: np.ndarray, amp: float) -> np.ndarray:
    """Matérn 5/2 kernel matrix between the rows of A and B."""
    diff = (A[:, None, :] - B[None, :, :]) / lengths
    r = np.sqrt(np.sum(diff * diff, axis=-1))
    return amp * (1.0 + _SQRT5 * r + (5.0 / 3.0) * r * r) * np.exp(-_SQRT5 * r)


def _log_ml_and_grad(theta: np.ndarray, Z: np.ndarray, y: np.ndarray):
    """Log marginal likelihood and its gradient with respect to θ."""
    n, d = Z.shape
    lengths, amp, noise = np.exp(theta[:d]), math.exp(theta[d]), math.exp(theta[d + 1])
    sq = (Z[:, None, :] - Z[None, :, :]) ** 2 / lengths**2  # (n, n, d)
    r = np.sqrt(sq.sum(-1))
    e = np.exp(-_SQRT5 * r)
    Kf = amp * (1.0 + _SQRT5 * r + (5.0 / 3.0) * r * r) * e
    K = Kf + (noise + 1e-10) * np.eye(n)
    try:
        L = np.linalg.cholesky(K)
    except np.linalg.LinAlgError:
        return -np.inf, np.zeros_like(theta)
    Linv = np.linalg.inv(L)
    Kinv = Linv.T @ Linv
    alpha = Kinv @ y
    log_ml = -0.5 * y @ alpha - np.log(np.diag(L)).sum() - 0.5 * n * math.log(2 * math.pi)
    W = np.outer(alpha, alpha) - Kinv  # ½ tr(W ∂K) = ½ Σ_ij W_ij ∂K_ij
    common = amp * (5.0 / 3.0) * (1.0 + _SQRT5 * r) * e
    grad = np.empty_like(theta)
    grad[:d] = 0.5 * np.einsum("ij,ijd->d", W * common, sq)
    grad[d] = 0.5 * np.sum(W * Kf)
    grad[d + 1] = 0.5 * noise * np.trace(W)
    return log_ml, grad


def _adam_ascent(theta, Z, y, lo, hi, n_steps: int = 60, lr: float = 0.1):
    m = np.zeros_like(theta)
    v = np.zeros_like(theta)
    best, best_theta = -np.inf, theta.copy()
    for t in range(1, n_steps + 1):
        value, g = _log_ml_and_grad(theta, Z, y)
        if value > best:
            best, best_theta = value, theta.copy()
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        step = lr * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
        theta = np.clip(theta + step, lo, hi)
    value, _ = _log_ml_and_grad(theta, Z, y)
    return (value, theta) if value > best else (best, best_theta)


class GaussianProcess:
    """GP regression with a Matérn 5/2 ARD kernel, hyperparameters by marginal likelihood.

    Parameters
    ----------
    n_restarts : int
        Extra random starting points of the likelihood ascent.
    rng : numpy Generator
        Draws the starting points.

    Examples
    --------
    >>> import numpy as np
    >>> Z = np.linspace(0, 1, 8)[:, None]
    >>> gp = GaussianProcess(rng=np.random.default_rng(0)).fit(Z, np.sin(6 * Z[:, 0]))
    >>> mu, sd = gp.predict(Z)
    >>> bool(np.allclose(mu, np.sin(6 * Z[:, 0]), atol=0.05))
    True
    """

    def __init__(self, n_restarts: int = 2, rng=None, theta0=None):
        self.n_restarts = n_restarts
        self.rng = rng if rng is not None else np.random.default_rng(0)
        self.theta0 = theta0

    def fit(self, Z: np.ndarray, y: np.ndarray, optimize: bool = True) -> GaussianProcess:
        Z = np.asarray(Z, dtype=float)
        y = np.asarray(y, dtype=float)
        self.y_mean, self.y_std = float(y.mean()), float(y.std()) or 1.0
        ys = (y - self.y_mean) / self.y_std
        d = Z.shape[1]
        lo = np.r_[np.full(d, _LOG_L[0]), _LOG_SF[0], _LOG_SN[0]]
        hi = np.r_[np.full(d, _LOG_L[1]), _LOG_SF[1], _LOG_SN[1]]
        default = np.r_[np.full(d, math.log(0.3)), 0.0, math.log(1e-3)]
        if optimize:
            starts = [default if self.theta0 is None else self.theta0]
            starts += [np.r_[self.rng.uniform(math.log(0.05), math.log(2.0), d), 0.0,
                             math.log(1e-3)] for _ in range(self.n_restarts)]
            runs = [_adam_ascent(s.copy(), Z, ys, lo, hi) for s in starts]
            self.theta = max(runs, key=lambda run: run[0])[1]
        else:
            self.theta = default if self.theta0 is None else self.theta0
        self._condition(Z, ys)
        return self

    def _condition(self, Z, ys) -> None:
        d = Z.shape[1]
        self.lengths, self.amp = np.exp(self.theta[:d]), math.exp(self.theta[d])
        noise = math.exp(self.theta[d + 1])
        K = matern52(Z, Z, self.lengths, self.amp) + (noise + 1e-10) * np.eye(len(Z))
        L = np.linalg.cholesky(K + 1e-8 * np.eye(len(Z)))
        Linv = np.linalg.inv(L)
        self.Kinv = Linv.T @ Linv
        self.alpha = self.Kinv @ ys
        self.Z = Z

    def condition_on(self, Z: np.ndarray, y: np.ndarray) -> GaussianProcess:
        """Refit the posterior on new data with the current hyperparameters (constant liar)."""
        ys = (np.asarray(y, dtype=float) - self.y_mean) / self.y_std
        self._condition(np.asarray(Z, dtype=float), ys)
        return self

    def predict(self, Zs: np.ndarray):
        """Posterior mean and standard deviation of f, in the original units of y."""
        Ks = matern52(np.asarray(Zs, dtype=float), self.Z, self.lengths, self.amp)
        mu = Ks @ self.alpha
        var = self.amp - np.einsum("ij,jk,ik->i", Ks, self.Kinv, Ks)
        sd = np.sqrt(np.maximum(var, 1e-12))
        return self.y_mean + self.y_std * mu, self.y_std * sd


def expected_improvement(mu, sd, best: float, xi: float = 0.01):
    """EI of maximization at points with posterior mean ``mu`` and std ``sd``."""
    imp = mu - best - xi
    u = imp / sd
    pdf = np.exp(-0.5 * u * u) / math.sqrt(2 * math.pi)
    return imp * norm_cdf(u) + sd * pdf
