#!/usr/bin/env bash
# One-shot device check for a machine with an NVIDIA GPU: the CUDA kernel tests
# with the simulator OFF, then the GPU benchmark cases (with the CPU backends
# and scikit-learn alongside, same data, same process).
#
#   bash benchmarks/gpu_check.sh            # results under $OUT (default /tmp/gpu_out)
#
# Wheels placed in .whl/ are installed first (e.g. a NumPy that the machine's
# numba-cuda supports: numba-cuda 0.30 fails on NumPy 2.5, which removed
# np.row_stack).
set -u
OUT=${OUT:-/tmp/gpu_out}
mkdir -p "$OUT"
if compgen -G ".whl/*.whl" > /dev/null; then
    python3 -m pip install -q --no-index --no-deps --target /tmp/site .whl/*.whl && export PYTHONPATH=/tmp/site
fi
python3 -c "import numpy, numba, sys; print('python', sys.version.split()[0], 'numpy', numpy.__version__, 'numba', numba.__version__)"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
python3 -m pip install -q --no-build-isolation --no-deps . 2>&1 | tail -2
export NUMBA_ENABLE_CUDASIM=0 CI=true PYTHONUNBUFFERED=1
timeout 100 python3 -m pytest tests/test_kernel_sqeuclidean_argmin.py tests/test_cuda_kernel_sim.py \
    -q -p no:cacheprovider 2>&1 | tee "$OUT/tests.log" | tail -6
# Issue 6's kernels: fused Lloyd step, k-NN top-k, DBSCAN neighbourhood counts.
timeout 150 python3 -m pytest tests/test_kernel_lloyd.py tests/test_kernel_topk.py \
    tests/test_dbscan_radius_count.py -q -p no:cacheprovider 2>&1 | tee "$OUT/tests_issue6.log" | tail -6
timeout 150 python3 -m benchmarks.run --only sqeuclidean --repeats 5 --no-plot --out "$OUT/bench" 2>&1 \
    | tee "$OUT/bench.log" | tail -20
