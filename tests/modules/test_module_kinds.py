"""Module kinds are registered objects: a new kind is one definition (here, in this file)
and the pack format, the manifest checks, the registry, the composer and the model card
pick it up without any other module being edited."""

import json
import shutil
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file, save_file

from langzoo.errors import IntegrityError, MissingModuleError, ModuleFormatError
from langzoo.modules.composer import ComposedEncoder
from langzoo.modules.kinds import (ModuleKind, get_module_kind, kind_names, register_module_kind,
                                   unregister_module_kind)
from langzoo.modules.manifest import read_manifest, verify_module, write_manifest
from langzoo.modules.pack import LanguagePack, required_chain
from langzoo.hub_cards.render import render_card
from langzoo.registry.local import LocalRegistry
from tiny import CORPUS


class ToyHeadKind(ModuleKind):
    """A toy per-pack head (say, a language detector's weights) on top of ``se``."""

    name = "toyhead"
    parents = ("se",)
    allowed_files = frozenset({"head.safetensors", "head_config.json"})
    required_files = ("head.safetensors", "head_config.json")
    description = "toy head: a 2-class linear probe on the sentence vector (test fixture)"

    def save(self, folder: Path, *, weight: torch.Tensor) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        save_file({"weight": weight.contiguous()}, str(folder / "head.safetensors"))
        (folder / "head_config.json").write_text(json.dumps({"classes": weight.shape[0]}))

    def attach(self, encoder, pack, attached) -> None:
        attached.extra[self.name] = load_file(str(pack.module_path(self.name) / "head.safetensors"))["weight"]


@pytest.fixture
def toy_kind():
    kind = register_module_kind(ToyHeadKind)
    yield kind
    unregister_module_kind("toyhead")


@pytest.fixture
def toy_pack(toy_kind, tiny_base, tiny_packs, tmp_path):
    """The tiny uz pack plus a toyhead module, saved by the one pack writer."""
    uz = LanguagePack.load(tiny_packs["uz"])
    head = tmp_path / "modules" / "toyhead"
    toy_kind.save(head, weight=torch.arange(2 * 32, dtype=torch.float32).reshape(2, 32))
    write_manifest(head, kind="toyhead", language="uz", base_id=uz.base_id, base_fingerprint=uz.base_fingerprint,
                   parents={"se": uz.modules["se"].content_hash}, config={"classes": 2})
    modules = {k: uz.module_path(k) for k in uz.kinds} | {"toyhead": head}
    pack = LanguagePack.assemble(modules, language="uz", base_id=uz.base_id, base_fingerprint=uz.base_fingerprint,
                                 version="toy-1")
    written = pack.save(tmp_path / "pack")
    assert written == ["embeddings", "la", "se", "cla", "toyhead"]
    return tmp_path / "pack"


def test_builtin_kinds_are_registered_bottom_up():
    assert kind_names()[:4] == ("embeddings", "la", "se", "cla")
    assert get_module_kind("cla").parents == ("se",) and get_module_kind("cla").optional
    assert [k for k in kind_names() if get_module_kind(k).in_english_pack] == ["se"]
    with pytest.raises(ModuleFormatError, match="Unknown module kind 'nope'"):
        get_module_kind("nope")


def test_registration_refuses_bad_kinds(toy_kind):
    with pytest.raises(ValueError, match="already registered"):
        register_module_kind(ToyHeadKind)
    with pytest.raises(ValueError, match="unregistered kind"):
        register_module_kind(type("Orphan", (ModuleKind,), {"name": "orphan", "parents": ("nothere",)}))
    with pytest.raises(ValueError, match="plain identifier"):
        register_module_kind(type("Bad", (ModuleKind,), {"name": "../x"}))
    with pytest.raises(ValueError, match="parent of"):
        unregister_module_kind("se")


def test_toy_kind_is_saved_and_verified_in_a_pack(toy_pack):
    pack = LanguagePack.load(toy_pack)
    assert pack.kinds == ["embeddings", "la", "se", "cla", "toyhead"]
    assert required_chain("toyhead", "uz") == ["embeddings", "la", "se", "toyhead"]
    assert LanguagePack.load(toy_pack, modules=["toyhead"]).kinds == ["embeddings", "la", "se", "toyhead"]
    with pytest.raises(ModuleFormatError, match="English packs hold only an 'se' module"):
        required_chain("toyhead", "en")
    # the manifest checks use the kind's own file lists
    assert read_manifest(toy_pack / "toyhead").parents == {"se": pack.modules["se"].content_hash}
    (toy_pack / "toyhead" / "head.pt").write_bytes(b"pickle")
    with pytest.raises(ModuleFormatError, match="refuses .pt files"):
        verify_module(toy_pack / "toyhead")
    (toy_pack / "toyhead" / "head.pt").unlink()
    data = bytearray((toy_pack / "toyhead" / "head.safetensors").read_bytes())
    data[-1] ^= 1
    (toy_pack / "toyhead" / "head.safetensors").write_bytes(bytes(data))
    with pytest.raises(IntegrityError, match="sha256"):
        LanguagePack.load(toy_pack)


def test_toy_kind_needs_its_required_files(toy_kind, tmp_path):
    folder = tmp_path / "toyhead"
    folder.mkdir()
    (folder / "head_config.json").write_text("{}")
    with pytest.raises(MissingModuleError, match="head.safetensors"):
        write_manifest(folder, kind="toyhead", language="uz", base_id="b", base_fingerprint="sha256:x")


def test_toy_kind_goes_through_the_registry_and_the_composer(toy_pack, tiny_base, tmp_path):
    reg = LocalRegistry(tmp_path / "reg")
    assert reg.publish(toy_pack).created
    installed = reg.get("uz")
    assert installed.kinds[-1] == "toyhead"
    enc = ComposedEncoder(str(tiny_base))
    attached = enc.attach(installed.path)
    assert torch.equal(attached.extra["toyhead"], torch.arange(64, dtype=torch.float32).reshape(2, 32))
    assert enc.embed(CORPUS["uz"][:2], "uz").shape == (2, 32)
    enc.detach("uz")
    assert "toyhead" not in attached.extra and "uzn_Latn" not in enc.packs


def test_toy_kind_is_described_on_the_card(toy_pack):
    card = str(render_card(LanguagePack.load(toy_pack), "acme/langzoo-tiny-uz"))
    assert "| `toyhead` | toy head: a 2-class linear probe on the sentence vector (test fixture) |" in card
    assert "module-toyhead" in card


def test_a_pack_with_an_unregistered_kind_is_refused(toy_pack, toy_kind):
    unregister_module_kind("toyhead")
    try:
        with pytest.raises(ModuleFormatError, match="toyhead"):
            LanguagePack.load(toy_pack)
    finally:
        register_module_kind(toy_kind)


def test_save_replaces_atomically_and_leaves_no_staging(tiny_packs, tmp_path):
    dest = tmp_path / "copy"
    shutil.copytree(tiny_packs["kk"], dest)
    uz = LanguagePack.load(tiny_packs["uz"])
    assert uz.save(dest) == uz.kinds  # replaces the kk pack that was there
    assert LanguagePack.load(dest).language.alias == "uz"
    assert (dest / "pack.json").read_bytes() == (tiny_packs["uz"] / "pack.json").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy"]
