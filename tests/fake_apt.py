"""Fake apt-cache / apt-get / dpkg scripts first on PATH, for tests of Debian fetching
(a unique module name: tests/ is on sys.path, as for tiny.py)."""

import os
import stat


def install_fake_apt(tmp_path, monkeypatch, *, apt_cache: str, apt_get: str, dpkg: str):
    """Put the three scripts first on PATH; returns the log file apt-get appends its calls to."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    for name, text in (("apt-cache", apt_cache), ("apt-get", apt_get), ("dpkg", dpkg)):
        p = bindir / name
        p.write_text(text)
        p.chmod(p.stat().st_mode | stat.S_IEXEC)
    log = tmp_path / "apt.log"
    monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_LOG", str(log))
    return log


# apt-get that logs its calls, succeeds on `update` and writes one placeholder .deb per
# `download name=version` (after the three `-o ... download` words) into the working dir.
APT_GET_DOWNLOAD = """#!/bin/sh
echo "$@" >> "$FAKE_LOG"
[ "$1" = update ] && exit 0
shift 3
for spec in "$@"; do name="${spec%%=*}"; echo "$name" > "${name}_1.0_all.deb"; done
"""
