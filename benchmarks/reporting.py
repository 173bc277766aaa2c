"""The benchmark report: terminal table, REPORT.md, results.json and the ratio plot."""

from __future__ import annotations

import json
from pathlib import Path

RATIO_NOTE = (
    "**ratio** = scratchml median time / reference median time for the same phase, "
    "measured in one process on the same data with the two sides run alternately "
    "(A, B, A, B, ...) after one warm-up run each. **< 1 means scratchml is faster**, "
    "> 1 means it is slower. Absolute times depend on the machine and its load; the "
    "ratio is the number to compare."
)
MEMORY_NOTE = (
    "**peak mem** is tracemalloc-based: the peak of Python and NumPy allocations traced "
    "by `tracemalloc` during one extra run of each side (fit + predict/call), after the "
    "data was built. Memory that native code allocates outside Python's and NumPy's "
    "allocators (C/C++ `malloc`, BLAS buffers, GPU memory) is not counted."
)
THREADS_NOTE = (
    "Both sides use all cores with their default thread settings (scratchml's `n_jobs=None`, "
    "scikit-learn's OpenMP and BLAS defaults); the BLAS/OpenMP pools are listed above."
)


def fmt_time(s) -> str:
    if s is None:
        return "—"
    if s < 1e-3:
        return f"{s * 1e6:.0f} µs"
    if s < 1:
        return f"{s * 1e3:.1f} ms"
    return f"{s:.2f} s"


def fmt_ratio(r) -> str:
    if r is None:
        return "—"
    return f"{r:.2g}" if r < 0.1 else f"{r:.2f}" if r < 100 else f"{r:.0f}"


def fmt_bytes(b) -> str:
    if b is None:
        return "n/a"
    if b < 1 << 20:
        return f"{b / 1024:.0f} KiB"
    return f"{b / (1 << 20):.1f} MiB"


def fmt_num(x) -> str:
    if x is None:
        return "—"
    if isinstance(x, bool) or isinstance(x, str):
        return str(x)
    if isinstance(x, int):
        return str(x)
    return f"{x:.6g}"


def _phase_cell(r, key, phase_group):
    side = r["sides"].get(key)
    if not side:
        return "—"
    med = side["median"]
    return fmt_time(med.get("fit") if phase_group == "fit" else med.get("predict", med.get("call")))


def _ratio_cell(r, phase_group):
    ratio = r["ratio"]
    return fmt_ratio(ratio.get("fit") if phase_group == "fit"
                     else ratio.get("predict", ratio.get("call")))


def _score_cell(r):
    s = r["score"]
    if not s:
        return "—"
    return f"{fmt_num(s.get('ours'))} vs {fmt_num(s.get('ref'))} (Δ {fmt_num(s.get('diff'))})"


def _compare_cell(r):
    items = list(r["compare"].items())
    return "; ".join(f"{k} {fmt_num(v)}" for k, v in items) if items else "—"


