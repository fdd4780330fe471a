"""Saving and loading the weights of each module kind, safetensors only.

- ``la``/``se``: peft LoRA folders (``adapter_config.json`` + ``adapter_model.safetensors``),
  saved without embedding layers so one adapter can sit next to any vocabulary.
- ``cla``: an ``adapters`` parallel bottleneck adapter. ``adapters`` saves pickles by
  default, so langzoo stores its config as JSON and its weights as safetensors, with
  the adapter's name replaced by a placeholder so it can be loaded under any name.
- ``embeddings``: the language's input embedding matrix (half precision by default).
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file

from langzoo.errors import ModuleFormatError

NAME_SLOT = "{adapter}"


def adapter_name(kind: str, lang_code: str) -> str:
    """Name under which a module is registered in the shared body, e.g. ``la__uzn_Latn``."""
    return f"{kind}__{lang_code}"


# ---------------------------------------------------------------- embeddings
def save_embeddings(weight: torch.Tensor, folder: Path, *, dtype: torch.dtype = torch.float16) -> None:
    save_file({"weight": weight.detach().to("cpu", dtype).contiguous()}, str(Path(folder) / "embeddings.safetensors"))


def load_embeddings(folder: Path) -> torch.Tensor:
    tensors = load_file(str(Path(folder) / "embeddings.safetensors"))
    if set(tensors) != {"weight"} or tensors["weight"].dim() != 2:
        raise ModuleFormatError(f"{folder}/embeddings.safetensors must hold one 2-D tensor named 'weight'")
    return tensors["weight"]


# ---------------------------------------------------------------- LoRA (peft)
def save_lora(peft_model, name: str, folder: Path, *, base_id: str) -> None:
    """Write one peft adapter's files (no embedding layers) straight into ``folder``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        peft_model.save_pretrained(tmp, selected_adapters=[name], save_embedding_layers=False,
                                   safe_serialization=True)
        src = Path(tmp) / name if (Path(tmp) / name).is_dir() else Path(tmp)
        for fname in ("adapter_config.json", "adapter_model.safetensors"):
            shutil.copyfile(src / fname, folder / fname)
    cfg_path = folder / "adapter_config.json"
    cfg = json.loads(cfg_path.read_text())
    cfg["base_model_name_or_path"] = base_id  # informational; langzoo never resolves it
    cfg_path.write_text(json.dumps(cfg, indent=2, sort_keys=True))


# ---------------------------------------------------------------- CLA (adapters)
def save_cla(body, name: str, folder: Path, config: dict) -> None:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    marker = f".{name}."
    tensors = {k.replace(marker, f".{NAME_SLOT}."): v.detach().to("cpu").contiguous()
               for k, v in body.state_dict().items() if marker in k and "adapters" in k}
    if not tensors:
        raise ModuleFormatError(f"No weights found for adapter {name!r} in the body")
    save_file(tensors, str(folder / "adapter.safetensors"))
    (folder / "adapter_config.json").write_text(json.dumps({"architecture": "par_bn", "config": config}, indent=2))


def cla_config(folder: Path) -> dict:
    data = json.loads((Path(folder) / "adapter_config.json").read_text())
    if data.get("architecture") != "par_bn":
        raise ModuleFormatError(f"{folder}: cla adapter architecture {data.get('architecture')!r} is not par_bn")
    return data["config"]


def add_cla(body, name: str, config: dict) -> None:
    from adapters import ParBnConfig

    body.add_adapter(name, config=ParBnConfig(**config))


def load_cla(body, folder: Path, name: str) -> None:
    """Add a parallel adapter named ``name`` to ``body`` and load its weights."""
    add_cla(body, name, cla_config(folder))
    weights = {k.replace(f".{NAME_SLOT}.", f".{name}."): v for k, v in load_file(str(Path(folder) / "adapter.safetensors")).items()}
    own = {k for k in body.state_dict() if f".{name}." in k and "adapters" in k}
    if set(weights) != own:
        body.delete_adapter(name)
        raise ModuleFormatError(f"{folder}: cla weights do not fit this base (expected {len(own)} tensors, "
                                f"file has {len(weights)})")
    missing, unexpected = body.load_state_dict(weights, strict=False)
    if unexpected:
        raise ModuleFormatError(f"{folder}: unexpected cla tensors {unexpected[:3]}")
