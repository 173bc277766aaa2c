"""Run the benchmark suite: ``python -m benchmarks.run [--quick] [--only PATTERN] ...``.

Imports every module in ``benchmarks/cases`` (each registers its cases), runs
the selected cases one after the other, prints a table, and writes
``results.json``, ``REPORT.md`` and ``ratios.png`` into ``--out``. Exits 1 when
a case failed (the others still run), 2 when no case matched ``--only``.
Also works as ``python benchmarks/run.py``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the package importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import harness  # noqa: E402


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run",
        description="Benchmark scratchml against scikit-learn (and PyTorch): times, "
                    "time ratios, scores and peak memory.")
    parser.add_argument("--quick", action="store_true",
                        help="smaller data and fewer repeats "
                             "(the whole suite in ~10 minutes on 2 cores)")
    parser.add_argument("--repeats", type=int, default=None, metavar="N",
                        help="timed runs per side (default: 5, or 3 with --quick; "
                             "some cases set their own)")
    parser.add_argument("--only", action="append", default=[], metavar="PATTERN",
                        help="run cases whose name contains PATTERN or matches it as a "
                             "shell pattern (fnmatch); repeatable")
    parser.add_argument("--list", action="store_true", help="list the cases and exit")
    parser.add_argument("--out", type=Path, default=harness.DEFAULT_OUT, metavar="DIR",
                        help="output folder (default: benchmarks/results)")
    parser.add_argument("--no-plot", action="store_true", help="do not write ratios.png")
    args = parser.parse_args(argv)
    if args.repeats is not None and args.repeats < 1:
        parser.error("--repeats must be at least 1")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    notes = [n for n in [harness.prefer_installed_scratchml()] if n]
    import_errors = harness.load_cases()
    cases = harness.select(harness.CASES.values(), args.only)

    if args.list:
        for c in cases:
            quick = "" if c.params_for(True) == c.params else f"  quick: {c.quick_params}"
            print(f"{c.name}  [{c.family}]  vs {c.ref.label}  full: {c.params}{quick}")
        for module, error in import_errors:
            print(f"{module}: failed to import: {error.strip().splitlines()[-1]}")
        return 1 if import_errors else 0
    if not cases and not import_errors:
        print(f"No case matches {args.only}; see --list.", file=sys.stderr)
        return 2

    mode = "quick" if args.quick else "full"
    print(f"scratchml benchmarks ({mode}): {len(cases)} case(s), output in {args.out}")
    for note in notes:
        print(f"note: {note}")
    started = time.perf_counter()
    results = [
        {"name": module, "family": "(import)", "description": "", "status": "failed",
         "reason": "case module failed to import", "error": error, "params": {},
         "repeats": 0, "sides": {}, "ratio": {}, "score_name": "", "score": {},
         "compare": {}, "extra": {}, "wall_s": 0.0}
        for module, error in import_errors
    ]
    for c in cases:
        print(f"  {c.name} ...", end=" ", flush=True)
        r = harness.run_case(c, quick=args.quick, repeats=args.repeats)
        results.append(r)
        ratios = ", ".join(f"{p} {harness.fmt_ratio(v)}" for p, v in r["ratio"].items())
        print(f"{r['status']} ({r['wall_s']:.1f} s){': ' + ratios if ratios else ''}"
              f"{': ' + r['reason'] if r['reason'] else ''}", flush=True)
    wall = time.perf_counter() - started

    env = harness.environment()  # after the cases: every BLAS/OpenMP pool is loaded
    counts = {s: sum(r["status"] == s for r in results) for s in ("ok", "skipped", "failed")}
    default = "3" if args.quick else "5"
    meta = {"mode": mode, "repeats": args.repeats or f"{default} (unless a case sets its own)",
            "counts": counts, "wall_s": wall, "notes": notes, "argv": sys.argv[1:] if argv is None
            else list(argv)}
    paths, plot_note = harness.write_outputs(results, env, meta, args.out, plot=not args.no_plot)

    print()
    print(harness.text_table(results))
    print()
    if harness.extras_text(results):
        print(harness.extras_text(results))
    print("ratio = scratchml time / reference time (< 1: scratchml faster); peak mem is "
          "tracemalloc-based.")
    print(f"{harness.fmt_counts(counts)} in {wall:.1f} s. "
          f"Wrote {', '.join(str(p) for p in paths.values())}.")
    if "plot" not in paths and not args.no_plot:
        print(f"note: {plot_note}")
    for r in results:
        if r["status"] == "failed":
            print(f"\nFAILED {r['name']}:\n{r['error'].rstrip()}", file=sys.stderr)
    return 1 if counts["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
