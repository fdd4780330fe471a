"""Bilingual word dictionaries for alignment and lexicon-induction scoring.

Reads FreeDict dictionaries in dictd format (``*.index`` + ``*.dict.dz``, as Debian's
``dict-freedict-X-Y`` packages ship them; fetch with ``zoo data fetch --lang L
--dictionaries``) into single-word English -> L translation sets, both directions
merged. Multi-word headwords and translations are dropped: word alignment and BLI
score single words. Words are lowercased.
"""

from __future__ import annotations

import gzip
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from langzoo.errors import LangzooError

_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_SKIP = ('"', "Note:", "Synonym", "see:", "{")  # examples, notes, cross references of Ding-derived entries
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]|<[^>]*>|\{[^}]*\}|/[^/]*/")
_WORD = re.compile(r"^[^\W\d_]+(?:['’-][^\W\d_]+)*$")


def _b64(s: str) -> int:
    n = 0
    for c in s:
        n = n * 64 + _B64.index(c)
    return n


def _single_words(line: str) -> list[str]:
    """The one-word translations of a definition line ("1. ev, mesken, hane")."""
    line = re.sub(r"^\d+\.\s*", "", line.strip())
    line = line.split(". ")[0]  # FreeDict tur: "santranç hanesi. house agent ..." runs on into phrases
    line = _BRACKETS.sub(" ", line)
    out = []
    for part in re.split(r"[,;]", line):
        word = part.strip().strip(".‐").lower()
        if _WORD.match(word):
            out.append(word)
    return out


def read_dictd(index: Path) -> dict[str, set[str]]:
    """headword -> set of one-word translations, from a dictd ``.index`` and its ``.dict.dz``."""
    index = Path(index)
    data_file = index.with_suffix(".dict.dz")
    if not data_file.is_file():
        data_file = index.with_suffix(".dict")
    if not data_file.is_file():
        raise LangzooError(f"{index} has no .dict.dz (or .dict) next to it")
    raw = gzip.open(data_file).read() if data_file.suffix == ".dz" else data_file.read_bytes()
    out: dict[str, set[str]] = {}
    seen: set[int] = set()
    for line in index.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) < 3 or parts[0].startswith("00database") or parts[0].startswith("00-database"):
            continue
        offset = _b64(parts[1])
        if offset in seen:  # dictd indexes one entry under several keys
            continue
        seen.add(offset)
        lines = raw[offset:offset + _b64(parts[2])].decode("utf-8", "replace").split("\n")
        head = _BRACKETS.sub(" ", lines[0]).strip().lower()
        if not _WORD.match(head):
            continue
        for body in lines[1:]:
            if body.strip() and not body.strip().startswith(_SKIP):
                out.setdefault(head, set()).update(_single_words(body))
    return {k: v for k, v in out.items() if v}


@dataclass
class Dictionary:
    """English -> L single-word translations."""

    pairs: dict[str, set[str]]
    targets: set[str] = field(init=False)

    def __post_init__(self):
        self.targets = {t for ts in self.pairs.values() for t in ts}

    def __len__(self) -> int:
        return len(self.pairs)

    def translates(self, src: str, tgt: str) -> bool:
        return tgt in self.pairs.get(src, ())

    def split(self, part: str) -> "Dictionary":
        """The ``dev`` (about 30 %) or ``test`` (the rest) half by a fixed hash of the English
        word: choices (layer, method) are tuned on dev words only."""
        if part not in ("dev", "test"):
            raise ValueError("part must be 'dev' or 'test'")
        keep = {w: t for w, t in self.pairs.items() if (zlib.crc32(w.encode()) % 10 < 3) == (part == "dev")}
        return Dictionary(keep)


def load_freedict(lang: str, root: str | Path | None = None, pivot: str = "en") -> Dictionary:
    """English -> ``lang`` dictionary from the fetched FreeDict packages (both directions)."""
    from langzoo.data.freedict import freedict_dir, iso3

    root = Path(root) if root is not None else freedict_dir()
    a, b = iso3(pivot), iso3(lang)
    pairs: dict[str, set[str]] = {}
    found = False
    for src, tgt in ((a, b), (b, a)):
        index = root / f"dict-freedict-{src}-{tgt}" / f"freedict-{src}-{tgt}.index"
        if not index.is_file():
            continue
        found = True
        for head, trans in read_dictd(index).items():
            if src == a:
                pairs.setdefault(head, set()).update(trans)
            else:
                for t in trans:
                    pairs.setdefault(t, set()).add(head)
    if not found:
        raise LangzooError(f"No FreeDict {pivot}-{lang} dictionary under {root}. Fetch it (GPL, not shipped with "
                           f"langzoo): `zoo data fetch --lang {lang} --dictionaries`")
    return Dictionary(pairs)
