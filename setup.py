"""Build scratchml: pure Python package plus optional native kernels.

* ``kernels/cython/*.pyx`` compile to ``scratchml._cython.<name>``.
* ``kernels/cuda/`` (Numba CUDA, pure Python) installs as ``scratchml._cuda``.

If Cython, NumPy's headers or a C compiler is missing, or a kernel fails to
compile, the build prints a warning and installs scratchml as pure Python: every
kernel has a NumPy reference, so the library still works, only slower.

Environment knobs:

* ``SCRATCHML_NATIVE=0`` compiles for a generic CPU of the architecture instead
  of ``-march=native`` (use it to build a wheel for other machines).
* ``SCRATCHML_NO_EXTENSIONS=1`` skips the native build entirely.
* ``SCRATCHML_ONLY=_svm,_tree`` builds only the named kernels (a developer's
  ``python setup.py build_ext --inplace`` after editing one ``.pyx``).
"""

import os
import sys
import warnings
from pathlib import Path

from setuptools import find_packages, setup
from setuptools.command.build_ext import build_ext

HERE = Path(__file__).parent
CYTHON_DIR = Path("kernels") / "cython"


def _warn(msg: str) -> None:
    line = "=" * 78
    print(f"\n{line}\nscratchml: {msg}\n{line}\n", file=sys.stderr)
    warnings.warn(msg, stacklevel=1)


def _compile_args() -> list[str]:
    if sys.platform == "win32":
        return ["/O2"]
    args = ["-O3"]
    if os.environ.get("SCRATCHML_NATIVE", "1") != "0":
        # The kernels are written so that the compiler can vectorize their inner
        # loops; -march=native lets it use the widest SIMD this CPU has.
        args.append("-march=native")
    return args


class OptionalBuildExt(build_ext):
    """build_ext that never fails the install: a kernel that cannot compile is skipped."""

    def run(self):
        try:
            super().run()
        except Exception as exc:  # compiler missing, headers missing, ...
            _warn(f"native kernels were not built ({exc}); installing pure Python.")

    def build_extension(self, ext):
        try:
            super().build_extension(ext)
            return
        except Exception as first_error:
            error = first_error
        if "-march=native" in ext.extra_compile_args:
            # Some compilers (or emulated CPUs) reject -march=native: retry plainly.
            ext.extra_compile_args = [a for a in ext.extra_compile_args if a != "-march=native"]
            try:
                super().build_extension(ext)
                return
            except Exception as second_error:
                error = second_error
        _warn(f"kernel {ext.name} was not built ({error}); it will run on NumPy.")


def _extensions():
    if os.environ.get("SCRATCHML_NO_EXTENSIONS") == "1":
        _warn("SCRATCHML_NO_EXTENSIONS=1: installing pure Python.")
        return []
    try:
        import numpy
        from Cython.Build import cythonize
        from setuptools import Extension
    except ImportError as exc:
        _warn(f"Cython or NumPy is not available at build time ({exc}); installing pure Python.")
        return []
    only = {n.strip() for n in os.environ.get("SCRATCHML_ONLY", "").split(",") if n.strip()}
    built = []
    for pyx in sorted((HERE / CYTHON_DIR).glob("*.pyx")):
        if only and pyx.stem not in only:
            continue
        ext = Extension(
            f"scratchml._cython.{pyx.stem}",
            # A path relative to setup.py keeps sdists and isolated builds happy.
            [os.path.relpath(pyx, HERE)],
            include_dirs=[numpy.get_include(), str(CYTHON_DIR)],
            extra_compile_args=_compile_args(),
            define_macros=[("NPY_NO_DEPRECATED_API", "NPY_1_7_API_VERSION")],
        )
        # One kernel at a time: a .pyx that Cython cannot translate costs only
        # that kernel (it runs on NumPy), never the others.
        try:
            built += cythonize(
                [ext],
                compiler_directives={
                    "language_level": 3,
                    "boundscheck": False,
                    "wraparound": False,
                    "cdivision": True,
                    "initializedcheck": False,
                },
                quiet=True,
            )
        except Exception as exc:
            _warn(f"Cython could not translate {pyx.name} ({exc}); it will run on NumPy.")
    return built


setup(
    packages=find_packages(include=["scratchml", "scratchml.*"]) + ["scratchml._cuda"],
    package_dir={"scratchml._cuda": "kernels/cuda"},
    # The bundled real datasets (gzip CSV + descriptions) read by scratchml.datasets.
    package_data={"scratchml.datasets": ["data/*.csv.gz", "data/*.rst", "data/*.md"]},
    ext_modules=_extensions(),
    cmdclass={"build_ext": OptionalBuildExt},
)
