"""MLPRegressor (built on scratchml.nn) fits a noisy sine; saves the loss curve and the fit.

Run:  python examples/mlp_regression.py   (SCRATCHML_EXAMPLE_EPOCHS=50 for a quick check)
"""

import os

import matplotlib

matplotlib.use(os.environ.get("MPLBACKEND", "Agg"))
import matplotlib.pyplot as plt
import numpy as np

from scratchml.neural_network import MLPRegressor

EPOCHS = int(os.environ.get("SCRATCHML_EXAMPLE_EPOCHS", 400))
rng = np.random.default_rng(0)
X = rng.uniform(-3, 3, (600, 1))
y = np.sin(X[:, 0]) + 0.1 * rng.standard_normal(600)
X_test = np.linspace(-3, 3, 200)[:, None]

model = MLPRegressor(hidden_layer_sizes=(64, 64), activation="tanh", learning_rate_init=0.01,
                     max_iter=EPOCHS, batch_size=64, n_iter_no_change=50, random_state=0)
model.fit(X, y)
r2 = model.score(X_test, np.sin(X_test[:, 0]))
print(f"epochs: {model.n_iter_}, final loss: {model.loss_:.4f}, R² against sin(x): {r2:.4f}")

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.5))
ax1.semilogy(model.loss_curve_)
ax1.set_xlabel("epoch")
ax1.set_ylabel("½ mean squared error")
ax1.set_title("loss curve")
ax2.scatter(X[:, 0], y, s=4, alpha=0.4, label="data")
ax2.plot(X_test[:, 0], model.predict(X_test), color="C1", label="MLP")
ax2.legend()
ax2.set_title(f"fit (R² = {r2:.3f})")
fig.tight_layout()
fig.savefig("mlp_regression_loss.png", dpi=80)
