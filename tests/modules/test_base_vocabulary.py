"""Packs that keep the base's vocabulary: an `embeddings` marker module with no files."""

import pytest
import torch

from langzoo.errors import MissingModuleError
from langzoo.modules.composer import ComposedEncoder
from langzoo.modules.manifest import uses_base_vocabulary, verify_module, write_manifest
from langzoo.modules.pack import LanguagePack
from tests.tiny import make_pack


def test_marker_module_needs_its_config(tmp_path):
    folder = tmp_path / "embeddings"
    folder.mkdir()
    with pytest.raises(MissingModuleError):  # an ordinary embeddings module must hold its files
        write_manifest(folder, kind="embeddings", language="uz", base_id="b", base_fingerprint="sha256:x")
    m = write_manifest(folder, kind="embeddings", language="uz", base_id="b", base_fingerprint="sha256:x",
                       config={"vocabulary": "base"})
    assert uses_base_vocabulary(m) and m.files == {}
    assert uses_base_vocabulary(verify_module(folder, kind="embeddings", base_fingerprint="sha256:x"))


def test_base_vocabulary_pack_uses_base_tokenizer_and_its_adapters(tiny_base, tmp_path):
    pack_dir = make_pack(tiny_base, "uz", tmp_path / "uz", base_vocabulary=True)
    pack = LanguagePack.load(pack_dir)
    assert pack.kinds == ["embeddings", "la", "se", "cla"]
    enc = ComposedEncoder(str(tiny_base))
    enc.attach(pack_dir)
    assert enc.tokenizer_for("uz") is enc.base_tokenizer
    texts = ["mushuk bugun kitob o'qiydi", "bola uyda xat yozadi"]
    bare = enc.embed(texts, None)
    with_pack = enc.embed(texts, "uz")
    assert not torch.allclose(bare, with_pack, atol=1e-3)  # its LoRAs and cla act on the base vocabulary
    enc.activate(None)
    assert enc.body.get_input_embeddings() is enc.base_embeddings
    assert torch.allclose(enc.embed(texts, None), bare, atol=1e-6)


def test_export_of_base_vocabulary_pack_matches(tiny_base, tmp_path):
    from sentence_transformers import SentenceTransformer

    from langzoo.modules.base_encoder import resolve_base
    from langzoo.runtime.export import export_sentence_transformer

    pack_dir = make_pack(tiny_base, "uz", tmp_path / "uz", base_vocabulary=True, kinds=("embeddings", "la", "se"))
    base = resolve_base(str(tiny_base))
    out = export_sentence_transformer(base, LanguagePack.load(pack_dir), tmp_path / "st")
    texts = ["mushuk bugun kitob o'qiydi", "bola uyda xat yozadi"]
    enc = ComposedEncoder(base)
    enc.attach(pack_dir)
    ours = enc.embed(texts, "uz")
    theirs = SentenceTransformer(str(out), device="cpu").encode(texts, convert_to_tensor=True, normalize_embeddings=True)
    assert torch.allclose(ours, theirs.cpu().float(), atol=1e-5)
