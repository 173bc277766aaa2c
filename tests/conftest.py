"""Shared test configuration.

* Hypothesis profiles: ``ci`` (few examples, for CI's 2 cores) and ``dev``
  (thorough). Pick with ``SCRATCHML_HYPOTHESIS_PROFILE``; default ``ci`` when the
  ``CI`` environment variable is set, else ``dev``.
* CUDA kernels run on Numba's simulator unless ``NUMBA_ENABLE_CUDASIM`` is set
  explicitly (set it to 0 on a GPU machine to test the real device).
* The ``backend`` fixture runs a test once per kernel backend available here.
"""

import os
import sys

# Test the *installed* scratchml (with its compiled kernels), not the source
# folder: `python -m pytest` puts the working directory first on sys.path, where
# `scratchml/` has no compiled modules and `scratchml._cuda` does not exist.
# (An editable install still works: its import hook does not need this path.)
_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _ROOT]
# Shared test helpers (tests/_estimators.py) import as top-level modules.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

# Must happen before anything imports numba.
os.environ.setdefault("NUMBA_ENABLE_CUDASIM", "1")

import pytest
from hypothesis import HealthCheck, settings

# CI draws the same examples on every run (derandomize): a property test cannot
# pass on one push and fail on the next by luck; "dev" explores new ones each run.
settings.register_profile(
    "ci", max_examples=25, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "dev", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(
    os.environ.get("SCRATCHML_HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev")
)

BACKENDS = ("numpy", "cython", "cuda")


def cuda_simulated() -> bool:
    return os.environ.get("NUMBA_ENABLE_CUDASIM") == "1"


@pytest.fixture(params=BACKENDS)
def backend(request):
    """Name of a kernel backend that runs here; tests on missing ones are skipped."""
    from scratchml._backend import available_backends

    name = request.param
    # This skip cannot hide a broken build: a missing Cython backend fails
    # tests/test_backend.py::test_cython_backend_is_built, and CI installs
    # numba-cuda and runs the CUDA kernels on the simulator. It only spares
    # developers' machines that lack the optional CUDA extra.
    if not available_backends()[name]:
        pytest.skip(f"backend {name!r} is not available here")
    return name


def pytest_report_header(config):
    import scratchml
    from scratchml._backend import available_backends

    return (
        f"scratchml {scratchml.__version__} from {os.path.dirname(scratchml.__file__)}; "
        f"backends {available_backends()}; "
        f"CUDA simulator: {cuda_simulated()}"
    )
