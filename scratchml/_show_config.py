"""``scratchml.show_config()``: versions, BLAS, and which kernel backends run here."""

import platform
import sys


def _blas_info() -> str:
    try:
        import numpy as np

        cfg = np.show_config(mode="dicts")
        blas = cfg.get("Build Dependencies", {}).get("blas", {})
        return f"{blas.get('name', '?')} {blas.get('version', '')}".strip()
    except Exception:
        return "unknown"


def show_config(file=None) -> dict:
    """Print (and return) versions, BLAS and kernel backend availability.

    Returns
    -------
    dict with keys ``scratchml``, ``python``, ``numpy``, ``blas``, ``backends``
    (``{"numpy": True, "cython": bool, "cuda": bool}``) and ``kernels``
    (``{kernel: {backend: available}}``).
    """
    import numpy as np

    from . import __version__, get_config
    from ._backend import available_backends, cuda_unavailable_reason, list_kernels

    backends = available_backends()
    kernels = list_kernels()
    info = {
        "scratchml": __version__,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "numpy": np.__version__,
        "blas": _blas_info(),
        "config": get_config(),
        "backends": backends,
        "kernels": kernels,
    }
    out = file or sys.stdout
    print(f"scratchml {__version__}", file=out)
    print(f"python    {info['python']} ({info['platform']})", file=out)
    print(f"numpy     {np.__version__}, BLAS: {info['blas']}", file=out)
    print(f"config    {info['config']}", file=out)
    print("backends:", file=out)
    for name, ok in backends.items():
        note = "" if ok or name != "cuda" else f"  ({cuda_unavailable_reason()})"
        if name == "cython" and not ok:
            note = "  (not built: reinstall with a C compiler present)"
        print(f"  {name:<7} {'available' if ok else 'unavailable'}{note}", file=out)
    print("kernels:", file=out)
    for kernel, impls in kernels.items():
        status = ", ".join(f"{b}={'yes' if ok else 'no'}" for b, ok in impls.items())
        print(f"  {kernel}: {status}", file=out)
    return info
