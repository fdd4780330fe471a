"""The ``align`` module kind: registered, saved and verified like the others, attached
for word alignment only (encode is unchanged), refused in compositions."""

import numpy as np
import pytest
import torch

from langzoo.errors import IntegrityError, InvalidInputError
from langzoo.modules.kinds import encoding_kinds, get_module_kind, kind_names
from langzoo.runtime.composition import Stack, named_composition


def _with_align(base_dir, pack_dir, out):
    """``pack_dir`` plus a random ``align`` LoRA saved through the kind."""
    from peft import LoraConfig, get_peft_model

    from langzoo.modules.adapter_io import adapter_name
    from langzoo.modules.base_encoder import resolve_base
    from langzoo.modules.manifest import read_manifest, write_manifest
    from langzoo.modules.pack import LanguagePack

    base = resolve_base(str(base_dir))
    pack = LanguagePack.load(pack_dir)
    code = pack.language.code
    name = adapter_name("align", code)
    pm = get_peft_model(base.load_model(), LoraConfig(r=4, lora_alpha=8, target_modules=["query", "value", "dense"],
                                                      init_lora_weights=False), adapter_name=name)
    gen = torch.Generator().manual_seed(3)
    with torch.no_grad():
        for n, p in pm.named_parameters():
            if f".{name}." in n:
                p.copy_(torch.randn(p.shape, generator=gen) * 0.3)
    get_module_kind("align").save(out / "align", peft_model=pm, adapter=name, base_id=base.base_id)
    write_manifest(out / "align", kind="align", parents={"se": read_manifest(pack_dir / "se").content_hash},
                   config={"r": 4}, data={"source": "random test fixture"}, language=code, base_id=base.base_id,
                   base_fingerprint=base.fingerprint)
    modules = {k: pack_dir / k for k in pack.kinds}
    LanguagePack.assemble({**modules, "align": out / "align"}, language=code, base_id=base.base_id,
                          base_fingerprint=base.fingerprint).save(out / "pack")
    return out / "pack"


@pytest.fixture(scope="module")
def align_pack(tiny_base, tiny_packs, tmp_path_factory):
    return _with_align(tiny_base, tiny_packs["uz"], tmp_path_factory.mktemp("alignpack"))


def test_the_kind_is_registered_on_se_and_outside_compositions():
    kind = get_module_kind("align")
    assert kind.parents == ("se",) and not kind.encodes and "align" in kind_names()
    assert kind_names().index("align") > kind_names().index("se")
    assert "align" not in encoding_kinds()
    assert "align" not in named_composition("aligned").kinds and "align" not in named_composition("monolingual").kinds
    from langzoo.runtime.composition import _check

    with pytest.raises(InvalidInputError, match="encoding never uses"):
        _check(Stack("embeddings", "la", "se", "align"))


def test_saved_as_safetensors_and_verified(align_pack):
    from langzoo.modules.pack import LanguagePack

    files = sorted(p.name for p in (align_pack / "align").iterdir())
    assert files == ["adapter_config.json", "adapter_model.safetensors", "manifest.json"]
    pack = LanguagePack.load(align_pack)
    assert "align" in pack.kinds and pack.modules["align"].parents["se"] == pack.modules["se"].content_hash
    weights = align_pack / "align" / "adapter_model.safetensors"
    original = weights.read_bytes()
    weights.write_bytes(original[:-8] + b"\0" * 8)  # tampered: refused
    try:
        with pytest.raises(IntegrityError):
            LanguagePack.load(align_pack)
    finally:
        weights.write_bytes(original)


def test_attached_for_alignment_only(tiny_base, tiny_packs, tmp_path):
    from langzoo.align.tokens import token_vectors
    from langzoo.modules.composer import ComposedEncoder

    pack = _with_align(tiny_base, tiny_packs["uz"], tmp_path)
    plain, with_align = ComposedEncoder(str(tiny_base)), ComposedEncoder(str(tiny_base))
    plain.attach(tiny_packs["uz"])
    attached = with_align.attach(pack)
    assert attached.extra["align"] and attached.extra["align"] not in attached.lora
    texts = ["bu kitob yaxshi", "men uyga boraman"]
    before = with_align.embed(texts, "uz")
    assert torch.allclose(before, plain.embed(texts, "uz"), atol=1e-5)  # encode never uses it
    words = [t.split() for t in texts]
    on = token_vectors(with_align, words, "uzn_Latn", layer=2)
    off = token_vectors(with_align, words, "uzn_Latn", layer=2, use_align=False)
    base_off = token_vectors(plain, words, "uzn_Latn", layer=2)
    assert np.allclose(off[0].vectors, base_off[0].vectors, atol=1e-5)
    assert np.abs(on[0].vectors - off[0].vectors).max() > 1e-3  # align used the module ...
    # ... without cla, as it was trained: equal to the stack below with the align LoRA added
    off_mono = token_vectors(plain, words, "uzn_Latn", layer=2, alignment=False)
    assert not np.allclose(off_mono[0].vectors, on[0].vectors, atol=1e-4)
    assert torch.allclose(with_align.embed(texts, "uz"), before, atol=1e-5)  # and encode is unchanged after
    with_align.detach("uz")
    assert not any("align" in n for n in with_align.peft_model.peft_config)


def test_merged_lora_encoder_aligns_the_same(tiny_base, tiny_packs, tmp_path):
    from langzoo.align.tokens import token_vectors
    from langzoo.modules.composer import ComposedEncoder

    pack = _with_align(tiny_base, tiny_packs["uz"], tmp_path)
    words = [["bu", "kitob", "yaxshi"]]
    vecs = []
    for merge in (False, True):
        enc = ComposedEncoder(str(tiny_base), merge_lora=merge)
        enc.attach(pack)
        vecs.append(token_vectors(enc, words, "uzn_Latn", layer=2)[0].vectors)
    assert np.allclose(vecs[0], vecs[1], atol=1e-4)


def test_export_and_cache_keys_leave_the_align_module_out(tiny_base, tiny_packs, tmp_path):
    from sentence_transformers import SentenceTransformer

    from langzoo.modules.composer import ComposedEncoder
    from langzoo.runtime.zoo import Zoo

    pack = _with_align(tiny_base, tiny_packs["uz"], tmp_path)
    with_align = Zoo(ComposedEncoder(str(tiny_base)), {"uzn_Latn": pack}, lid="unused")
    plain = Zoo(ComposedEncoder(str(tiny_base)), {"uzn_Latn": tiny_packs["uz"]}, lid="unused")
    assert with_align.vectors_key("uz") == plain.vectors_key("uz")  # same vectors, same cache entries
    texts = ["bu kitob yaxshi", "men uyga boraman"]
    st = SentenceTransformer(str(with_align.export("uz", tmp_path / "st")), device="cpu")
    ours = plain.encode(texts, lang="uz", alignment=False)
    assert np.abs(st.encode(texts, normalize_embeddings=True) - ours).max() <= 1e-5
