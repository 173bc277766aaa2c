"""Contract settings for the numeric transformers of scratchml.preprocessing."""


OVERRIDES = {
    # validate=True: without it, FunctionTransformer passes X to func untouched (as in
    # scikit-learn), so the checks on feature counts, NaN and strings do not apply.
    # func stays None: a callable parameter cannot be saved, and the default must
    # round-trip through scratchml.save/load.
    "FunctionTransformer": {"params": {"validate": True}},
    # subsample=None: fit on every row (the contract data is small anyway).
    "KBinsDiscretizer": {"params": {"subsample": None}},
}
