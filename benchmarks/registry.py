"""The benchmark data model: ``Case``, ``Side``, ``SelfTimed`` and the registry of cases.

See :mod:`benchmarks.harness` (which re-exports everything here) for how to add a case.
"""

from __future__ import annotations

import fnmatch
import importlib
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = Path(__file__).resolve().parent / "results"
PHASES = ("fit", "predict", "call")

# --------------------------------------------------------------------------- cases


@dataclass(frozen=True)
class SelfTimed:
    """Returned by a side's callable that timed itself: ``value`` is its result."""

    value: Any
    seconds: float


@dataclass
class Side:
    """One implementation of a case: scratchml's or the reference's."""

    label: str
    fit: Callable[[Any], Any] | None = None
    predict: Callable[[Any, Any], Any] | None = None
    call: Callable[[Any], Any] | None = None
    requires: tuple[str, ...] = ()

    def __post_init__(self):
        if self.call is not None and (self.fit is not None or self.predict is not None):
            raise ValueError(f"side {self.label!r}: give call, or fit and/or predict, not both")
        if self.call is None and self.fit is None and self.predict is None:
            raise ValueError(f"side {self.label!r} has nothing to run: give fit, predict or call")

    @property
    def phases(self) -> tuple[str, ...]:
        if self.call is not None:
            return ("call",)
        return tuple(p for p in ("fit", "predict") if getattr(self, p) is not None)


@dataclass
class Case:
    """A benchmark: data factory, two sides, and how to score their outputs."""

    name: str
    family: str
    data: Callable[..., Any]
    ours: Side
    ref: Side
    params: dict = field(default_factory=dict)
    quick_params: dict | None = None  # None: the same as params
    score: Callable[[Any, Any], float] | None = None
    score_name: str = "score"
    compare: Callable[[Any, Any, Any], dict] | None = None
    skip_if: Callable[[], str | None] | None = None
    extra: Callable[[Any, dict], dict] | None = None
    repeats: int | None = None  # per-case defaults; --repeats overrides them
    quick_repeats: int | None = None
    measure_memory: bool = True
    description: str = ""

    def params_for(self, quick: bool) -> dict:
        return dict(self.quick_params if quick and self.quick_params is not None else self.params)


CASES: dict[str, Case] = {}


def register(case: Case) -> Case:
    """Add ``case`` to the registry (names are unique) and return it."""
    if case.name in CASES:
        raise ValueError(f"a benchmark case named {case.name!r} is already registered")
    CASES[case.name] = case
    return case


def case(**fields) -> Callable:
    """Decorator form of ``register``: the decorated function is the data factory.

    ``@case(name="x", family="f", ours=Side(...), ref=Side(...))`` over
    ``def make_data(**params)`` registers ``Case(data=make_data, **fields)``.
    """

    def decorate(make_data):
        register(Case(data=make_data, **fields))
        return make_data

    return decorate


def load_cases() -> list[tuple[str, str]]:
    """Import every module of ``benchmarks.cases``; return ``(module, error)`` for failures."""
    import pkgutil

    from benchmarks import cases as package

    errors = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = f"{package.__name__}.{info.name}"
        try:
            importlib.import_module(module)
        except Exception:
            errors.append((module, traceback.format_exc()))
    return errors


def select(cases, patterns) -> list[Case]:
    """Cases whose name contains a pattern or matches it as an fnmatch pattern."""
    if not patterns:
        return list(cases)
    return [
        c for c in cases
        if any(p in c.name or fnmatch.fnmatchcase(c.name, p) for p in patterns)
    ]


__all__ = [
    "CASES", "DEFAULT_OUT", "PHASES", "REPO_ROOT", "Case", "SelfTimed", "Side", "case",
    "load_cases", "register", "select",
]
