"""fetch_l10n_packages against fake apt-get/apt-cache/dpkg scripts (no network)."""

import json

import pytest
from fake_apt import install_fake_apt as fake_apt_on_path

from langzoo.data import FetchWarning, fetch_l10n_packages, language_packages
from langzoo.data.fetch import keep_member
from langzoo.languages import resolve_language

FAKE_APT_CACHE = """#!/bin/sh
shift  # "policy"
for p in "$@"; do
  echo "$p:"
  echo "  Installed: (none)"
  case "$p" in *missing*) echo "  Candidate: (none)";; *) echo "  Candidate: 1.0-1";; esac
done
"""
FAKE_APT_GET = """#!/bin/sh
echo "$@" >> "$FAKE_LOG"
[ "$1" = update ] && exit 0
shift 3  # -o APT::Sandbox::User=root download
for spec in "$@"; do
  name="${spec%%=*}"
  echo "$name" > "${name}_1.0-1_all.deb"
done
"""
FAKE_DPKG = """#!/bin/sh
# dpkg -x DEB DIR: unpack a fake tree with catalogs for uz, de and a binary
name=$(basename "$2" | cut -d_ -f1)
mkdir -p "$3/usr/share/locale/uz/LC_MESSAGES" "$3/usr/share/locale/de/LC_MESSAGES" "$3/usr/bin"
echo mo > "$3/usr/share/locale/uz/LC_MESSAGES/$name.mo"
echo mo > "$3/usr/share/locale/de/LC_MESSAGES/$name.mo"
echo bin > "$3/usr/bin/$name"
"""


def install_fake_apt(tmp_path, monkeypatch, dpkg_script: str):
    """The fake apt of these tests with ``dpkg_script`` unpacking the packages."""
    return fake_apt_on_path(tmp_path, monkeypatch, apt_cache=FAKE_APT_CACHE, apt_get=FAKE_APT_GET, dpkg=dpkg_script)


@pytest.fixture
def fake_apt(tmp_path, monkeypatch):
    return install_fake_apt(tmp_path, monkeypatch, FAKE_DPKG)


def test_fetch_prunes_warns_and_is_idempotent(tmp_path, fake_apt):
    cache = tmp_path / "cache"
    pkgs = ["pkg-a", "pkg-missing", "pkg-b"]
    with pytest.warns(FetchWarning, match="pkg-missing"):
        dirs = fetch_l10n_packages("uz", cache, packages=pkgs, progress=False)
    assert [d.name for d in dirs] == ["pkg-a", "pkg-b"]
    assert (cache / "pkg-a/usr/share/locale/uz/LC_MESSAGES/pkg-a.mo").is_file()
    assert not (cache / "pkg-a/usr/share/locale/de").exists()  # other languages pruned
    assert not (cache / "pkg-a/usr/bin").exists()
    manifest = json.loads((cache / "manifest.json").read_text())
    assert manifest["missing"] == ["pkg-missing"]
    assert manifest["packages"]["pkg-a"]["version"] == "1.0-1" and manifest["packages"]["pkg-a"]["files"] == 1
    downloads = [l for l in fake_apt.read_text().splitlines() if "download" in l]
    assert len(downloads) == 1  # one apt run for the whole chunk
    # second run: nothing downloaded again
    with pytest.warns(FetchWarning):
        again = fetch_l10n_packages("uz", cache, packages=pkgs, progress=False)
    assert [d.name for d in again] == ["pkg-a", "pkg-b"]
    assert [l for l in fake_apt.read_text().splitlines() if "download" in l] == downloads


def test_keep_member_rules():
    uz = resolve_language("uz")
    assert keep_member("usr/share/locale/uz/LC_MESSAGES/gtk30.mo", uz)
    assert not keep_member("usr/share/locale/uz@cyrillic/LC_MESSAGES/gtk30.mo", uz)
    assert not keep_member("usr/share/locale/de/LC_MESSAGES/gtk30.mo", uz)
    assert keep_member("usr/lib/firefox-esr/browser/extensions/langpack-uz@firefox-esr.mozilla.org.xpi", uz)
    assert keep_member("usr/lib/thunderbird/extensions/langpack-en-GB@thunderbird.mozilla.org.xpi", uz)
    assert not keep_member("usr/lib/thunderbird/extensions/langpack-de@thunderbird.mozilla.org.xpi", uz)
    assert not keep_member("usr/share/doc/x/copyright", uz)


def test_language_packages():
    uz = language_packages("uz")
    assert uz[:3] == ["libreoffice-l10n-uz", "firefox-esr-l10n-uz", "thunderbird-l10n-uz"]
    assert "iso-codes" in uz and "firefox-esr-l10n-en-gb" in uz
    assert "firefox-esr-l10n-es-es" in language_packages("es")