def table_rows(results) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the summary table (used by stdout and REPORT.md)."""
    header = ["case", "status", "reference", "fit ours", "fit ref", "fit ratio",
              "predict/call ours", "predict/call ref", "predict/call ratio",
              "score ours vs ref", "compare", "peak mem ours", "peak mem ref"]
    rows = []
    for r in results:
        if r["status"] != "ok":
            why = r["reason"] if len(r["reason"]) <= 80 else r["reason"][:77] + "..."
            rows.append([r["name"], f"{r['status']}: {why}"] + [""] * (len(header) - 2))
            continue
        rows.append([
            r["name"], "ok", r["sides"]["ref"]["label"],
            _phase_cell(r, "ours", "fit"), _phase_cell(r, "ref", "fit"), _ratio_cell(r, "fit"),
            _phase_cell(r, "ours", "predict"), _phase_cell(r, "ref", "predict"),
            _ratio_cell(r, "predict"),
            _score_cell(r), _compare_cell(r),
            fmt_bytes(r["sides"]["ours"]["peak_bytes"]), fmt_bytes(r["sides"]["ref"]["peak_bytes"]),
        ])
    return header, rows


def text_table(results) -> str:
    """A plain fixed-width table for the terminal (the compact columns only)."""
    header, rows = table_rows(results)
    keep = [0, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 10]
    short = ["case", "ref", "fit ours", "fit ref", "ratio", "pred/call ours", "pred/call ref",
             "ratio", "score ours vs ref", "mem ours", "mem ref", "compare"]
    lines_src = []
    for row in rows:
        if row[1] != "ok":
            lines_src.append((row[0], row[1]))
        else:
            lines_src.append([row[i] for i in keep])
    widths = [len(h) for h in short]
    for row in lines_src:
        if isinstance(row, list):
            widths = [max(w, len(c)) for w, c in zip(widths, row)]
    widths[0] = max([widths[0]] + [len(row[0]) for row in lines_src])

    def line(cells):
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()

    out = [line(short), line(["-" * w for w in widths])]
    for row in lines_src:
        out.append(line(row) if isinstance(row, list) else f"{row[0].ljust(widths[0])}  {row[1]}")
    return "\n".join(out)


def fmt_counts(counts: dict) -> str:
    return ", ".join(f"{n} {status}" for status, n in counts.items())


def extras_text(results) -> str:
    """One line per extra number a case added (e.g. import scratchml / import numpy)."""
    return "\n".join(f"{r['name']}: {k} = {fmt_num(v)}"
                     for r in results if r["status"] == "ok" for k, v in r["extra"].items())


def _md_escape(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def markdown_report(results, env, meta, plot_note: str) -> str:
    header, rows = table_rows(results)
    lines = [
        "# scratchml benchmark report", "",
        f"Mode: **{meta['mode']}**, repeats: {meta['repeats']}, "
        f"cases: {fmt_counts(meta['counts'])}, total wall time {meta['wall_s']:.1f} s, "
        f"{env['date']}.", "",
        "## Environment", "",
        "| | |", "| --- | --- |",
    ]
    for key in ("python", "platform", "cpu", "cpu_count", "cpus_usable", "OPENBLAS_CORETYPE",
                "numpy", "sklearn", "scratchml", "scratchml_path", "scratchml_backends",
                "thread_env"):
        if key in env:
            lines.append(f"| {key} | {_md_escape(env[key])} |")
    lines += ["", "BLAS / OpenMP thread pools (threadpoolctl):", ""]
    if isinstance(env.get("threadpools"), list):
        for p in env["threadpools"]:
            lines.append(f"- {p['user_api']}: {p['internal_api']} {p.get('version') or ''} "
                         f"({p['prefix']}), {p['num_threads']} threads"
                         + (f", {p['architecture']}" if p.get("architecture") else ""))
    else:
        lines.append(f"- {env.get('threadpools')}")
    for note in meta.get("notes", []):
        lines += ["", f"> {note}"]
    lines += ["", "## How to read this", "", RATIO_NOTE, "", MEMORY_NOTE, "", THREADS_NOTE, "",
              "Function-style cases (kernels) time one call, shown in the predict/call columns. "
              "**score ours vs ref** is each side's score on its own output (Δ = ours − ref); "
              "**compare** compares the two outputs directly.", "",
              "## Results", ""]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "---|" * len(header))
    for row in rows:
        lines.append("| " + " | ".join(_md_escape(c) for c in row) + " |")
    lines += ["", plot_note, ""]
    detailed = [r for r in results if r["status"] == "ok" and (r["extra"] or r["description"])]
    if detailed:
        lines += ["## Details", ""]
        for r in detailed:
            about = f": {r['description']}" if r["description"] else ""
            lines.append(f"- **{r['name']}**{about}")
            for k, v in r["extra"].items():
                lines.append(f"  - {k}: {fmt_num(v)}")
            score = f"score: {r['score_name']}; " if r["score"] else ""
            lines.append(f"  - {score}params: `{r['params']}`; repeats: {r['repeats']}")
        lines.append("")
    failed = [r for r in results if r["status"] == "failed"]
    if failed:
        lines += ["## Failures", ""]
        for r in failed:
            lines += [f"### {r['name']}", "", "```", r["error"].rstrip(), "```", ""]
    return "\n".join(lines)


def write_plot(results, path: Path) -> str:
    """Horizontal bars of the fit and predict/call ratios on a log axis; returns a note."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return "matplotlib is not installed: no ratios.png (pip install matplotlib)."
    bars = []  # (label, ratio, phase)
    for r in results:
        if r["status"] != "ok":
            continue
        for phase in ("fit", "predict", "call"):
            if phase in r["ratio"]:
                group = "fit" if phase == "fit" else "predict/call"
                bars.append((r["name"], r["ratio"][phase], group))
    if not bars:
        return "No ratios to plot."
    colours = {"fit": "tab:blue", "predict/call": "tab:orange"}
    fig, ax = plt.subplots(figsize=(9, 1.2 + 0.32 * len(bars)))
    y = list(range(len(bars)))[::-1]
    # Bars grow from the line at 1: to the left when scratchml is faster.
    ax.barh(y, [b[1] - 1.0 for b in bars], left=1.0, color=[colours[b[2]] for b in bars])
    for yi, (_, ratio, _) in zip(y, bars):
        ax.annotate(fmt_ratio(ratio), (ratio, yi), xytext=(3 if ratio >= 1 else -3, 0),
                    textcoords="offset points", va="center", fontsize=7,
                    ha="left" if ratio >= 1 else "right")
    ax.set_yticks(y)
    ax.set_yticklabels([f"{b[0]} ({b[2]})" for b in bars], fontsize=8)
    ax.set_xscale("log")
    ax.axvline(1.0, color="black", linewidth=1)
    ax.set_xlabel("scratchml time / reference time (log; < 1: scratchml faster)")
    ax.set_title("scratchml vs reference, median time ratio")
    present = [p for p in colours if any(b[2] == p for b in bars)]
    handles = [plt.Rectangle((0, 0), 1, 1, color=colours[p]) for p in present]
    ax.legend(handles, present, loc="best", fontsize=8)
    lo = min(b[1] for b in bars + [("", 1.0, "")])
    hi = max(b[1] for b in bars + [("", 1.0, "")])
    ax.set_xlim(lo / 3, hi * 3)  # room for the labels
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return "![ratios](ratios.png)"


