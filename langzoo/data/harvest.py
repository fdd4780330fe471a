"""Harvest English→L sentence pairs from software localisation catalogs, offline.

The way OPUS built its GNOME/KDE/Ubuntu/Mozilla corpora: gettext catalogs pair each
English ``msgid`` with its translation; Fluent (``.ftl``) and ``.properties`` files of
Mozilla language packs are matched by message id against the English build of the
same file.  Strings are cleaned (:func:`langzoo.data.clean.clean_text`), filtered
(:func:`langzoo.data.clean.pair_reject_reason`) and deduplicated on the English side.
"""

from __future__ import annotations

import hashlib
import json
import os
import warnings
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from langzoo.data.catalogs import CatalogReadError, catalog_language, parse_fluent, parse_properties, read_gettext, resolve_fluent
from langzoo.data.clean import clean_text, pair_reject_reason
from langzoo.data.errors import CatalogWarning, DataSourceError
from langzoo.data.locales import ENGLISH_TAGS, is_english_tag, locale_matches, parse_locale_tag
from langzoo.data.paths import default_harvest_roots
from langzoo.data.sets import FilterLog, PairSet
from langzoo.languages import Language, resolve_language

GETTEXT_SUFFIXES = (".mo", ".gmo", ".po")
KEYED_SUFFIXES = (".ftl", ".properties")
ARCHIVE_SUFFIXES = (".xpi", ".ja", ".jar")
FILTER_STEPS = ("empty", "identical", "too_short", "too_long", "non_letters", "wrong_script")


@dataclass
class _Keyed:
    """Keyed (Fluent/.properties) catalogs found so far, per (product, relpath) and locale."""

    # (product, relpath) -> locale tag -> raw text
    files: dict[tuple[str, str], dict[str, str]] = field(default_factory=lambda: defaultdict(dict))

    def add(self, product: str, relpath: str, tag: str, text: str) -> None:
        self.files[(product, relpath)][tag] = text


def _locale_split(parts: tuple[str, ...], lang: Language) -> tuple[str, str] | None:
    """Find the locale segment of a path: (tag, path after it), innermost match wins."""
    for i in range(len(parts) - 2, -1, -1):
        tag = parts[i]
        if locale_matches(tag, lang) or is_english_tag(tag):
            return tag, "/".join(parts[i + 1 :])
    return None


def _gettext_locale(path: Path) -> str | None:
    parts = path.parts
    if len(parts) >= 3 and parts[-2] == "LC_MESSAGES":
        return parts[-3]
    if path.suffix == ".po" and parse_locale_tag(path.stem):
        return path.stem
    return catalog_language(path)


def _product_of(path: Path) -> str:
    """Which application a Mozilla archive/ftl belongs to, so Firefox and Thunderbird
    copies of the same relative path are matched separately."""
    low = str(path).lower()
    for name in ("thunderbird", "firefox", "seamonkey"):
        if name in low:
            return name
    return ""


def _walk(roots: Iterable[Path]) -> Iterator[Path]:
    seen: set[Path] = set()
    for root in roots:
        root = Path(root)
        if root.is_file():
            candidates: Iterable[Path] = [root]
        elif root.is_dir():
            candidates = (Path(d) / f for d, _, fs in os.walk(root, followlinks=False) for f in fs)
        else:
            warnings.warn(f"harvest root {root} does not exist; skipped", CatalogWarning, stacklevel=3)
            continue
        for path in candidates:
            if path.suffix in GETTEXT_SUFFIXES + KEYED_SUFFIXES + ARCHIVE_SUFFIXES:
                real = path.resolve()
                if real not in seen:
                    seen.add(real)
                    yield path


def _skip(path: Path | str, reason: str, skipped: list[str]) -> None:
    skipped.append(f"{path}: {reason}")
    warnings.warn(f"skipped catalog {path}: {reason}", CatalogWarning, stacklevel=3)


