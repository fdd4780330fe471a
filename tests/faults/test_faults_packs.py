"""Issue 16, pack-format cases: incomplete, reshaped or edited pack folders and bad codes."""

from __future__ import annotations

import json
import shutil

import pytest
from fake_packs import build_fake_pack

from langzoo.cli import main
from langzoo.errors import IntegrityError, LangzooError, MissingModuleError, ModuleFormatError, UnknownLanguageError
from langzoo.languages import resolve_language
from langzoo.modules.pack import LanguagePack
from langzoo.registry import LocalRegistry


def _copy(src, tmp_path, name="pack"):
    return shutil.copytree(src, tmp_path / name)


@pytest.mark.parametrize("gone", ["se", "la"])
def test_case03_module_without_its_parent_is_refused(tiny_packs, tmp_path, capsys, gone):
    pack = _copy(tiny_packs["uz"], tmp_path)
    shutil.rmtree(pack / gone)
    with pytest.raises(MissingModuleError, match=rf"module\(s\) \['{gone}'\]"):
        LanguagePack.load(pack)
    assert main(["pack", "verify", str(pack)]) == 1  # `zoo pack verify` no longer says OK
    assert "Traceback" not in capsys.readouterr().err
    with pytest.raises(MissingModuleError):
        LocalRegistry(tmp_path / "reg").publish(pack)  # nor does publish accept it
    # nor can pack.json be rewritten to match the folder: the one pack writer checks what it
    # writes (cla still needs se, and se needs la) and leaves the folder as it was
    fingerprint = json.loads((tiny_packs["uz"] / "pack.json").read_text())["base"]["fingerprint"]
    kept = {k: pack / k for k in ("embeddings", "la", "se", "cla") if (pack / k).is_dir()}
    with pytest.raises(MissingModuleError, match=gone):
        LanguagePack.assemble(kept, language="uz", base_id="x", base_fingerprint=fingerprint).save(pack)
    with pytest.raises(MissingModuleError, match=gone):
        LanguagePack.load(pack)
    assert not [p for p in pack.parent.iterdir() if ".tmp-" in p.name]  # no staging left behind


def test_case04_listed_module_deleted_is_an_error(tiny_packs, tiny_base, tmp_path):
    from langzoo.modules.composer import ComposedEncoder

    pack = _copy(tiny_packs["uz"], tmp_path)
    shutil.rmtree(pack / "cla")
    with pytest.raises(MissingModuleError, match=r"lists module\(s\) \['cla'\] but the folder has none"):
        LanguagePack.load(pack)
    with pytest.raises(MissingModuleError, match="cla"):
        ComposedEncoder(str(tiny_base)).attach(pack)
    # asking for less than the whole pack still works (Mod_m without cla)
    assert LanguagePack.load(pack, modules=["se"]).kinds == ["embeddings", "la", "se"]


@pytest.mark.parametrize("edit, where", [
    (lambda info: info.update(modules=list(info["modules"])), "'modules' must be an object"),
    (lambda info: info.update(language="uz"), "'language' must be an object"),
    (lambda info: info.update(base=None), "'base' must be an object"),
    (lambda info: info["modules"].update({"../../../x": "sha256:00"}), "unknown module kind"),
])
def test_case05_pack_json_of_the_wrong_shape(tmp_path, capsys, edit, where):
    pack = build_fake_pack(tmp_path / "uz", "uz")
    info = json.loads((pack / "pack.json").read_text())
    edit(info)
    (pack / "pack.json").write_text(json.dumps(info))
    with pytest.raises(ModuleFormatError, match=where):
        LanguagePack.load(pack)
    assert main(["pack", "verify", str(pack)]) == 1
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize("content", ["[]", '{"format": "langzoo.module/1", "kind": "se", "files": []}', "3"])
def test_case05_manifest_of_the_wrong_shape(tmp_path, capsys, content):
    pack = build_fake_pack(tmp_path / "uz", "uz")
    (pack / "se" / "manifest.json").write_text(content)
    with pytest.raises(ModuleFormatError):
        LanguagePack.load(pack)
    assert main(["pack", "verify", str(pack)]) == 1
    assert "error" in capsys.readouterr().err


@pytest.mark.parametrize("field, value", [("language", {"code": "kaz_Cyrl", "alias": "kk", "name": "Kazakh"}),
                                          ("parents", {})])
def test_case16_edited_manifest_metadata_is_caught(tmp_path, field, value):
    pack = build_fake_pack(tmp_path / "uz", "uz")
    file = pack / "se" / "manifest.json"
    data = json.loads(file.read_text())
    data[field] = value
    file.write_text(json.dumps(data))
    with pytest.raises(IntegrityError, match="se"):
        LanguagePack.load(pack)


def test_case16_control_metrics_may_still_be_updated(tmp_path):
    from langzoo.modules.manifest import update_metrics

    pack = build_fake_pack(tmp_path / "uz", "uz")
    update_metrics(pack / "se", {"sts": 80.0})  # re-describing a module is not tampering
    assert LanguagePack.load(pack).modules["se"].metrics["sts"] == 80.0


@pytest.mark.parametrize("code", ["abc_/../", "abc_..\\x", "abc_Lat/", "abc_L\u00e1tn"])
def test_case17_language_code_with_path_characters_is_refused(tmp_path, code):
    with pytest.raises(UnknownLanguageError):
        resolve_language(code)
    pack = build_fake_pack(tmp_path / "uz", "uz")
    info = json.loads((pack / "pack.json").read_text())
    info["language"]["code"] = code
    (pack / "pack.json").write_text(json.dumps(info))
    with pytest.raises(LangzooError):
        LocalRegistry(tmp_path / "reg").publish(pack)
    assert not (tmp_path / "reg").exists() or all(p.parent.parent.parent == tmp_path / "reg"
                                                   for p in (tmp_path / "reg").rglob("pack.json"))
    assert resolve_language("ceb_Latn").code == "ceb_Latn"  # well-formed unlisted codes still work
