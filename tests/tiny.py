"""Tiny random models and packs for fast unit tests (no network, no shared data).

The packs are built with the same writers the recipes use (peft LoRA, adapters'
parallel adapter, safetensors embeddings, manifests), but with random weights so
that every module visibly changes the output.
"""

from __future__ import annotations

from pathlib import Path

import torch

CORPUS = {
    "en": ["the cat sits on the mat", "a dog runs in the park", "we read books at home",
           "the weather is nice today", "she writes a long letter", "open the file menu"],
    "uz": ["mushuk gilamchada o'tiribdi", "it bog'da yuguradi", "biz uyda kitob o'qiymiz",
           "bugun havo yaxshi", "u uzun xat yozadi", "fayl menyusini oching"],
    "kk": ["мысық кілемде отыр", "ит саябақта жүгіреді", "біз үйде кітап оқимыз",
           "бүгін ауа райы жақсы", "ол ұзын хат жазады", "файл мәзірін ашыңыз", "жаңа терезе ашу"],
    "de": ["die katze sitzt auf der matte", "ein hund läuft im park", "wir lesen bücher zu hause",
           "das wetter ist heute schön", "sie schreibt einen langen brief", "öffne das dateimenü"],
}


def train_wordpiece(texts: list[str], vocab_size: int):
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors, trainers
    from transformers import BertTokenizerFast

    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.normalizer = normalizers.NFKC()
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    tok.train_from_iterator(texts, trainers.WordPieceTrainer(vocab_size=vocab_size, special_tokens=specials))
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", special_tokens=[("[CLS]", tok.token_to_id("[CLS]")), ("[SEP]", tok.token_to_id("[SEP]"))])
    return BertTokenizerFast(tokenizer_object=tok, do_lower_case=False, strip_accents=False,
                             unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]", sep_token="[SEP]",
                             mask_token="[MASK]")


def make_tiny_base(folder: Path, *, seed: int = 0, hidden: int = 32, prefix: str = "query: ") -> Path:
    """A random 2-layer BERT with a WordPiece tokenizer, saved as a langzoo base folder."""
    from transformers import BertConfig, BertModel

    from langzoo.modules.base_encoder import EncodingProfile, write_sidecar
    from langzoo.modules.hashing import fingerprint_state_dict

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    texts = [t for lang in CORPUS.values() for t in lang] + ["query"]
    tok = train_wordpiece(texts, 300)
    torch.manual_seed(seed)
    config = BertConfig(vocab_size=len(tok), hidden_size=hidden, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=2 * hidden, max_position_embeddings=64, pad_token_id=tok.pad_token_id)
    model = BertModel(config, add_pooling_layer=False)
    model.save_pretrained(folder, safe_serialization=True)
    tok.model_max_length = 64
    tok.save_pretrained(folder)
    write_sidecar(folder, base_id=f"tiny-bert-{seed}", profile=EncodingProfile("mean", prefix, True, 64),
                  fingerprint=fingerprint_state_dict(model.state_dict(), tok.get_vocab()))
    return folder


def _randomize_(params, scale: float = 0.2, seed: int = 0):
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in params:
            p.copy_(torch.randn(p.shape, generator=gen) * scale)


def make_pack(base_dir: Path, lang: str, out: Path, *, vocab_size: int = 120, seed: int = 1,
              kinds: tuple[str, ...] = ("embeddings", "la", "se", "cla"), tokenizer=None, rank: int = 4,
              cla_config: dict | None = None, base_vocabulary: bool = False) -> Path:
    """A random language pack for ``lang`` on the base in ``base_dir`` (by default the
    tiny one; the routing benchmark passes a real base and a trained tokenizer)."""
    import adapters
    from peft import LoraConfig, get_peft_model

    from langzoo.languages import resolve_language
    from langzoo.modules.adapter_io import add_cla, adapter_name, save_cla, save_embeddings, save_lora
    from langzoo.modules.base_encoder import resolve_base
    from langzoo.modules.manifest import write_manifest
    from langzoo.modules.pack import LanguagePack

    base = resolve_base(str(base_dir))
    code = resolve_language(lang).code
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    body = base.load_model()
    adapters.init(body)
    common = dict(language=code, base_id=base.base_id, base_fingerprint=base.fingerprint)
    hashes: dict[str, str] = {}

    def finish(kind, parents, config):
        m = write_manifest(out / kind, kind=kind, parents={p: hashes[p] for p in parents}, config=config,
                           data={"source": "random test fixture"}, **common)
        hashes[kind] = m.content_hash

    torch.manual_seed(seed)
    if "embeddings" in kinds and base_vocabulary:  # marker module: L keeps the base's vocabulary
        (out / "embeddings").mkdir(exist_ok=True)
        finish("embeddings", [], {"vocabulary": "base"})
    elif "embeddings" in kinds:
        tok = tokenizer or train_wordpiece(CORPUS[resolve_language(lang).alias], vocab_size)
        tok.model_max_length = 64
        (out / "embeddings").mkdir(exist_ok=True)
        tok.save_pretrained(out / "embeddings")
        for extra in ("vocab.txt",):
            (out / "embeddings" / extra).unlink(missing_ok=True)
        weight = torch.randn(len(tok), body.config.hidden_size) * 0.5
        save_embeddings(weight, out / "embeddings")
        finish("embeddings", [], {"vocab_size": len(tok), "init": "random"})
    pm = None
    for i, kind in enumerate(k for k in ("la", "se") if k in kinds):
        name = adapter_name(kind, code)
        targets = ["query", "key", "value"] if kind == "la" else ["query", "key", "value", "dense"]
        cfg = LoraConfig(r=rank, lora_alpha=2 * rank, target_modules=targets, init_lora_weights=False)
        if pm is None:
            pm = get_peft_model(body, cfg, adapter_name=name)
        else:
            pm.add_adapter(name, cfg)
        _randomize_([p for n, p in pm.named_parameters() if f".{name}." in n], 0.2, seed + i)
        save_lora(pm, name, out / kind, base_id=base.base_id)
        finish(kind, {"la": ["embeddings"], "se": ["la"] if "la" in kinds else []}[kind], {"r": rank})
    if "cla" in kinds:
        name = adapter_name("cla", code)
        config = cla_config or {"reduction_factor": 4}
        add_cla(body, name, config)
        _randomize_([p for n, p in body.named_parameters() if f".{name}." in n], 0.2, seed + 7)
        save_cla(body, name, out / "cla", config)
        finish("cla", ["se"], config)
    LanguagePack.assemble({k: out / k for k in kinds}, **common).save(out)
    return out
