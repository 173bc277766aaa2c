"""Contract settings for scratchml.svm."""

OVERRIDES = {
    # The coordinate order of dual coordinate descent is random (as in liblinear); a
    # fixed seed makes fits from lists and from arrays identical.
    "LinearSVC": {"params": {"random_state": 0}},
}
