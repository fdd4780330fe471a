"""Word lists for LID training, read from Tesseract's language data (Debian packages).

Localisation catalogs teach the LID model UI vocabulary ("Open file", "Settings") but
little of the everyday words and names of prose, which is where short texts of related
languages (uz/az/tr, kk/ky) get confused.  Tesseract's ``<code>.traineddata`` files
(Debian ``tesseract-ocr-<code>``, Apache-2.0, ~120 languages) each hold a word list
built from web text, as a DAWG.  This module reads that DAWG in pure Python (no
tesseract binary needed) and turns the words into short pseudo-sentences, one more
GlotLID-style source per label.  The lists are unordered (a DAWG keeps no frequencies),
so the pseudo-sentences are random words: good for character n-gram statistics, not
for word order.
"""

from __future__ import annotations

import math
import random
import shutil
import struct
import tempfile
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import accumulate
from pathlib import Path

from tqdm import tqdm

from langzoo.errors import LangzooError, UnknownLanguageError
from langzoo.languages import resolve_language
from langzoo.lid.corpus import label_for_locale, unpack_matching
from langzoo.lid.scripts import dominant_script, scripts_for_code
from langzoo.lid.word_frequency import frequency_weights, running_text_scorer, word_owners

# TessdataType indices (tesseract/ccutil/tessdatamanager.h) of the LSTM word list.
_LSTM_SYSTEM_DAWG = 19
_LSTM_UNICHARSET = 21
_DAWG_MAGIC = 42
_MAX_WORD_CHARS = 200
_NUM_FLAG_BITS = 3
_MARKER_FLAG, _DIRECTION_FLAG, _WERD_END_FLAG = 1, 2, 4

# Tesseract codes whose language the zoo does not know by name: the catalog locale of
# the same language, so both sources land on one LID label (see corpus.label_for_locale).
_TESSERACT_TO_LOCALE = {
    "afr": "af", "asm": "as", "bel": "be", "ben": "bn", "bod": "bo", "bos": "bs", "bre": "br",
    "bul": "bg", "cat": "ca", "chi_sim": "zh_CN", "chi_tra": "zh_TW", "cym": "cy", "dan": "da",
    "dzo": "dz", "epo": "eo", "est": "et", "eus": "eu", "fao": "fo", "fry": "fy", "gla": "gd",
    "gle": "ga", "glg": "gl", "guj": "gu", "hrv": "hr", "hye": "hy", "isl": "is", "kan": "kn",
    "kat": "ka", "khm": "km", "kmr": "kmr", "lav": "lv", "lit": "lt", "mal": "ml", "mkd": "mk",
    "mlt": "mt", "msa": "ms", "mya": "my", "nep": "ne", "nor": "nb", "oci": "oc", "ori": "or",
    "pan": "pa", "pus": "ps", "ron": "ro", "sin": "si", "slk": "sk", "slv": "sl", "sqi": "sq",
    "srp": "sr", "srp_latn": "sr@latin", "tam": "ta", "tha": "th", "tir": "ti", "uig": "ug",
    "urd": "ur", "yid": "yi", "yor": "yo", "cos": "co", "fil": "tl", "jav": "jv", "sun": "su",
    "swa": "sw", "lao": "lo", "ltz": "lb", "mri": "mi", "que": "qu", "snd": "sd", "ton": "to",
    "hat": "ht", "lat": "la", "ceb": "ceb", "chr": "chr", "div": "dv", "iku": "iu", "syr": "syr",
    "san": "sa", "swe": "sv",
}


# English gets no word-list text: its list (web text) is full of names and foreign tokens,
# which made English a catch-all for unknown Latin-script text (Hausa FLORES sentences
# routed to English: 5.3 % with an English list, 2.4 % without, benchmarks/LID_RESULTS.md),
# and English already has the most catalog text (every msgid).
SKIP_LABELS = frozenset({"eng_Latn"})


class WordListError(LangzooError):
    """A Tesseract language-data file cannot be read as a word list."""