def extract_raw_pairs(
    lang: str | Language, roots: Iterable[str | Path], *, progress: bool = False
) -> tuple[list[tuple[str, str, str]], dict]:
    """All raw (en, L, origin) pairs under ``roots`` plus extraction statistics.

    ``origin`` is the catalog family (gettext domain or Mozilla product) used for the
    per-origin counts in provenance.  Malformed/empty catalogs are skipped with a
    :class:`CatalogWarning` and listed under ``stats["skipped"]``.
    """
    language = resolve_language(lang)
    raw: list[tuple[str, str, str]] = []
    keyed = _Keyed()
    skipped: list[str] = []
    n_catalogs = 0
    digest = hashlib.sha256()
    paths = sorted(_walk([Path(r) for r in roots]))
    for path in tqdm(paths, desc=f"catalogs ({language.alias})", unit="file", disable=not progress):
        suffix = path.suffix
        if suffix in GETTEXT_SUFFIXES:
            tag = _gettext_locale(path)
            if tag is None or not locale_matches(tag, language):
                continue
            try:
                entries = read_gettext(path)
            except CatalogReadError as exc:
                _skip(path, str(exc).split(": ", 1)[-1], skipped)
                continue
            n_catalogs += 1
            digest.update(f"{path}:{path.stat().st_size}\n".encode())
            origin = path.stem
            raw.extend((en, tr, origin) for en, tr in entries)
        elif suffix in KEYED_SUFFIXES:
            split = _locale_split(path.parts, language)
            if split is None:
                continue
            try:
                keyed.add(_product_of(path), split[1], split[0], path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError) as exc:
                _skip(path, f"unreadable ({exc})", skipped)
        else:  # Mozilla language pack / omni.ja archives
            try:
                with zipfile.ZipFile(path) as zf:
                    product = _product_of(path)
                    for name in zf.namelist():
                        if not name.endswith(KEYED_SUFFIXES):
                            continue
                        split = _locale_split(tuple(name.split("/")), language)
                        if split is None:
                            continue
                        keyed.add(product, split[1], split[0], zf.read(name).decode("utf-8", "replace"))
            except (zipfile.BadZipFile, OSError) as exc:
                _skip(path, f"not a readable zip archive ({exc})", skipped)
    keyed_pairs, n_keyed = _match_keyed(keyed, language, skipped)
    raw.extend(keyed_pairs)
    n_catalogs += n_keyed
    stats = {
        "catalogs": n_catalogs,
        "skipped": skipped,
        "catalog_digest": digest.hexdigest()[:16],
        "origins": dict(Counter(o for _, _, o in raw).most_common(30)),
    }
    return raw, stats


def _english_tag(tags: Iterable[str]) -> str | None:
    tags = list(tags)
    for want in ENGLISH_TAGS:
        if want in tags:
            return want
    return next((t for t in tags if is_english_tag(t)), None)


def _match_keyed(keyed: _Keyed, language: Language, skipped: list[str]) -> tuple[list[tuple[str, str, str]], int]:
    """Match Fluent/.properties messages of L to the English file of the same path."""
    # Terms (e.g. -brand-short-name) are shared across files of one product+locale.
    parsed: dict[tuple[str, str, str], dict[str, str]] = {}
    terms: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    for (product, relpath), by_tag in keyed.files.items():
        for tag, text in by_tag.items():
            try:
                if relpath.endswith(".ftl"):
                    msgs, trms = parse_fluent(text)
                    terms[(product, tag)].update(trms)
                else:
                    msgs = parse_properties(text)
            except CatalogReadError as exc:
                _skip(f"{product}:{tag}/{relpath}", str(exc), skipped)
                continue
            parsed[(product, relpath, tag)] = msgs
    out: list[tuple[str, str, str]] = []
    n_files = 0
    for (product, relpath), by_tag in keyed.files.items():
        l_tags = [t for t in by_tag if locale_matches(t, language)]
        en_tag = _english_tag(by_tag)
        if not l_tags or en_tag is None:
            continue
        en_msgs = parsed.get((product, relpath, en_tag))
        l_msgs = parsed.get((product, relpath, l_tags[0]))
        if en_msgs is None or l_msgs is None:
            continue
        n_files += 1
        is_ftl = relpath.endswith(".ftl")
        for key, l_val in l_msgs.items():
            en_val = en_msgs.get(key)
            if en_val is None:
                continue
            if is_ftl:
                en_val = resolve_fluent(en_val, terms[(product, en_tag)])
                l_val = resolve_fluent(l_val, terms[(product, l_tags[0])])
            out.append((en_val, l_val, product or "mozilla"))
    return out, n_files


