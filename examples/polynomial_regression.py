"""Polynomial regression is a pipeline, not a class: PolynomialFeatures + Ridge.

A noisy cubic is fitted with polynomials of increasing degree; RidgeCV picks the
penalty by leave-one-out error for each degree, and the held-out R² shows under-
and over-fitting. Prints one line per degree, then the coefficients of the best model.

Run: python examples/polynomial_regression.py
"""

import numpy as np

from scratchml.linear_model import Ridge, RidgeCV
from scratchml.model_selection import train_test_split
from scratchml.pipeline import make_pipeline
from scratchml.preprocessing import PolynomialFeatures, StandardScaler

rng = np.random.default_rng(0)
x = rng.uniform(-2, 2, 200)
y = 0.5 * x**3 - x**2 + 2 * x + 1 + rng.normal(0, 0.5, 200)
X = x[:, None]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0)

print("degree  alpha      train R2  test R2")
best = None
for degree in (1, 2, 3, 5, 9, 15):
    model = make_pipeline(PolynomialFeatures(degree=degree, include_bias=False),
                          StandardScaler(), RidgeCV(alphas=np.logspace(-6, 2, 17)))
    model.fit(X_train, y_train)
    train, test = model.score(X_train, y_train), model.score(X_test, y_test)
    alpha = model.steps[-1][1].alpha_
    print(f"{degree:>6}  {alpha:<9.2g}  {train:8.4f}  {test:7.4f}")
    if best is None or test > best[1]:
        best = (degree, test)

# Refit the best degree with an explicit Ridge, on the raw polynomial features.
degree = best[0]
final = make_pipeline(PolynomialFeatures(degree=degree, include_bias=False),
                      Ridge(alpha=1e-6)).fit(X_train, y_train)
coef = final.steps[-1][1].coef_
print(f"best degree: {degree} (test R2 {best[1]:.4f})")
print("coefficients (x, x^2, x^3, ...):", np.round(coef, 2).tolist())
print(f"intercept: {final.steps[-1][1].intercept_:.2f}")