def label_for_tesseract(code: str) -> str | None:
    """The LID label of a Tesseract language code (``uzb`` -> ``uzn_Latn``,
    ``bul`` -> ``bg``); None for codes that are scripts or historic forms."""
    if code.endswith(("_vert", "_old")):  # vertical-text and historic models: same words
        return None
    if code in _TESSERACT_TO_LOCALE:
        return label_for_locale(_TESSERACT_TO_LOCALE[code])
    try:
        return resolve_language(code).code
    except UnknownLanguageError:
        return None


def _components(data: bytes) -> dict[int, bytes]:
    """The components of a ``.traineddata`` file: {TessdataType index: bytes}."""
    if len(data) < 4:
        raise WordListError("file too short for a traineddata header")
    (count,) = struct.unpack_from("<i", data, 0)
    if not 0 < count < 100 or len(data) < 4 + 8 * count:
        raise WordListError(f"not a traineddata file (entry count {count})")
    offsets = struct.unpack_from(f"<{count}q", data, 4)
    present = sorted((off, i) for i, off in enumerate(offsets) if off >= 0)
    parts: dict[int, bytes] = {}
    for k, (off, index) in enumerate(present):
        end = present[k + 1][0] if k + 1 < len(present) else len(data)
        if not 0 <= off <= end <= len(data):
            raise WordListError(f"component {index} lies outside the file")
        parts[index] = data[off:end]
    return parts


def _unichars(unicharset: bytes) -> list[str]:
    """Unichar id -> string, from a unicharset's text form (first token of each line)."""
    lines = unicharset.decode("utf-8", errors="replace").splitlines()
    try:
        size = int(lines[0].strip())
    except (IndexError, ValueError) as exc:
        raise WordListError("unicharset has no size line") from exc
    chars = []
    for line in lines[1:size + 1]:
        token = line.split(" ", 1)[0]
        chars.append(" " if token == "NULL" else token)
    return chars


def _dawg_words(dawg: bytes, chars: Sequence[str]) -> Iterator[str]:
    """Every word of a squished DAWG, depth first from the root (node 0)."""
    if len(dawg) < 10:
        raise WordListError("word DAWG too short")
    magic, unicharset_size, num_edges = struct.unpack_from("<hii", dawg, 0)
    if magic != _DAWG_MAGIC or num_edges < 0 or len(dawg) < 10 + 8 * num_edges:
        raise WordListError(f"not a squished DAWG (magic {magic}, {num_edges} edges)")
    edges = struct.unpack_from(f"<{num_edges}Q", dawg, 10)
    # Tesseract reserves id ``unicharset_size`` as a null letter, hence the + 1.
    flag_start = math.ceil(math.log2(unicharset_size + 1))
    letter_mask = (1 << flag_start) - 1
    next_shift = flag_start + _NUM_FLAG_BITS
    unoccupied = ((1 << 64) - 1) >> next_shift << next_shift
    stack: list[tuple[int, str]] = [(0, "")]
    while stack:
        node, prefix = stack.pop()
        edge = node
        while 0 <= edge < num_edges and edges[edge] != unoccupied:
            record = edges[edge]
            flags = (record >> flag_start) & 7
            if flags & _DIRECTION_FLAG:  # backward edges are not part of the word list
                break
            letter = record & letter_mask
            word = prefix + (chars[letter] if letter < len(chars) else "")
            if len(word) > _MAX_WORD_CHARS:  # a corrupt DAWG would loop until memory runs out
                raise WordListError(f"word DAWG yields a word over {_MAX_WORD_CHARS} characters")
            if flags & _WERD_END_FLAG:
                yield word
            nxt = record >> next_shift
            if nxt and nxt < num_edges:
                stack.append((nxt, word))
            if flags & _MARKER_FLAG:
                break
            edge += 1


def read_traineddata_words(path: Path) -> list[str]:
    """The LSTM word list of a Tesseract ``.traineddata`` file (sorted, distinct)."""
    parts = _components(Path(path).read_bytes())
    if _LSTM_SYSTEM_DAWG not in parts or _LSTM_UNICHARSET not in parts:
        raise WordListError(f"{path.name} has no LSTM word list")
    return sorted(set(_dawg_words(parts[_LSTM_SYSTEM_DAWG], _unichars(parts[_LSTM_UNICHARSET]))))


