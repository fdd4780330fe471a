"""Module format: manifests, verification and its specific errors."""

import json
import shutil

import pytest
from safetensors.torch import load_file

from langzoo.errors import BaseMismatchError, IntegrityError, MissingModuleError, ModuleFormatError
from langzoo.modules.manifest import read_manifest, verify_module
from langzoo.modules.pack import LanguagePack, required_chain


def _copy(pack, tmp_path, name="copy"):
    return shutil.copytree(pack, tmp_path / name)


def test_pack_loads_and_lists_modules(tiny_packs, tiny_base):
    from langzoo.modules.base_encoder import resolve_base

    pack = LanguagePack.load(tiny_packs["uz"], base_fingerprint=resolve_base(str(tiny_base)).fingerprint)
    assert pack.language.code == "uzn_Latn" and pack.language.alias == "uz"
    assert pack.kinds == ["embeddings", "la", "se", "cla"]
    manifest = pack.modules["se"]
    assert manifest.parents == {"la": pack.modules["la"].content_hash}
    assert set(manifest.files) == {"adapter_config.json", "adapter_model.safetensors"}
    assert manifest.versions["torch"] and manifest.base["fingerprint"].startswith("sha256:")
    assert pack.size_bytes == sum(p.stat().st_size for k in pack.kinds for p in (pack.path / k).iterdir()
                                  if p.name != "manifest.json")


def test_embeddings_are_stored_in_half_precision(tiny_packs):
    weight = load_file(str(tiny_packs["uz"] / "embeddings" / "embeddings.safetensors"))["weight"]
    assert str(weight.dtype) == "torch.float16"


def test_tampered_file_is_refused(tiny_packs, tmp_path):
    pack = _copy(tiny_packs["uz"], tmp_path)
    target = pack / "se" / "adapter_model.safetensors"
    data = bytearray(target.read_bytes())
    data[-1] ^= 0xFF  # same size, different content
    target.write_bytes(bytes(data))
    with pytest.raises(IntegrityError, match="sha256"):
        LanguagePack.load(pack)
    target.write_bytes(bytes(data[:-10]))
    with pytest.raises(IntegrityError, match="size"):
        LanguagePack.load(pack)


def test_wrong_base_is_refused(tiny_packs):
    with pytest.raises(BaseMismatchError, match="built on base"):
        LanguagePack.load(tiny_packs["uz"], base_fingerprint="sha256:" + "0" * 64)


def test_module_of_another_base_inside_pack_is_refused(tiny_packs, tmp_path):
    pack = _copy(tiny_packs["uz"], tmp_path)
    manifest_file = pack / "cla" / "manifest.json"
    data = json.loads(manifest_file.read_text())
    data["base"]["fingerprint"] = "sha256:" + "1" * 64
    manifest_file.write_text(json.dumps(data))
    with pytest.raises(BaseMismatchError):
        LanguagePack.load(pack)


def test_missing_module_and_missing_file(tiny_packs, tmp_path):
    pack = _copy(tiny_packs["uz"], tmp_path)
    shutil.rmtree(pack / "la")
    with pytest.raises(MissingModuleError, match=r"lacks module\(s\) \['la'\]"):
        LanguagePack.load(pack, modules=["se"])
    # embeddings alone still loads: nothing it needs is missing
    assert LanguagePack.load(pack, modules=["embeddings"]).kinds == ["embeddings"]
    pack2 = _copy(tiny_packs["uz"], tmp_path, "copy2")
    (pack2 / "cla" / "adapter.safetensors").unlink()
    with pytest.raises(MissingModuleError, match="adapter.safetensors"):
        verify_module(pack2 / "cla")


def test_pickles_and_code_are_refused(tiny_packs, tmp_path):
    pack = _copy(tiny_packs["uz"], tmp_path)
    (pack / "la" / "adapter_model.bin").write_bytes(b"\x80\x04not really a pickle")
    with pytest.raises(ModuleFormatError, match="refuses .bin"):
        LanguagePack.load(pack)


def test_malformed_manifest(tiny_packs, tmp_path):
    pack = _copy(tiny_packs["uz"], tmp_path)
    (pack / "se" / "manifest.json").write_text("{not json")
    with pytest.raises(ModuleFormatError, match="not valid JSON"):
        read_manifest(pack / "se")
    (pack / "se" / "manifest.json").write_text(json.dumps({"format": "other/9"}))
    with pytest.raises(ModuleFormatError, match="Unsupported module format"):
        read_manifest(pack / "se")


def test_module_swapped_from_another_build_is_refused(tiny_packs, tmp_path):
    pack = _copy(tiny_packs["uz"], tmp_path)
    other = _copy(tiny_packs["kk"], tmp_path, "kk")
    shutil.rmtree(pack / "se")
    shutil.copytree(other / "se", pack / "se")
    with pytest.raises(IntegrityError, match="not the one pack.json lists"):
        LanguagePack.load(pack)


def test_required_chain():
    assert required_chain("cla", "uz") == ["embeddings", "la", "se", "cla"]
    assert required_chain("se", "kk") == ["embeddings", "la", "se"]
    assert required_chain("se", "en") == ["se"]
    with pytest.raises(ModuleFormatError):
        required_chain("cla", "en")
