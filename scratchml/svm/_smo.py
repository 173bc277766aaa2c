"""SMO for the SVM dual: the NumPy reference of the ``svm_smo`` kernel.

Every SVM of this package (SVC, SVR, OneClassSVM) reduces to libsvm's problem

    min_a  f(a) = 1/2 a^T Q a + p^T a
    s.t.   y^T a = const,   0 <= a_t <= C_t,      Q_ts = y_t y_s K(x_idx(t), x_idx(s)),

over l variables t, each tied to a sample idx(t) (SVR has two variables per
sample, a_t and a_t*, with y = +1 and -1). With the gradient G = Q a + p, the
index sets I_up = {t: y_t = +1, a_t < C_t or y_t = -1, a_t > 0} and I_low (the
mirror image), a is optimal iff

    m(a) - M(a) <= tol,   m(a) = max_{t in I_up} -y_t G_t,   M(a) = min_{t in I_low} -y_t G_t.

Each iteration picks a pair (i, j) by the second-order rule of Fan, Chen & Lin
(2005) -- i maximises -y_i G_i over I_up; j minimises the decrease of f predicted
by a Newton step on the pair, -(m + y_j G_j)^2 / (K_ii + K_jj - 2 K_ij) -- solves
the two-variable problem analytically, clips it to the box and updates G with
two kernel columns. Columns come from an LRU cache bounded by ``cache_size`` MB,
stored in float32 like libsvm's Qfloat.

Shrinking (libsvm's rules): every min(l, 1000) iterations, variables at a bound
whose gradient says they will stay there leave the active set, so selection and
gradient updates touch fewer entries. ``G_bar_t = sum_{s at upper bound} C_s Q_ts``
lets the full gradient be rebuilt ("unshrink") once when m - M <= 10 tol and
again before stopping, so the final check always runs on every variable.

The bias (-rho) is the average of y_t G_t over free variables, or the midpoint
of the feasible interval when none is free (libsvm's calculate_rho).

The Cython twin (``kernels/cython/_svm.pyx``) follows this file statement by
statement; both visit active variables in increasing index order, so they take
the same path up to floating-point rounding. Signature::

    smo_solve(X, kernel, gamma, coef0, degree, idx, y, p, C, alpha, tol,
              cache_size, shrinking, max_iter) -> (alpha, rho, n_iter, status)

``status`` is 0 when converged, 1 when ``max_iter`` stopped the solver.
"""

from __future__ import annotations

from collections import OrderedDict

import numpy as np

from ._kernel_fn import kernel_block, kernel_diagonal

TAU = 1e-12  # libsvm's floor for a non-positive curvature K_ii + K_jj - 2 K_ij


def iteration_limit(max_iter: int, n_variables: int) -> int:
    """``max_iter`` or, for -1, libsvm's own cap max(10^7, 100 l)."""
    return max_iter if max_iter > 0 else max(10_000_000, 100 * n_variables)


