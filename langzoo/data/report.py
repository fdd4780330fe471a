"""Print filter counts as a short rich table."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from langzoo.data.sets import FilterLog


def counts_table(log: FilterLog | dict[str, int], title: str = "counts") -> Table:
    """A rich table with one row per step: before, after, removed."""
    if isinstance(log, dict):
        fl = FilterLog()
        for k, v in log.items():
            fl.record(k, v)
        log = fl
    table = Table(title=title, title_justify="left")
    table.add_column("step")
    table.add_column("before", justify="right")
    table.add_column("after", justify="right")
    table.add_column("removed", justify="right")
    for step, before, after, removed in log.rows():
        table.add_row(step, f"{before:,}", f"{after:,}", f"{removed:,}" if removed else "")
    return table


def print_counts(log: FilterLog | dict[str, int], title: str = "counts", console: Console | None = None) -> None:
    (console or Console(stderr=True)).print(counts_table(log, title))