def words_in_label_script(words: Sequence[str], label: str) -> list[str]:
    """The words written in ``label``'s script: the script part of the code (``tat_Cyrl``
    -> Cyrillic), else the script most of the list is written in.

    Tesseract's lists are web text and carry other scripts: the Chinese and Japanese
    lists are a third Latin (English words), and the ``tat`` list is Tatar in *Latin*
    script while the catalogs' Tatar is Cyrillic.  Trained as they are, they taught the
    model that Latin Turkish-looking words are ``tat_Cyrl`` and English ones Chinese.
    """
    scripts = [dominant_script(w) for w in words]
    accepted = scripts_for_code(label)
    if accepted is None:
        majority = Counter(s for s in scripts if s is not None).most_common(1)
        accepted = frozenset({majority[0][0]}) if majority else frozenset()
    return [w for w, s in zip(words, scripts) if s in accepted]


def pseudo_sentences(words: Sequence[str], count: int, *, max_words: int = 8, seed: int = 0,
                     keep: Mapping[str, float] | None = None) -> list[str]:
    """``count`` texts of 1..``max_words`` random words; short on purpose, since short
    texts are where the catalog-only model was weakest.

    ``keep[word]`` (default 1) scales a word's chance to be drawn: :func:`shared_word_keep`
    uses it so that a word in several lists is not drawn more often for the label with
    the shorter list."""
    if not words or count <= 0:
        return []
    rng = random.Random(seed)
    if not keep:
        return [" ".join(rng.choice(words) for _ in range(rng.randint(1, max_words))) for _ in range(count)]
    # Weighted draws by bisection over cumulative weights: one random number a word,
    # however small the weights (rejection sampling took minutes for lists whose words
    # are nearly all in a much longer list).
    cum = list(accumulate(keep.get(w, 1.0) for w in words))
    return [" ".join(rng.choices(words, cum_weights=cum, k=rng.randint(1, max_words))) for _ in range(count)]


def shared_word_keep(lists: Mapping[str, Sequence[str]]) -> dict[str, dict[str, float]]:
    """Label -> {word: draw weight} for the words a label shares with a longer list.

    Drawn uniformly, a word in a 247k-word list comes up 1.75 times as often as the same
    word in a 432k-word list, so the shorter list owned the words lists share: Turkish
    "evde" and "nerede" in Tesseract's Kurmanji list (web text from Turkey), the many
    words Kazakh (437k) shares with Kyrgyz (1.01M).  Weighting a shared word by
    ``len(own list) / len(longest list holding it)`` gives it one rate in every list,
    so the labels' other text decides, not the list lengths
    (benchmarks/LID_RESULTS.md, stop 25)."""
    longest: dict[str, int] = {}
    for words in lists.values():
        n = len(words)
        for word in words:
            if longest.get(word, 0) < n:
                longest[word] = n
    return {label: {w: len(words) / longest[w] for w in words if longest[w] > len(words)}
            for label, words in lists.items()}


def wordlist_texts(tessdata_dirs: Iterable[Path], *, per_label: int, labels: Iterable[str] | None = None,
                   seed: int = 0, skip: Iterable[str] = SKIP_LABELS,
                   per_label_for: Mapping[str, int] | None = None,
                   frequencies: Mapping[str, float] | None = None, frequency_share: float = 0.0,
                   frequency_alpha: float = 0.5, scorer=None) -> dict[str, list[str]]:
    """Label -> ``per_label`` pseudo-sentences from every ``*.traineddata`` under the dirs
    (``per_label_for[label]`` where given); only for ``labels`` when given (so the word
    lists never add a label the catalogs lack), never for ``skip``.

    With ``frequencies`` (:func:`~langzoo.lid.word_frequency.piece_word_frequencies`) and
    ``frequency_share`` > 0, about that share of each list's draws follow how common the
    words are (:func:`~langzoo.lid.word_frequency.frequency_weights`); a common word is
    boosted only in the list of the language ``scorer`` says it is (default: lid.176 and
    CLD2, :func:`~langzoo.lid.word_frequency.running_text_scorer`), never in English's.

    A label's first n texts are the same whatever count is asked, so one draw can serve
    models that want different amounts."""
    lists = read_word_lists(tessdata_dirs, labels=labels, skip=skip)
    weights = shared_word_keep(lists)
    if frequencies and frequency_share > 0.0:
        english = read_word_lists(tessdata_dirs, labels=["eng_Latn"], skip=()).get("eng_Latn", [])
        owners = word_owners(lists, frequencies, scorer or running_text_scorer(), exclude=english)
        for label, words in lists.items():
            extra = frequency_weights(label, words, frequencies, owners, share=frequency_share,
                                      alpha=frequency_alpha)
            own = weights[label]
            for w, x in extra.items():
                own[w] = own.get(w, 1.0) + x
    return {label: pseudo_sentences(words, (per_label_for or {}).get(label, per_label), seed=seed,
                                    keep=weights[label])
            for label, words in lists.items()}