def clean_and_filter(
    raw: Iterable[tuple[str, str]],
    lang: str | Language,
    *,
    min_words: int = 1,
    max_words: int = 200,
    min_letter_ratio: float = 0.5,
    log: FilterLog | None = None,
) -> list[tuple[str, str]]:
    """Clean both sides, drop rejected pairs, deduplicate on the English side.

    For an English string with several translations the most frequent cleaned
    translation wins (ties: the first seen), so one stale catalog cannot override the
    consensus of the others.
    """
    language = resolve_language(lang)
    log = log if log is not None else FilterLog()
    raw = list(raw)
    log.record("extracted", len(raw))
    rejected: Counter[str] = Counter()
    kept: list[tuple[str, str]] = []
    for en, other in raw:
        en_c, other_c = clean_text(en), clean_text(other, language)
        reason = pair_reject_reason(
            en_c, other_c, lang=language, min_words=min_words, max_words=max_words, min_letter_ratio=min_letter_ratio
        )
        if reason is None:
            kept.append((en_c, other_c))
        else:
            rejected[reason] += 1
    remaining = len(raw)
    for step in FILTER_STEPS:
        remaining -= rejected[step]
        log.record(step, remaining)
    # Untranslated strings whose English reference differs slightly (en-GB "labelled"
    # vs en-US "labeled") survive the identical check: drop L sides of 3+ words made
    # only of words that occur on the English side of the harvest.
    en_vocab = {w for en_c, _ in kept for w in _words(en_c)}
    before = len(kept)
    kept = [(e, o) for e, o in kept if not _looks_english(o, en_vocab)]
    remaining -= before - len(kept)
    log.record("untranslated", remaining)
    by_en: dict[str, Counter[str]] = {}
    first_en: dict[str, str] = {}
    for en_c, other_c in kept:
        key = en_c.casefold()
        by_en.setdefault(key, Counter())[other_c] += 1
        first_en.setdefault(key, en_c)
    # Counter.most_common keeps insertion order among ties -> first seen wins.
    pairs = [(first_en[k], c.most_common(1)[0][0]) for k, c in by_en.items()]
    log.record("dedup_en", len(pairs))
    return pairs


def _words(text: str) -> list[str]:
    return [w for w in (t.strip(".,;:!?()[]\"'«»“”…").casefold() for t in text.split()) if w]


def _looks_english(text: str, en_vocab: set[str]) -> bool:
    words = _words(text)
    return len(words) >= 3 and all(w in en_vocab for w in words)


def harvest(
    lang: str | Language,
    roots: Iterable[str | Path] | None = None,
    *,
    min_words: int = 1,
    max_words: int = 200,
    min_letter_ratio: float = 0.5,
    progress: bool = False,
) -> PairSet:
    """English→L pairs from localisation catalogs under ``roots``.

    ``roots=None`` searches the system locale folders and the language's l10n cache
    (:func:`langzoo.data.paths.default_harvest_roots`; fill it with
    :func:`langzoo.data.fetch_l10n_packages`).  Raises :class:`DataSourceError` when no
    catalog of the language is found at all.
    """
    language = resolve_language(lang)
    root_list = [Path(r) for r in (roots if roots is not None else default_harvest_roots(language))]
    raw, stats = extract_raw_pairs(language, root_list, progress=progress)
    if stats["catalogs"] == 0:
        raise DataSourceError(
            f"No {language.name} ({language.alias}) localisation catalogs found under "
            f"{', '.join(map(str, root_list)) or '(no roots)'}. Run `zoo data fetch --lang {language.alias}` "
            "first, or pass --root folders that contain .mo/.po/.ftl files."
        )
    provenance = {
        "kind": "harvest",
        "lang": language.code,
        "roots": [str(r) for r in root_list],
        "catalogs": stats["catalogs"],
        "catalog_digest": stats["catalog_digest"],
        "skipped_catalogs": len(stats["skipped"]),
        "origins": stats["origins"],
        "packages": fetch_manifests(root_list),
    }
    return filtered_pair_set(raw, language, provenance, min_words=min_words, max_words=max_words,
                             min_letter_ratio=min_letter_ratio)


def filtered_pair_set(raw, language: Language, provenance: dict, *, min_words: int, max_words: int,
                      min_letter_ratio: float) -> PairSet:
    """Clean and filter raw ``(en, L, origin)`` triples into a :class:`PairSet` whose
    provenance also records the filter settings and the per-filter counts."""
    log = FilterLog()
    pairs = clean_and_filter(
        [(en, tr) for en, tr, _ in raw], language, min_words=min_words, max_words=max_words,
        min_letter_ratio=min_letter_ratio, log=log,
    )
    provenance = {**provenance,
                  "filters": {"min_words": min_words, "max_words": max_words, "min_letter_ratio": min_letter_ratio},
                  "counts": log.as_dict()}
    return PairSet(pairs=pairs, provenance=provenance, counts=log.as_dict())


def fetch_manifests(roots: list[Path]) -> dict[str, str]:
    """Package name → version for roots that are fetch caches (see fetch.py)."""
    out: dict[str, str] = {}
    for root in roots:
        manifest = root / "manifest.json"
        if manifest.is_file():
            try:
                data = json.loads(manifest.read_text())
                out.update({name: info.get("version", "?") for name, info in data.get("packages", {}).items()})
            except (OSError, ValueError):
                pass
    return out
