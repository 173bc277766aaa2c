"""scratchml's benchmark suite: scratchml against scikit-learn (and PyTorch for ``nn``).

Run it from the repository root::

    python -m benchmarks.run --quick          # the short suite (~10 minutes on 2 cores)
    python -m benchmarks.run                  # full sizes
    python -m benchmarks.run --list           # what is there
    python -m benchmarks.run --only kmeans    # a subset (substring or fnmatch pattern)

``benchmarks/harness.py`` is the entry point case modules import (``Case``,
``Side``, ``register``); behind it ``registry.py`` holds the data model and the
registry, ``timing.py`` runs a case (time, memory, environment) and
``reporting.py`` writes the table, REPORT.md and results.json.
``benchmarks/cases/*.py`` hold the cases, one module per estimator family. See ``benchmarks/cases/__init__.py`` for how to add one.
"""
