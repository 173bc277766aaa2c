"""Benchmark cases, one module per estimator family; the runner imports them all.

To add a family, create ``benchmarks/cases/<family>.py`` and call
``benchmarks.harness.register(Case(...))`` at import time (or decorate the data
factory with ``@benchmarks.harness.case(...)``); see ``benchmarks/harness.py``
for a complete example. Rules of thumb:

* Import scratchml, scikit-learn and the like *inside* the callables, so that
  ``--list`` and the test suite stay fast and a missing library only skips.
* Name the reference library's module in ``Side(..., requires=("sklearn",))``:
  when it is missing the case is reported as skipped, not failed.
* Give ``quick_params`` small enough that a case adds seconds to ``--quick``
  (about ten minutes for the whole suite on 2 cores); ``params`` are the full sizes.
* Seed every random draw (``numpy.random.default_rng(seed)``); cache a data set
  shared by several cases with ``functools.lru_cache(maxsize=1)`` and register
  those cases next to each other.
* Module names starting with ``_`` are not imported (helpers).
"""
