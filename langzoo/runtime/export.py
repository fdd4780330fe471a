"""Export one language's composed encoder as a standalone sentence-transformers folder.

The language's embeddings replace the base's, its ``la`` and ``se`` LoRAs are merged
into the linear weights, and the folder gets the base's pooling and normalisation, so
``SentenceTransformer(path)`` reproduces ``Zoo.encode(texts, lang=L, alignment=False)``
with sentence-transformers alone.

The ``cla`` adapter is a *parallel* bottleneck with a ReLU beside each feed-forward
block; it cannot be folded into BERT's GELU feed-forward weights, and a plain
transformers model has no place for it. Exports are therefore monolingual (Mod_m).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import torch

from langzoo.errors import LangzooError
from langzoo.modules.adapter_io import load_embeddings
from langzoo.modules.kinds import get_module_kind
from langzoo.modules.kinds.lora import LoraKind
from langzoo.modules.manifest import uses_base_vocabulary
from langzoo.modules.base_encoder import BaseEncoder
from langzoo.modules.pack import LanguagePack


def export_sentence_transformer(base: BaseEncoder, pack: LanguagePack | None, out: str | Path, *,
                                overwrite: bool = False) -> Path:
    """Write ``base`` + ``pack`` (embeddings, la, se merged) as a sentence-transformers folder."""
    from peft import PeftModel
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer import modules as models
    from transformers import AutoTokenizer

    out = Path(out)
    if out.exists():
        if not overwrite:
            raise LangzooError(f"{out} exists; pass overwrite=True (--overwrite) to replace it")
        shutil.rmtree(out)
    body = base.load_model()
    tokenizer = base.load_tokenizer()
    if pack is not None and "embeddings" in pack.modules and not uses_base_vocabulary(pack.modules["embeddings"]):
        folder = pack.module_path("embeddings")
        weight = load_embeddings(folder).to(body.get_input_embeddings().weight.dtype)
        tokenizer = AutoTokenizer.from_pretrained(folder, use_fast=True, fix_mistral_regex=False)
        body.resize_token_embeddings(weight.shape[0])
        with torch.no_grad():
            body.get_input_embeddings().weight.copy_(weight)
        body.config.pad_token_id = tokenizer.pad_token_id
    # LoRA kinds of the encoding stack fold into the linear weights; other kinds (cla) have no
    # place in a plain model, and align is not part of encoding at all
    lora = [k for k in (pack.kinds if pack is not None else [])
            if isinstance(get_module_kind(k), LoraKind) and get_module_kind(k).encodes]
    if lora:
        pm = PeftModel.from_pretrained(body, str(pack.module_path(lora[0])), adapter_name=lora[0])
        for kind in lora[1:]:
            pm.load_adapter(str(pack.module_path(kind)), adapter_name=kind)
        body = pm.merge_and_unload(adapter_names=lora)
    tokenizer.model_max_length = base.profile.max_seq_length

    staging = out.with_name(out.name + ".tmp")
    shutil.rmtree(staging, ignore_errors=True)
    hf_dir = staging / "_hf"
    body.save_pretrained(hf_dir, safe_serialization=True)
    tokenizer.save_pretrained(hf_dir)
    transformer = models.Transformer(str(hf_dir), max_seq_length=base.profile.max_seq_length)
    pooling = models.Pooling(transformer.get_embedding_dimension(), pooling_mode=base.profile.pooling)
    modules = [transformer, pooling]
    dense = base.load_dense()
    if dense is not None:
        layer = dense[0]
        st_dense = models.Dense(layer.in_features, layer.out_features, bias=layer.bias is not None,
                                activation_function=dense[1])
        st_dense.linear.load_state_dict(layer.state_dict())
        modules.append(st_dense)
    if base.profile.normalize:
        modules.append(models.Normalize())
    prompts = {"query": base.profile.prefix} if base.profile.prefix else {}
    model = SentenceTransformer(modules=modules, prompts=prompts, default_prompt_name="query" if prompts else None,
                                device="cpu")
    model.save(str(staging / "model"), safe_serialization=True)
    lang = pack.language if pack is not None else None
    (staging / "model" / "langzoo_export.json").write_text(json.dumps({
        "base": {"id": base.base_id, "fingerprint": base.fingerprint},
        "language": lang.code if lang else None,
        "modules": {k: pack.modules[k].content_hash for k in ["embeddings", *lora] if k in pack.modules} if pack else {},
        "alignment": False,
    }, indent=2))
    shutil.move(str(staging / "model"), out)
    shutil.rmtree(staging, ignore_errors=True)
    return out
