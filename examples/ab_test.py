"""A/B test of two classifiers: is the difference real, or noise of one split?

Naive Bayes (A) and 5-nearest-neighbours on unscaled features (B) on the bundled wine
data, compared four ways:

* McNemar's test on one held-out test set (each model trained once);
* Dietterich's 5x2-fold cross-validated paired t-test (10 fits per model);
* the Nadeau-Bengio corrected resampled t-test on 10-fold CV scores;
* a bootstrap confidence interval of the accuracy difference on the test set.

Run: python examples/ab_test.py
"""

from scratchml.datasets import load_wine
from scratchml.metrics import accuracy_score
from scratchml.model_selection import KFold, cross_val_score, train_test_split
from scratchml.naive_bayes import GaussianNB
from scratchml.neighbors import KNeighborsClassifier
from scratchml.stats import (
    bootstrap_ci,
    corrected_resampled_ttest,
    mcnemar,
    paired_ttest_5x2cv,
    permutation_test,
)

X, y = load_wine(return_X_y=True)
model_a, model_b = GaussianNB(), KNeighborsClassifier(n_neighbors=5)
ALPHA = 0.05


def verdict(p):
    return "significant" if p < ALPHA else "not significant"


# 1. One split, each model trained once: McNemar on the disagreements.
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.4, random_state=0,
                                                    stratify=y)
pred_a = model_a.fit(X_train, y_train).predict(X_test)
pred_b = model_b.fit(X_train, y_train).predict(X_test)
acc_a, acc_b = accuracy_score(y_test, pred_a), accuracy_score(y_test, pred_b)
print(f"test accuracy: A (GaussianNB) {acc_a:.3f}, B (5-NN) {acc_b:.3f}")
res = mcnemar(y_test, pred_a, pred_b)
print(f"McNemar ({res.method}): only A right {res.details['b']}, only B right "
      f"{res.details['c']}, p = {res.p_value:.3g} -> {verdict(res.p_value)}")

# 2. Retraining is cheap here: Dietterich's 5x2cv paired t-test.
res = paired_ttest_5x2cv(model_a, model_b, X, y, random_state=0)
print(f"5x2cv paired t-test: t = {res.statistic:.3f}, p = {res.p_value:.3g} "
      f"-> {verdict(res.p_value)}")

# 3. Scores from 10-fold CV: the corrected resampled t-test (overlapping training sets).
cv = KFold(n_splits=10, shuffle=True, random_state=0)
scores_a = cross_val_score(model_a, X, y, cv=cv)
scores_b = cross_val_score(model_b, X, y, cv=cv)
n_test = X.shape[0] // 10
res = corrected_resampled_ttest(scores_a, scores_b, n_train=X.shape[0] - n_test,
                                n_test=n_test)
print(f"corrected resampled t-test (10-fold): mean difference "
      f"{res.details['mean_difference']:.3f}, t = {res.statistic:.3f}, "
      f"p = {res.p_value:.3g} -> {verdict(res.p_value)}")

# 4. How large is the difference? A bootstrap interval and a permutation test.
ci = bootstrap_ci(lambda t, a, b: accuracy_score(t, a) - accuracy_score(t, b),
                  y_test, pred_a, pred_b, n_resamples=2000, random_state=0)
print(f"accuracy difference A - B: {ci.estimate:.3f}, 95% bootstrap CI "
      f"[{ci.low:.3f}, {ci.high:.3f}]")
res = permutation_test(accuracy_score, y_test, pred_a, pred_b, n_permutations=2000,
                       random_state=0)
print(f"paired permutation test: p = {res.p_value:.3g} -> {verdict(res.p_value)}")
print("decision:", "A is better" if ci.low > 0 else "no clear winner")
