"""The end-of-build summary (rich tables)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from langzoo.recipes.runner import BuildResult


def _mb(n: int) -> str:
    return f"{n / 1e6:.2f} MB" if n >= 1e5 else f"{n / 1e3:.1f} KB"


def _key_metrics(rec) -> str:
    m = rec.metrics
    text = _stage_metrics(rec, m)
    guard = m.get("real_dev") or {}
    if guard.get("curve"):
        best = guard["curve"][[s for s, _ in m.get("dev_curve", [])].index(m.get("best_step"))] \
            if m.get("best_step") in [s for s, _ in m.get("dev_curve", [])] else guard["curve"][-1]
        text += (f"; real dev ranking {guard['step0']['ranking']}→{best['ranking']}, "
                 + (f"L-en ranking {guard['step0']['xranking']}→{best['xranking']}, " if 'xranking' in best else "")
                 + f"err {guard['step0']['error']}→{best['error']}")
        if guard.get("note"):
            text += " (kept at identity: no real-sentence gain)"
    return text


def _stage_metrics(rec, m: dict) -> str:
    if rec.name == "tokenizer":
        if rec.info.get("method") == "base":
            return f"base vocabulary kept (pieces/word ratio to English {rec.info.get('fertility_ratio')})"
        return (f"{rec.info.get('method')}: vocab {rec.info.get('vocab_size')}, "
                f"pieces/word {rec.info.get('fertility_base')}→{rec.info.get('fertility_new')}")
    if rec.name == "focus":
        if rec.info.get("vocabulary_refused"):
            return rec.info["vocabulary_refused"]
        if rec.info.get("config", {}).get("vocabulary") == "base":
            return "(base vocabulary: nothing to initialise)"
        return (f"cos-to-base {m.get('dev_cosine_to_base')} (random init {m.get('dev_cosine_to_base_random_init')})")
    if rec.name == "la":
        return f"dev MLM loss {m.get('dev_mlm_loss_before')}→{m.get('dev_mlm_loss_after')}"
    if rec.name == "se":
        b, a = m.get("dev_before", {}), m.get("dev_after", {})
        obj = rec.info.get("config", {}).get("objective")
        return (f"[{obj}] retrieval {b.get('retrieval_acc')}→{a.get('retrieval_acc')}, "
                f"ranking {b.get('similarity_ranking')}→{a.get('similarity_ranking')}")
    if rec.name == "cla":
        b, a = m.get("dev_before", {}), m.get("dev_after", {})
        obj = rec.info.get("config", {}).get("objective")
        return (f"[{obj}] bitext err {b.get('error')}→{a.get('error')}, "
                f"ranking {b.get('similarity_ranking')}→{a.get('similarity_ranking')}")
    return ""


def _gate_table(title: str, rows: list[dict]) -> Table:
    gt = Table(title=title)
    for col in ("metric", "base", "pack", "delta", "verdict"):
        gt.add_column(col)
    for row in rows:
        better = "lower" if not row["higher_is_better"] else "higher"
        gt.add_row(row["metric"] + f" ({better} is better)", str(row["base"]), str(row["pack"]),
                   f"{row['delta']:+.4f}", "[red]worse[/red]" if row["worse"] else "[green]ok[/green]")
    return gt


def print_summary(result: BuildResult, console: Console | None = None) -> None:
    console = console or Console()
    table = Table(title=f"zoo build {result.language} on {result.base_id}")
    for col in ("lang", "stage", "status", "time", "dev metrics", "module size"):
        table.add_column(col)
    from langzoo.recipes.stages.descriptor import get_stage

    for rec in result.stages:
        sizes = []
        for kind in get_stage(rec.name).produces:
            folder = rec.folder / kind
            if rec.lang == result.language and kind in result.omitted:
                sizes.append(f"{kind} not in the pack ({'gate' if kind in result.dropped else 'identity'})")
            elif folder.is_dir():
                sizes.append(f"{kind} {_mb(sum(p.stat().st_size for p in folder.iterdir() if p.is_file()))}")
        lang = "en" if rec.lang == "eng_Latn" else rec.lang
        status = "cached" if rec.cached else "built"
        secs = rec.info.get("seconds", rec.seconds)
        procs = f" × {rec.info['processes']} processes" if rec.info.get("processes") else ""
        table.add_row(lang, rec.name, status, f"{secs:.1f} s" + procs + (" (earlier)" if rec.cached else ""),
                      _key_metrics(rec), ", ".join(sizes))
    console.print(table)
    base = result.base_bytes or 1
    parts = ", ".join(f"{k} {_mb(v)} ({100 * v / base:.2f} %)" for k, v in result.module_sizes.items())
    console.print(f"pack: {_mb(result.pack_bytes)} = {100 * result.pack_bytes / base:.2f} % of the base "
                  f"({_mb(result.base_bytes)}): {parts}")
    for kind, why in result.omitted.items():
        console.print(f"{kind} left out of the pack: {why['reason']}")
    gate = result.quality_gate
    if gate:
        for title, rows in ((f"quality gate vs the bare base on {gate.get('real_pairs', 0)} real sentence pairs",
                             gate.get("real_rows")),
                            (f"vs the bare base on the training data's dev split ({gate['dev_pairs']} pairs; "
                             "reported, does not decide)" if gate.get("real_rows") else
                             f"quality gate vs the bare base ({gate['dev_pairs']} dev pairs of the training data)",
                             gate.get("rows"))):
            if rows:
                console.print(_gate_table(title, rows))
        console.print(f"checked on: {gate.get('checked_on', 'the training data dev split')}")
        console.print(("[bold red]" if gate["worse"] else "[bold green]") + gate["verdict"])
    if result.refused:
        console.print(f"[bold red]{result.refused}")
    console.print(f"pack folder: {result.pack_path}")
    if result.published:
        console.print(f"installed: {result.published['pack']['location']}")
