"""Per-family settings for the contract suite (tests/test_contract.py).

Each module here defines ``OVERRIDES = {"ClassName": {...}}`` with any of:

* ``"params"``: constructor arguments that make the estimator fit the small
  contract data quickly (e.g. ``{"max_iter": 50}``);
* ``"data"``: ``callable(seed) -> (X, y)`` for estimators that need special
  input (categorical columns, a target only, non-negative values...);
  X must have 4 columns so the wrong-feature-count check can drop one;
* ``"skip"``: ``{"test_function_name": "reason"}`` for checks that do not
  apply, always with the reason (e.g. an imputer accepts NaN by design).

One module per estimator family, so that families never edit the same file.
"""
