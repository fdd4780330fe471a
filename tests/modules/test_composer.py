"""One-body composition: attach many packs, switch languages, reproduce fresh loads."""

import torch
from safetensors.torch import load_file

from langzoo.modules.adapter_io import adapter_name
from langzoo.modules.composer import ComposedEncoder
from tiny import CORPUS

UZ, KK, EN = CORPUS["uz"][:4], CORPUS["kk"][:4], CORPUS["en"][:4]


def test_round_trip_is_bit_exact(tiny_base, tiny_packs):
    enc = ComposedEncoder(str(tiny_base))
    enc.attach(tiny_packs["uz"])
    code = "uzn_Latn"
    saved_emb = load_file(str(tiny_packs["uz"] / "embeddings" / "embeddings.safetensors"))["weight"]
    assert torch.equal(enc.packs[code].embeddings.weight.to(saved_emb.dtype), saved_emb)
    state = enc.peft_model.state_dict()
    for kind in ("la", "se"):
        saved = load_file(str(tiny_packs["uz"] / kind / "adapter_model.safetensors"))
        name = adapter_name(kind, code)
        assert saved, kind
        for key, tensor in saved.items():
            live_key = key.replace("lora_A.weight", f"lora_A.{name}.weight").replace("lora_B.weight", f"lora_B.{name}.weight")
            assert torch.equal(state[live_key], tensor), key
    saved_cla = load_file(str(tiny_packs["uz"] / "cla" / "adapter.safetensors"))
    body_state = enc.body.state_dict()
    for key, tensor in saved_cla.items():
        assert torch.equal(body_state[key.replace("{adapter}", adapter_name("cla", code))], tensor)


def test_switching_languages_reproduces_fresh_loads(tiny_base, tiny_packs):
    shared = ComposedEncoder(str(tiny_base))
    for lang in ("uz", "kk", "en"):
        shared.attach(tiny_packs[lang])
    a1 = shared.embed(UZ, "uz")
    b1 = shared.embed(KK, "kk")
    e1 = shared.embed(EN, "en")
    a2 = shared.embed(UZ, "uz")
    b2 = shared.embed(KK, "kk", alignment=False)
    bare = shared.embed(UZ, None)
    assert torch.equal(a1, a2)
    for lang, texts, got, alignment in (("uz", UZ, a1, True), ("kk", KK, b1, True), ("kk", KK, b2, False),
                                        ("en", EN, e1, True)):
        fresh = ComposedEncoder(str(tiny_base))
        fresh.attach(tiny_packs[lang])
        assert (fresh.embed(texts, lang, alignment=alignment) - got).abs().max() <= 1e-6, lang
    assert (ComposedEncoder(str(tiny_base)).embed(UZ, None) - bare).abs().max() <= 1e-6
    # every module really changes the output
    assert (a1 - bare).abs().max() > 1e-3
    assert (b1 - b2).abs().max() > 1e-3


def test_each_stacked_module_contributes(tiny_base, tiny_packs):
    enc = ComposedEncoder(str(tiny_base))
    enc.attach(tiny_packs["uz"], modules=["embeddings"])
    emb_only = enc.embed(UZ, "uz")
    enc.attach(tiny_packs["uz"], modules=["la"])
    with_la = enc.embed(UZ, "uz")
    enc.attach(tiny_packs["uz"], modules=["se"])
    with_se = enc.embed(UZ, "uz")
    enc.attach(tiny_packs["uz"])
    full = enc.embed(UZ, "uz")
    for x, y in ((emb_only, with_la), (with_la, with_se), (with_se, full)):
        assert (x - y).abs().max() > 1e-3
    assert torch.allclose(full.norm(dim=-1), torch.ones(len(UZ)), atol=1e-5)


def test_detach_restores_other_languages(tiny_base, tiny_packs):
    enc = ComposedEncoder(str(tiny_base))
    enc.attach(tiny_packs["uz"])
    enc.attach(tiny_packs["kk"])
    before = enc.embed(KK, "kk")
    enc.detach("uz")
    assert "uzn_Latn" not in enc.packs
    assert torch.equal(enc.embed(KK, "kk"), before)


def test_merged_lora_mode_matches_adapter_branches(tiny_base, tiny_packs):
    """merge_lora (the runtime's inference mode) swaps in merged weights per language."""
    plain = ComposedEncoder(str(tiny_base))
    merged = ComposedEncoder(str(tiny_base), merge_lora=True)
    for enc in (plain, merged):
        enc.attach(tiny_packs["uz"])
        enc.attach(tiny_packs["en"])
    for lang, texts in (("uz", UZ), ("en", EN), (None, UZ), ("uz", UZ)):
        for alignment in (True, False):
            a = plain.embed(texts, lang, alignment=alignment)
            b = merged.embed(texts, lang, alignment=alignment)
            assert (a - b).abs().max() <= 1e-5, (lang, alignment)
    # the bare base is restored exactly after merged languages were active
    assert torch.equal(merged.embed(UZ, None), ComposedEncoder(str(tiny_base)).embed(UZ, None))
    merged.attach(tiny_packs["kk"])  # a later attach invalidates merged copies
    assert (merged.embed(KK, "kk") - plain.embed(KK, None)).abs().max() > 1e-3
    fresh = ComposedEncoder(str(tiny_base))
    fresh.attach(tiny_packs["kk"])
    assert (merged.embed(KK, "kk") - fresh.embed(KK, "kk")).abs().max() <= 1e-5
