"""Reports of an :class:`~langzoo.evaluation.runner.EvaluationResult`: terminal table, JSON, markdown, PNG."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path

from langzoo.evaluation.runner import EvaluationResult


def score_rows(result: EvaluationResult) -> list[dict]:
    """One row per (task, main score key): values per configuration, and which is best."""
    rows = []
    for task in result.tasks:
        keys: dict[str, None] = {}
        for config in result.configs:
            s = result.scores.get(config, {}).get(task.name)
            if s is not None:
                keys.update(dict.fromkeys(s.main))
        if not keys:
            keys = {"(failed)": None}
        for key in keys:
            values = {}
            for config in result.configs:
                s = result.scores.get(config, {}).get(task.name)
                values[config] = s.main.get(key) if s is not None else None
            finite = {c: v for c, v in values.items() if v is not None and not math.isnan(v)}
            better = task.better(key)
            best: set[str] = set()
            if len(finite) > 1:
                target = (max if better == "higher" else min)(finite.values())
                if any(v != target for v in finite.values()):  # a tie across all is no winner
                    best = {c for c, v in finite.items() if v == target}
            rows.append({"task": task.name, "family": task.family, "key": key, "metric": task.metric,
                         "better": better, "n": task.n_items, "values": values, "best": best})
    return rows


def _fmt(v: float | None) -> str:
    if v is None:
        return "—"
    if math.isnan(v):
        return "nan"
    return f"{v:.3f}" if abs(v) <= 1.0 and v != 0 else f"{v:.2f}"


def print_table(result: EvaluationResult, console=None) -> None:
    """Rich table, best configuration per row in bold; failed tasks listed below it."""
    from rich.console import Console
    from rich.table import Table

    console = console or Console()
    table = Table(title="langzoo evaluation", show_lines=False)
    for col in ("task", "score", "metric", "n"):
        table.add_column(col, no_wrap=True)
    for config in result.configs:
        table.add_column(config, justify="right")
    previous = None
    for row in score_rows(result):
        arrow = "↑" if row["better"] == "higher" else "↓"
        cells = [f"[bold]{_fmt(v)}[/bold]" if c in row["best"] else _fmt(v) for c, v in row["values"].items()]
        task_cell = row["task"] if row["task"] != previous else ""
        if row["task"] != previous and previous is not None:
            table.add_section()
        previous = row["task"]
        table.add_row(task_cell, row["key"], f"{row['metric']} {arrow}", str(row["n"]), *cells)
    console.print(table)
    for config, errs in result.errors.items():
        for task, msg in errs.items():
            console.print(f"[red]{config} / {task} failed:[/red] {msg}")
    for config, t in result.timing.items():
        console.print(f"{config}: encoded {int(t['texts_encoded'])} texts in {t['encode_s']:.1f} s "
                      f"({int(t['texts_cached'])} from cache), scoring {t['score_s']:.1f} s")


def to_markdown(result: EvaluationResult) -> str:
    head = ["task", "score", "metric", "n", *result.configs]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(["---"] * 4 + ["---:"] * len(result.configs)) + "|"]
    for row in score_rows(result):
        arrow = "↑" if row["better"] == "higher" else "↓"
        cells = [f"**{_fmt(v)}**" if c in row["best"] else _fmt(v) for c, v in row["values"].items()]
        lines.append("| " + " | ".join([row["task"], row["key"], f"{row['metric']} {arrow}", str(row["n"]), *cells])
                     + " |")
    notes = [f"- {c} / {t}: failed: {m}" for c, errs in result.errors.items() for t, m in errs.items()]
    return "\n".join(lines) + "\n" + ("\n" + "\n".join(notes) + "\n" if notes else "")


def _nan_to_none(obj):
    """NaN is not JSON: write null so any JSON reader can load the file."""
    if isinstance(obj, float) and math.isnan(obj):
        return None
    if isinstance(obj, dict):
        return {k: _nan_to_none(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_nan_to_none(v) for v in obj]
    return obj


def write_json(result: EvaluationResult, path: str | Path) -> Path:
    p = Path(path)
    data = _nan_to_none(result.to_dict())
    p.write_text(json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n", encoding="utf-8")
    return p


def write_markdown(result: EvaluationResult, path: str | Path) -> Path:
    p = Path(path)
    p.write_text(to_markdown(result), encoding="utf-8")
    return p


def write_plot(result: EvaluationResult, path: str | Path) -> Path:
    """Grouped horizontal bars: one panel per metric, one bar per configuration for each score row."""
    import matplotlib

    matplotlib.use("Agg", force=True)  # no display on servers; must precede pyplot
    import matplotlib.pyplot as plt

    rows = score_rows(result)
    metrics: dict[str, list[dict]] = {}
    for row in rows:
        metrics.setdefault(row["metric"], []).append(row)
    n_rows = [len(v) for v in metrics.values()]
    fig, axes = plt.subplots(len(metrics), 1, squeeze=False,
                             figsize=(9, max(3.0, 0.28 * (sum(n_rows) * max(1, len(result.configs)) ** 0.5)
                                             + 1.2 * len(metrics))),
                             gridspec_kw={"height_ratios": n_rows})
    width = 0.8 / max(1, len(result.configs))
    for ax, (metric, mrows) in zip(axes[:, 0], metrics.items()):
        labels = [f"{r['task']}:{r['key']}" for r in mrows]
        for j, config in enumerate(result.configs):
            vals = [r["values"][config] for r in mrows]
            vals = [float("nan") if v is None else v for v in vals]
            ax.barh([i + j * width for i in range(len(mrows))], vals, height=width, label=config)
        ax.set_yticks([i + width * (len(result.configs) - 1) / 2 for i in range(len(mrows))])
        ax.set_yticklabels(labels, fontsize=7)
        ax.invert_yaxis()
        arrow = "higher" if all(r["better"] == "higher" for r in mrows) else "see table for direction"
        ax.set_xlabel(f"{metric} ({arrow} is better)" if "see" not in arrow else f"{metric} ({arrow})", fontsize=8)
        ax.grid(axis="x", alpha=0.3)
    axes[0, 0].legend(fontsize=8, loc="best")
    fig.suptitle("langzoo evaluation: configurations per task", fontsize=10)
    fig.tight_layout()
    p = Path(path)
    fig.savefig(p, dpi=110)
    plt.close(fig)
    return p


def write_reports(result: EvaluationResult, out_dir: str | Path, stem: str = "results") -> dict[str, Path]:
    """Write ``<stem>.json``, ``<stem>.md`` and ``<stem>.png`` to ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    return {
        "json": write_json(result, out / f"{stem}.json"),
        "markdown": write_markdown(result, out / f"{stem}.md"),
        "png": write_plot(result, out / f"{stem}.png"),
    }


__all__: Sequence[str] = ["score_rows", "print_table", "to_markdown", "write_json", "write_markdown", "write_plot",
                          "write_reports"]