class _ColumnCache:
    """Kernel columns K(x_s, .) over samples, least recently used evicted first.

    A column computed while some variables were shrunk holds values only for the
    samples of the active ones; it stays valid as long as the active set only
    shrinks, i.e. until ``phase`` (bumped at every unshrink) changes.
    """

    def __init__(self, solver, cache_size: float):
        self.solver = solver
        n = solver.n_samples
        self.n_slots = max(2, int(cache_size * 2**20) // (4 * n))
        self.columns: OrderedDict[int, tuple[np.ndarray, int]] = OrderedDict()

    def get(self, s: int, full: bool) -> np.ndarray:
        sv = self.solver
        hit = self.columns.get(s)
        if hit is not None and (hit[1] == -1 or (not full and hit[1] == sv.phase)):
            self.columns.move_to_end(s)
            return hit[0].astype(np.float64)
        if hit is None and len(self.columns) >= self.n_slots:
            self.columns.popitem(last=False)
        full = full or len(sv.active) == sv.l
        column = np.zeros(sv.n_samples, dtype=np.float32) if hit is None else hit[0]
        rows = np.arange(sv.n_samples) if full else sv.idx[sv.active]
        column[rows] = sv.kernel_values(s, rows)
        self.columns[s] = (column, -1 if full else sv.phase)
        self.columns.move_to_end(s)
        return column.astype(np.float64)


class _SMO:
    def __init__(self, X, kernel, gamma, coef0, degree, idx, y, p, C, alpha, tol,
                 cache_size, shrinking, max_iter):
        self.X, self.kernel, self.gamma, self.coef0, self.degree = X, kernel, gamma, coef0, degree
        self.idx, self.y, self.p, self.C = idx, y, p, C
        self.alpha = alpha.astype(np.float64, copy=True)
        self.tol, self.shrinking = tol, shrinking
        self.max_iter = iteration_limit(max_iter, len(y))
        self.l, self.n_samples = len(y), X.shape[0]
        self.x_sq = None if kernel == 4 else np.einsum("ij,ij->i", X, X)
        self.QD = kernel_diagonal(kernel, X, gamma, coef0, degree)[idx]
        self.active = np.arange(self.l)
        self.phase = 0
        self.unshrink = False
        self.cache = _ColumnCache(self, cache_size)

    # -- kernel values and bound status ----------------------------------------------

    def kernel_values(self, s: int, rows: np.ndarray) -> np.ndarray:
        if self.kernel == 4:
            return self.X[s, rows]
        return kernel_block(self.kernel, self.X[s:s + 1], self.X[rows], self.gamma, self.coef0,
                            self.degree, self.x_sq[s:s + 1], self.x_sq[rows])[0]

    def Q_column(self, t: int, targets: np.ndarray, full: bool = False) -> np.ndarray:
        """Q_{t, targets} = y_t y_targets K(x_idx(t), x_idx(targets))."""
        K = self.cache.get(int(self.idx[t]), full)
        return (self.y[t] * self.y[targets]) * K[self.idx[targets]]

    def upper(self, t):
        return self.alpha[t] >= self.C[t]

    def lower(self, t):
        return self.alpha[t] <= 0

    # -- the algorithm ---------------------------------------------------------------

    def solve(self):
        n_var = self.l
        everything = np.arange(n_var)
        self.G = self.p.astype(np.float64, copy=True)
        self.G_bar = np.zeros(n_var)
        for t in np.flatnonzero(~self.lower(everything)):
            Q_t = self.Q_column(t, everything, full=True)
            self.G += self.alpha[t] * Q_t
            if self.upper(t):
                self.G_bar += self.C[t] * Q_t
        n_iter, counter, status = 0, min(n_var, 1000) + 1, 0
        while True:
            if n_iter >= self.max_iter:
                status = 1
                break
            counter -= 1
            if counter == 0:
                counter = min(n_var, 1000)
                if self.shrinking:
                    self.do_shrinking()
            pair = self.select_working_set()
            if pair is None:
                self.reconstruct_gradient()  # check optimality on every variable
                pair = self.select_working_set()
                if pair is None:
                    break
                counter = 1  # shrink again at the next iteration
            n_iter += 1
            self.update_pair(*pair)
        self.reconstruct_gradient()
        return self.alpha, self.calculate_rho(), n_iter, status

    def select_working_set(self):
        """Second-order working-set selection (WSS3); None when m - M < tol."""
        A = self.active
        y, G = self.y[A], self.G[A]
        up = np.where(y > 0, ~self.upper(A), ~self.lower(A))
        low = np.where(y > 0, ~self.lower(A), ~self.upper(A))
        if not up.any():
            return None
        score = np.where(up, -y * G, -np.inf)
        k = len(A) - 1 - int(np.argmax(score[::-1]))  # last maximum, as libsvm's ">="
        i, Gmax = int(A[k]), score[k]
        Gmax2 = np.max(np.where(low, y * G, -np.inf))
        grad_diff = Gmax + y * G
        candidates = low & (grad_diff > 0)
        if Gmax + Gmax2 < self.tol or not candidates.any():
            return None
        K_iA = self.cache.get(int(self.idx[i]), False)[self.idx[A]]
        quad = self.QD[i] + self.QD[A] - 2.0 * K_iA
        quad = np.where(quad > 0, quad, TAU)
        obj = np.where(candidates, -(grad_diff * grad_diff) / quad, np.inf)
        k = len(A) - 1 - int(np.argmin(obj[::-1]))  # last minimum, as libsvm's "<="
        return i, int(A[k])

    def update_pair(self, i: int, j: int):
        """Solve the two-variable subproblem, clip it to the box, update G and G_bar."""
        A, alpha, C, G, y = self.active, self.alpha, self.C, self.G, self.y
        Q_i, Q_j = self.Q_column(i, A), self.Q_column(j, A)
        Q_ij = y[i] * y[j] * self.cache.get(int(self.idx[i]), False)[self.idx[j]]
        C_i, C_j = C[i], C[j]
        old_i, old_j = alpha[i], alpha[j]
        if y[i] != y[j]:
            quad = self.QD[i] + self.QD[j] + 2.0 * Q_ij
            delta = (-G[i] - G[j]) / (quad if quad > 0 else TAU)
            diff = alpha[i] - alpha[j]
            alpha[i] += delta
            alpha[j] += delta
            if diff > 0:
                if alpha[j] < 0:
                    alpha[j], alpha[i] = 0.0, diff
            elif alpha[i] < 0:
                alpha[i], alpha[j] = 0.0, -diff
            if diff > C_i - C_j:
                if alpha[i] > C_i:
                    alpha[i], alpha[j] = C_i, C_i - diff
            elif alpha[j] > C_j:
                alpha[j], alpha[i] = C_j, C_j + diff
        else:
            quad = self.QD[i] + self.QD[j] - 2.0 * Q_ij
            delta = (G[i] - G[j]) / (quad if quad > 0 else TAU)
            total = alpha[i] + alpha[j]
            alpha[i] -= delta
            alpha[j] += delta
            if total > C_i:
                if alpha[i] > C_i:
                    alpha[i], alpha[j] = C_i, total - C_i
            elif alpha[j] < 0:
                alpha[j], alpha[i] = 0.0, total
            if total > C_j:
                if alpha[j] > C_j:
                    alpha[j], alpha[i] = C_j, total - C_j
            elif alpha[i] < 0:
                alpha[i], alpha[j] = 0.0, total
        d_i, d_j = alpha[i] - old_i, alpha[j] - old_j
        G[A] += Q_i * d_i + Q_j * d_j
        everything = np.arange(self.l)
        for t, was_upper in ((i, old_i >= C_i), (j, old_j >= C_j)):
            if was_upper != self.upper(t):  # G_bar tracks the variables at C
                sign = -1.0 if was_upper else 1.0
                self.G_bar += (sign * C[t]) * self.Q_column(t, everything, full=True)

    def do_shrinking(self):
        """Drop bounded variables that cannot enter the working set (libsvm's be_shrunk)."""
        A = self.active
        y, G = self.y[A], self.G[A]
        up = np.where(y > 0, ~self.upper(A), ~self.lower(A))
        low = np.where(y > 0, ~self.lower(A), ~self.upper(A))
        Gmax1 = np.max(np.where(up, -y * G, -np.inf))
        Gmax2 = np.max(np.where(low, y * G, -np.inf))
        if not self.unshrink and Gmax1 + Gmax2 <= self.tol * 10:
            self.unshrink = True  # near the end: restore everything once, then shrink again
            self.reconstruct_gradient()
        A = self.active
        y, G = self.y[A], self.G[A]
        shrunk = (self.upper(A) & (-G > np.where(y > 0, Gmax1, Gmax2))) | (
            ~self.upper(A) & self.lower(A) & (G > np.where(y > 0, Gmax2, Gmax1)))
        self.active = A[~shrunk]

    def reconstruct_gradient(self):
        """G of shrunk variables from G_bar + p + the free variables' columns; unshrink."""
        if len(self.active) == self.l:
            return
        inactive = np.setdiff1d(np.arange(self.l), self.active)
        self.G[inactive] = self.G_bar[inactive] + self.p[inactive]
        A = self.active
        for t in A[~self.upper(A) & ~self.lower(A)]:
            self.G[inactive] += self.alpha[t] * self.Q_column(t, inactive, full=True)
        self.active = np.arange(self.l)
        self.phase += 1

    def calculate_rho(self) -> float:
        y, G = self.y, self.G
        yG = y * G
        upper, lower = self.upper(np.arange(self.l)), self.lower(np.arange(self.l))
        free = ~upper & ~lower
        if free.any():
            return float(np.sum(yG[free]) / np.count_nonzero(free))
        ub_mask = (upper & (y < 0)) | (lower & (y > 0))
        lb_mask = (upper & (y > 0)) | (lower & (y < 0))
        ub = np.min(yG[ub_mask]) if ub_mask.any() else np.inf
        lb = np.max(yG[lb_mask]) if lb_mask.any() else -np.inf
        return float((ub + lb) / 2)


def smo_solve_numpy(X, kernel, gamma, coef0, degree, idx, y, p, C, alpha, tol, cache_size,
                    shrinking, max_iter):
    """NumPy reference of the ``svm_smo`` kernel (see the module docstring)."""
    return _SMO(X, kernel, gamma, coef0, degree, idx, y, p, C, alpha, tol, cache_size,
                shrinking, max_iter).solve()