def read_word_lists(tessdata_dirs: Iterable[Path], *, labels: Iterable[str] | None = None,
                    skip: Iterable[str] = SKIP_LABELS) -> dict[str, list[str]]:
    """Label -> its words in its script, from every ``*.traineddata`` under the dirs
    (see :func:`wordlist_texts` for ``labels`` and ``skip``); a list mostly in another
    script is skipped with a warning."""
    wanted = set(labels) if labels is not None else None
    skip = set(skip)
    files = sorted({p for d in tessdata_dirs for p in Path(d).rglob("*.traineddata")})
    out: dict[str, list[str]] = {}
    for path in tqdm(files, desc="read word lists", unit="lang"):
        label = label_for_tesseract(path.name[: -len(".traineddata")])
        if label is None or (wanted is not None and label not in wanted) or label in out or label in skip:
            continue
        try:
            all_words = read_traineddata_words(path)
        except WordListError as exc:
            warnings.warn(f"{path.name}: {exc}; skipped", stacklevel=2)
            continue
        words = words_in_label_script(all_words, label)
        if len(words) < len(all_words) / 2:
            warnings.warn(f"{path.name}: {len(all_words) - len(words)} of {len(all_words)} words are not "
                          f"in the script of {label}; skipped", stacklevel=2)
            continue
        out[label] = words
    return out


def tesseract_packages(available: Mapping[str, str | None]) -> list[str]:
    """The per-language Tesseract packages among ``available`` (apt names -> version)."""
    return sorted(n for n, v in available.items() if v and n.startswith("tesseract-ocr-")
                  and label_for_tesseract(n[len("tesseract-ocr-"):].replace("-", "_")) is not None)


def _language_package_names() -> list[str]:
    """Every ``tesseract-ocr-<lang>`` package apt knows (one ``apt-cache`` call)."""
    import subprocess

    res = subprocess.run(["apt-cache", "pkgnames", "tesseract-ocr-"], capture_output=True, text=True)
    return sorted(set(res.stdout.split()))


def fetch_tessdata(dest: Path) -> Path:
    """Download the per-language Tesseract packages and keep their ``*.traineddata``
    under ``dest/tessdata`` (~150 MB, reused when present); return that folder.

    The files are unpacked into ``dest/tessdata.partial`` and renamed only when every
    package is in, so an interrupted fetch is never mistaken for a complete one."""
    from langzoo.data.fetch import _check_tools, _download, _ensure_apt_lists, candidate_versions

    root = dest / "tessdata"
    if root.is_dir() and any(root.glob("*.traineddata")):
        return root
    _check_tools()
    _ensure_apt_lists()
    versions = candidate_versions(_language_package_names())
    names = tesseract_packages(versions)
    if not names:
        raise WordListError("apt knows no tesseract-ocr-<lang> packages; word lists need them "
                            "(or pass --wordlist-texts 0)")
    partial = dest / "tessdata.partial"
    if partial.exists():
        shutil.rmtree(partial)
    partial.mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix="langzoo-tessdata-") as tmp:
        debs = _download(names, versions, Path(tmp), [])
        for deb in tqdm(sorted(debs.values()), desc="unpack word lists", unit="pkg"):
            for path in unpack_matching(deb, Path(tmp) / "x", "*.traineddata"):
                path.replace(partial / path.name)
    if root.exists():  # an empty or file-less leftover
        shutil.rmtree(root)
    partial.rename(root)
    return root