def write_outputs(results, env, meta, out_dir: Path, plot: bool = True):
    """Write results.json, REPORT.md and ratios.png into ``out_dir``: ``(paths, plot_note)``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"json": out_dir / "results.json", "report": out_dir / "REPORT.md"}
    plot_path = out_dir / "ratios.png"
    plot_path.unlink(missing_ok=True)  # never leave a stale plot next to a new report
    if plot:
        plot_note = write_plot(results, plot_path)
        if plot_path.exists() and plot_note.startswith("!"):
            paths["plot"] = plot_path
    else:
        plot_note = "Plot not requested."
    meta = dict(meta, plot_note=plot_note)
    payload = {"meta": meta, "environment": env, "notes": {
        "ratio": RATIO_NOTE, "memory": MEMORY_NOTE, "threads": THREADS_NOTE}, "cases": results}
    paths["json"].write_text(json.dumps(payload, indent=2, default=str))
    paths["report"].write_text(markdown_report(results, env, meta, plot_note))
    return paths, plot_note


__all__ = [
    "MEMORY_NOTE", "RATIO_NOTE", "THREADS_NOTE", "extras_text", "fmt_bytes", "fmt_counts",
    "fmt_num", "fmt_ratio", "fmt_time", "markdown_report", "table_rows", "text_table",
    "write_outputs", "write_plot",
]
