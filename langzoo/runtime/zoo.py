"""`Zoo`: encode texts in any language through one shared base body.

Each text's language is detected (or given), the text is routed to that language's
pack (loaded lazily, at most ``max_loaded`` kept attached), texts of one language are
encoded together in length-sorted batches, and vectors come back in input order.
Texts whose language has no pack (or whose language is uncertain) take the
documented fallback: the bare base encoder (default) or the English path.  A text in a
script its language's pack was not built in (Cyrillic Uzbek, for the Latin uz pack) is
converted to the pack's script and encoded by it (``transliterate``; see
``langzoo/transliteration.py``).

What each route stacks is a composition (``runtime/composition.py``; ``alignment=`` is
the shortcut), and ``save_config``/``from_config`` pin a zoo's languages, pack versions,
fallback, detector and composition in a ``zoo.json`` (``runtime/zoo_config.py``).
"""

from __future__ import annotations

import logging
import sys
import threading
import time
import warnings
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import torch

from langzoo.errors import InvalidInputError, LangzooError, LangzooWarning, PackNotFoundError
from langzoo.languages import ENGLISH, resolve_language
from langzoo.modules.composer import ComposedEncoder
from langzoo.modules.pack import PACK_FILE
from langzoo.runtime.composition import Composition, as_composition, named_composition
from langzoo.runtime.inputs import check_texts, encodable, requested_languages
from langzoo.transliteration import converts_script, script_variants, to_pack_script

logger = logging.getLogger(__name__)
FALLBACKS = ("base", "english")
# Characters kept per text before tokenising: far beyond any max_seq_length, but
# bounds the tokenizer's work on pathological inputs (a 100,000-character text).
_MAX_CHARS_PER_TOKEN = 16


@dataclass
class RoutingStats:
    """Counters of the last `encode` call, for benchmarks and debugging."""

    routes: dict[str, int] = field(default_factory=dict)
    lid_seconds: float = 0.0
    encode_seconds: float = 0.0
    switches: int = 0
    switch_seconds: float = 0.0
    truncated: int = 0


class Zoo:
    """A base encoder plus language packs, with automatic language routing."""

    def __init__(self, encoder: ComposedEncoder, packs: dict[str, Path], *, lid=None, max_loaded: int = 8,
                 fallback: str = "base", alignment: bool = True, composition=None, transliterate: bool = True):
        if fallback not in FALLBACKS:
            raise ValueError(f"fallback must be one of {FALLBACKS}, not {fallback!r}")
        if max_loaded < 1:
            raise ValueError("max_loaded must be at least 1")
        self.encoder = encoder
        self.pack_paths = dict(packs)  # canonical code -> pack folder
        self.max_loaded = max_loaded
        self.fallback = fallback
        if composition is not None and alignment is False:
            raise ValueError("give either composition= or alignment=False (its shortcut), not both")
        self.composition: Composition = as_composition(composition, alignment)
        # Route a pack's language written in another script (Cyrillic Uzbek) to the pack,
        # converted; False keeps such texts on the fallback (zoo.json saved before stop 30).
        self.transliterate = bool(transliterate)
        self._lid = lid
        self._lid_spec = lid if isinstance(lid, (str, type(None))) else None
        self._lid_options: dict = {}  # detector settings a zoo.json pinned (min_confidence, ...)
        self._lru: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.RLock()
        self._warned_no_pack: set[str] = set()  # explicit languages already warned about (once each)
        self.warn_missing_packs = True
        self.last_stats = RoutingStats()

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(cls, base=None, languages="installed", *, registry=None, device: str = "cpu", lid="default",
             max_loaded: int = 8, fallback: str = "base", alignment: bool = True, composition=None,
             transliterate: bool = True, config=None) -> "Zoo":
        """Load a base and make packs available.

        ``languages``: ``"installed"`` (every pack in the registry built on this base),
        a list of language codes (taken from the registry) and/or pack folders, or
        ``[]`` for the bare base. ``registry``: ``None`` (the local registry), a folder,
        or ``hf://NAMESPACE`` (missing packs are pulled; needs the Hub or its cache).
        ``lid``: a detector name from ``langzoo.lid`` (``"default"``: langzoo's trained
        model mixed with lid.176 and CLD2, offline; ``"lid.176"``, ``"glotlid"``, ...), a model path,
        or a ready ``LanguageDetector``.
        ``composition``: what each route stacks (see ``runtime/composition.py``).
        ``transliterate``: texts of a pack's language in another script (Cyrillic Uzbek for
        the Latin uz pack) are detected as such, converted and encoded by the pack;
        ``False`` leaves them to the fallback. ``config``:
        a ``zoo.json`` (``save_config``) pinning all of it; then only ``base``, ``registry``,
        ``device`` (and a ``lid`` object) apply.
        """
        if config is not None:
            return cls.from_config(config, base=base, registry=registry, device=device,
                                   lid=None if isinstance(lid, str) and lid == "default" else lid)
        encoder = ComposedEncoder(base, device=device, merge_lora=True)
        packs = _resolve_packs(languages, registry, encoder.base.fingerprint)
        zoo = cls(encoder, packs, lid=lid, max_loaded=max_loaded, fallback=fallback, alignment=alignment,
                  composition=composition, transliterate=transliterate)
        if isinstance(languages, (list, tuple)) and not languages:
            zoo.warn_missing_packs = False  # the bare base on purpose: no "pack missing" warnings
        return zoo

    @classmethod
    def from_config(cls, path, *, base=None, registry=None, device: str = "cpu", lid=None) -> "Zoo":
        """The zoo a ``zoo.json`` pins: exactly its pack versions (checked by fingerprint), on its
        base, with its fallback, detector and composition (see ``runtime/zoo_config.py``)."""
        from langzoo.runtime.zoo_config import load_zoo

        return load_zoo(cls, path, base=base, registry=registry, device=device, lid=lid)

    def save_config(self, path) -> Path:
        """Write ``zoo.json``: base, languages with pack versions and fingerprints, fallback,
        detector and composition, so a deployment serves exactly this zoo again."""
        from langzoo.runtime.zoo_config import save_zoo

        return save_zoo(self, path)

    @property
    def alignment(self) -> bool:
        """The default route's ``cla`` switch (the ``alignment=`` shortcut of the composition)."""
        return self.composition.default.alignment

    @alignment.setter
    def alignment(self, value: bool) -> None:
        self.composition = as_composition(None, bool(value))

    def _route_stack(self, route: str | None, alignment: bool | None):
        """What ``route`` stacks: its composition, or ``alignment`` given to one call."""
        if alignment is None:
            return self.composition.for_route(route)
        return named_composition("aligned" if alignment else "monolingual")

    @property
    def languages(self) -> list[str]:
        """Canonical codes of the languages with a pack."""
        return sorted(self.pack_paths)

    @property
    def lid(self):
        if self._lid is None or isinstance(self._lid, str):
            from langzoo.lid import load_detector

            self._lid = load_detector(self._lid, **self._lid_options)
        self._lid.allowed = sorted(set(self.pack_paths) | {ENGLISH} | set(self._script_variants()))
        return self._lid

    def _script_variants(self) -> dict[str, str]:
        """Detected code -> the pack that encodes it after conversion (``uzn_Cyrl`` ->
        ``uzn_Latn`` when the uz pack is installed and ``transliterate`` is on)."""
        return script_variants(self.pack_paths) if self.transliterate else {}

    @property
    def cache_key(self) -> str:
        """Identifies this configuration (base + packs) for embedding caches."""
        from langzoo.modules.hashing import sha256_json

        return sha256_json({"base": self.encoder.base.fingerprint,
                            "packs": {c: str(p) for c, p in sorted(self.pack_paths.items())}})[:16]

    def vectors_key(self, lang: str, alignment: bool | None = None) -> str:
        """What a text in ``lang`` is encoded with, for embedding caches: the bare base
        (fallback route), or the base plus the route's pack modules by content hash, the
        ``cla`` one only when it is used. Two configurations that encode a language alike
        (e.g. English, which has no ``cla``, with alignment on and off) get the same key."""
        from langzoo.modules.hashing import sha256_json
        from langzoo.modules.pack import read_pack_info

        route = self._route_one(resolve_language(lang).code)
        if route is None:
            return f"zoo-bare-base|{self.encoder.base.fingerprint}"
        kinds = self._route_stack(route, alignment).kinds
        modules = {k: h for k, h in read_pack_info(self.pack_paths[route])["modules"].items() if k in kinds}
        key = {"base": self.encoder.base.fingerprint, "lang": route, "modules": modules}
        if self.transliterate and converts_script(route):
            key["converts_script"] = True  # its texts are converted first (Cyrillic Uzbek to Latin)
        return "zoo-pack|" + sha256_json(key)

    def _ensure_attached(self, code: str) -> None:
        """Attach ``code``'s pack if needed, evicting the least recently used beyond max_loaded."""
        with self._lock:
            if code in self._lru:
                self._lru.move_to_end(code)
                return
            self.encoder.attach(self.pack_paths[code])
            self._lru[code] = None
            while len(self._lru) > self.max_loaded:
                old, _ = self._lru.popitem(last=False)
                self.encoder.detach(old)

    # ------------------------------------------------------------------ routing
    def detect(self, texts):
        """Language and confidence per text (``Detection`` objects)."""
        single = isinstance(texts, str)
        texts = check_texts(texts)
        out = self.lid.detect(texts)
        return out[0] if single else out

    def explain(self, texts) -> list[dict]:
        """Per text: detected ``lang``, ``confidence``, ``reason`` and the ``route`` it takes
        (pack code, or ``None`` for the bare base), for `zoo detect` and debugging."""
        texts = check_texts([texts] if isinstance(texts, str) else texts)
        return [{"lang": d.lang, "confidence": d.confidence, "reason": d.reason, "route": self._route_one(d.lang)}
                for d in self.lid.detect([encodable(t) for t in texts])]

    def route(self, texts: list[str], lang=None) -> list[str | None]:
        """The pack each text would use (canonical code), ``None`` for the bare base."""
        codes = self._requested_codes(texts, lang)
        return [self._route_one(c) for c in codes]

    def _requested_codes(self, texts: list[str], lang, *, warn: bool = False) -> list[str | None]:
        codes = requested_languages(lang, len(texts))
        if warn:
            self._warn_no_pack({c for c in codes if c is not None})
        todo = [i for i, c in enumerate(codes) if c is None]
        if todo:
            started = time.perf_counter()
            detections = self.lid.detect([encodable(texts[i]) for i in todo])
            self.last_stats.lid_seconds += time.perf_counter() - started
            for i, det in zip(todo, detections):
                codes[i] = det.lang  # None when uncertain: goes to the fallback
        return codes

    def pack_for(self, code: str | None) -> str | None:
        """The pack that encodes texts of ``code`` (a canonical code): its own, or with
        ``transliterate`` the pack of the same language in another script (``uzn_Cyrl`` ->
        ``uzn_Latn``); ``None`` when there is none (the fallback takes them)."""
        if code in self.pack_paths:
            return code
        return self._script_variants().get(code) if code is not None else None

    def _route_one(self, code: str | None) -> str | None:
        pack = self.pack_for(code)
        if pack is not None:
            return pack
        if self.fallback == "english" and ENGLISH in self.pack_paths:
            return ENGLISH
        return None

    def _warn_no_pack(self, codes: set[str]) -> None:
        """A language asked for by name (``lang=``) without a pack is a likely mistake (pack not
        pulled yet): say so once per language instead of silently using the fallback."""
        if not self.warn_missing_packs:
            return
        for code in sorted(c for c in codes - self._warned_no_pack if self.pack_for(c) is None):
            self._warned_no_pack.add(code)
            alias = resolve_language(code).alias
            target = "the English pack" if self._route_one(code) == ENGLISH else "the bare base encoder"
            warnings.warn(f"No {alias} pack in this zoo: lang={alias!r} texts are encoded by {target}. Get the pack "
                          f"with `zoo pull {alias} --from hf://NAMESPACE` (or `zoo build --lang {alias}`) and load "
                          "the zoo again.", LangzooWarning, stacklevel=4)

    def _attach_or_drop(self, code: str) -> bool:
        """Attach ``code``'s pack; False (with a warning, and the language dropped from this zoo)
        when its folder was removed from the registry after the zoo was loaded, so that its
        texts take the fallback instead of failing the whole batch."""
        with self._lock:
            try:
                self._ensure_attached(code)
                return True
            except LangzooError:
                path = self.pack_paths.get(code)
                if path is None or (Path(path) / PACK_FILE).is_file():
                    raise  # the pack is there but broken: a real error, not a removal
            del self.pack_paths[code]
        warnings.warn(f"The {resolve_language(code).alias} pack at {path} was removed after this zoo was loaded; "
                      f"its texts are encoded by the fallback ({self.fallback}). Load the zoo again to use the "
                      "registry's current packs.", LangzooWarning, stacklevel=3)
        return False

    # ------------------------------------------------------------------ encode
    def encode(self, sentences, lang=None, batch_size: int = 32, show_progress_bar: bool | None = None,
               output_value: str = "sentence_embedding", precision: str = "float32", convert_to_numpy: bool = True,
               convert_to_tensor: bool = False, device: str | None = None, normalize_embeddings: bool = True,
               alignment: bool | None = None, prompt_name: str | None = None, prompt: str | None = None,
               truncate_dim: int | None = None, **kwargs):
        """Encode texts; signature-compatible with ``SentenceTransformer.encode``.

        ``lang``: ``None`` (detect), one code for all texts, or one code (or ``None``)
        per text. ``alignment=False`` switches the ``cla`` adapters off (monolingual
        use). A single string gives one vector. ``normalize_embeddings=False`` returns the
        pooled vectors unnormalised; ``truncate_dim`` keeps the first dimensions (before
        normalising, as sentence-transformers does). ``prompt``/``prompt_name`` are refused:
        the base's own text prefix (e5's ``query: ``) is always added, as in training.
        """
        if output_value != "sentence_embedding":
            raise ValueError("langzoo encodes sentence embeddings only (output_value='sentence_embedding')")
        if precision != "float32":
            raise ValueError("langzoo returns float32 embeddings (precision='float32')")
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        if prompt or prompt_name:
            raise InvalidInputError(
                "Zoo.encode does not take prompt/prompt_name: every text gets the base's own prefix "
                f"({self.encoder.profile.prefix!r}), the one the packs were trained with. Drop the argument.")
        if kwargs:  # sentence-transformers passes extras to its modules; langzoo has no use for them
            warnings.warn(f"Zoo.encode ignores {', '.join(sorted(kwargs))}", LangzooWarning, stacklevel=2)
        single = isinstance(sentences, str)
        texts = check_texts(sentences)
        full_dim = self.encoder.base_embeddings.weight.shape[1] if self.encoder.dense is None else \
            self.encoder.dense[0].out_features
        dim = _check_truncate_dim(truncate_dim, full_dim)
        self.last_stats = stats = RoutingStats()
        if not texts:
            out = torch.empty((0, dim))
            return out if convert_to_tensor else out.numpy() if convert_to_numpy else []
        started = time.perf_counter()
        codes = self._requested_codes(texts, lang, warn=True)
        routes = [self._route_one(c) for c in codes]
        max_chars = self.encoder.profile.max_seq_length * _MAX_CHARS_PER_TOKEN
        clipped = [encodable(t if len(t) <= max_chars else t[:max_chars]) for t in texts]
        if self.transliterate:
            clipped = [to_pack_script(r, t) for r, t in zip(routes, clipped)]
        groups: dict[str | None, list[int]] = {}
        for i, r in enumerate(routes):
            groups.setdefault(r, []).append(i)
        n_batches = sum((len(ix) + batch_size - 1) // batch_size for ix in groups.values())
        show = show_progress_bar if show_progress_bar is not None else (n_batches >= 8 and sys.stderr.isatty())
        out = torch.empty((len(texts), dim))
        max_len = self.encoder.profile.max_seq_length
        routed: dict[str, int] = {}
        pending = list(groups.items())
        from tqdm.auto import tqdm

        with tqdm(total=len(texts), desc="Encoding", unit="text", disable=not show) as bar:
            while pending:
                route, idx = pending.pop(0)
                idx = sorted(idx, key=lambda i: -len(clipped[i]))  # similar lengths share a batch: less padding
                with self._lock:
                    if route is not None and not self._attach_or_drop(route):
                        pending.append((self._route_one(None), idx))  # its pack is gone: the fallback
                        continue
                    routed[route or "base"] = routed.get(route or "base", 0) + len(idx)
                    t0 = time.perf_counter()
                    route_alignment = self._route_stack(route, alignment).alignment
                    self.encoder.activate(route, alignment=route_alignment)
                    stats.switches += 1
                    stats.switch_seconds += time.perf_counter() - t0
                    for s in range(0, len(idx), batch_size):
                        chunk = idx[s:s + batch_size]
                        vec, n_trunc = self._embed_batch([clipped[i] for i in chunk], route, route_alignment,
                                                         normalize_embeddings, max_len, dim)
                        stats.truncated += n_trunc
                        out[chunk] = vec
                        bar.update(len(chunk))
        stats.routes = routed
        stats.encode_seconds = time.perf_counter() - started
        if stats.truncated:
            warnings.warn(f"{stats.truncated} text(s) exceeded {max_len} tokens and were truncated", stacklevel=2)
        if single:
            out = out[0]
        if convert_to_tensor:
            return out.to(device) if device else out
        return out.numpy() if convert_to_numpy else list(out)

    def _embed_batch(self, texts: list[str], route, alignment: bool, normalize: bool, max_len: int, dim: int):
        # Honour an explicit normalize_embeddings=False even on bases whose profile
        # normalises (e5): the caller asked for the raw pooled vectors.
        with torch.inference_mode():
            return self.encoder.encode_batch(texts, route, max_length=max_len, normalize=normalize, dim=dim)

    def align(self, src_texts, tgt_texts, src_lang=None, tgt_lang=None, *, method: str = "softmax",
              layer: int | None = None, threshold: float = 0.1, batch_size: int = 32,
              show_progress_bar: bool | None = None, alignment: bool | None = None, align_module: bool = True):
        """Word alignments of parallel texts, one ``WordAlignment`` per pair (Pharaoh ``i-j``
        over whitespace words); each side uses its own language's pack. ``method``:
        softmax (AccAlign), argmax or itermax; ``layer``: hidden layer (default the middle
        one); ``align_module``: use a pack's word-alignment (``align``) module when it has
        one (with its ``cla`` off). Logic: ``langzoo.align.aligner``."""
        from langzoo.align.aligner import align_texts

        return align_texts(self, src_texts, tgt_texts, src_lang, tgt_lang, method=method, layer=layer,
                           threshold=threshold, batch_size=batch_size, show_progress_bar=show_progress_bar,
                           alignment=alignment, align_module=align_module)

    def export(self, lang: str | None, out: str | Path, *, overwrite: bool = False) -> Path:
        """Write ``lang``'s encoder (``None``: the bare base) as a sentence-transformers
        folder with its LoRAs merged (monolingual: see ``langzoo.runtime.export``)."""
        from langzoo.modules.pack import LanguagePack
        from langzoo.runtime.export import export_sentence_transformer

        pack = None
        if lang is not None:
            code = resolve_language(lang).code
            if code not in self.pack_paths:
                raise PackNotFoundError(f"No pack for {lang!r} in this zoo ({', '.join(self.languages) or 'none'})")
            pack = LanguagePack.load(self.pack_paths[code], base_fingerprint=self.encoder.base.fingerprint)
        return export_sentence_transformer(self.encoder.base, pack, out, overwrite=overwrite)

    def __repr__(self) -> str:
        return (f"Zoo(base={self.encoder.base.base_id!r}, languages={[resolve_language(c).alias for c in self.languages]}, "
                f"fallback={self.fallback!r})")


def _check_truncate_dim(truncate_dim, full_dim: int) -> int:
    if truncate_dim is None:
        return full_dim
    if isinstance(truncate_dim, bool) or not isinstance(truncate_dim, int) or not 1 <= truncate_dim <= full_dim:
        raise InvalidInputError(f"truncate_dim must be a whole number from 1 to {full_dim}, got {truncate_dim!r}")
    return truncate_dim


def _resolve_packs(languages, registry, fingerprint: str) -> dict[str, Path]:
    """Map canonical language codes to verified-on-attach pack folders."""
    if languages is None:
        languages = "installed"
    if isinstance(languages, (str, Path)) and str(languages) != "installed":
        languages = [languages]
    packs: dict[str, Path] = {}
    if languages == "installed":
        reg = _local_registry(registry)
        other_bases: dict[str, set[str]] = {}
        for summary in reg.list():  # broken packs are skipped there, with a warning naming them
            if summary.base_fingerprint == fingerprint:
                packs[summary.code] = reg.resolve(summary.code, base_fingerprint=fingerprint)
            else:
                other_bases.setdefault(summary.code, set()).add(summary.base_id)
        _warn_other_bases({c: b for c, b in other_bases.items() if c not in packs}, fingerprint, reg)
        _check_pivots(packs, reg, fingerprint)
        return packs
    for item in languages:
        path = Path(str(item)).expanduser()
        if path.is_dir() and (path / "pack.json").is_file():
            from langzoo.modules.pack import read_pack_info

            info = read_pack_info(path)
            packs[resolve_language(info["language"]["code"]).code] = path
            continue
        code = resolve_language(str(item)).code
        packs[code] = _pack_from_registry(code, registry, fingerprint)
    _add_pivot(packs, registry, fingerprint)
    return packs


def _warn_other_bases(skipped: dict[str, set[str]], fingerprint: str, reg) -> None:
    """Packs built on another base cannot be used; an empty zoo without a word would look
    like a zoo that works."""
    if not skipped:
        return
    names = ", ".join(f"{resolve_language(c).alias} ({', '.join(sorted(b))})" for c, b in sorted(skipped.items()))
    warnings.warn(f"{reg.uri} holds packs only for other bases for: {names}. They are not loaded on this base "
                  f"({fingerprint[:19]}); load the base they were built on (Zoo.load(base=...)) or build or pull "
                  "packs for this one.", LangzooWarning, stacklevel=4)


def _pivots(packs: dict[str, Path]) -> dict[str, dict]:
    from langzoo.modules.pack import read_pack_info
    from langzoo.modules.kinds import needs_pivot
    from langzoo.modules.pivot import pack_pivot

    out = {}
    for code, path in packs.items():
        info = read_pack_info(path)
        pivot = pack_pivot(info) if needs_pivot(info["modules"]) else None
        if pivot is not None:
            out[code] = pivot
    return out


def _add_pivot(packs: dict[str, Path], registry, fingerprint: str) -> None:
    """Packs asked for by name bring the English pack their ``cla`` was aligned to (the
    version they name): without it English texts would go to the bare base."""
    if ENGLISH in packs:
        _check_pivots(packs, None, fingerprint)
        return
    pivots = _pivots(packs)
    versions = sorted({p["version"] for p in pivots.values()})
    if not versions:
        return
    if len(versions) > 1:
        warnings.warn(f"The packs name different English pivot versions ({', '.join(versions)}); using "
                      f"{versions[-1]}. Rebuild or pull packs aligned to one English pack.", LangzooWarning,
                      stacklevel=4)
    try:
        packs[ENGLISH] = _pack_from_registry(ENGLISH, registry, fingerprint, version=versions[-1])
    except PackNotFoundError as exc:
        warnings.warn(f"The English pivot pack {versions[-1]} that {', '.join(sorted(pivots))} was aligned to is "
                      f"not available ({exc}); English texts use the bare base.", LangzooWarning, stacklevel=4)


def _check_pivots(packs: dict[str, Path], reg, fingerprint: str) -> None:
    """Warn when the English pack in use is not the pivot a pack's ``cla`` was aligned to."""
    from langzoo.modules.manifest import read_manifest

    pivots = _pivots(packs)
    if not pivots:
        return
    if ENGLISH not in packs:
        names = ", ".join(resolve_language(c).alias for c in sorted(pivots))
        warnings.warn(f"No English pack is installed, but {names} were aligned to one; English texts use the bare "
                      f"base. Pull it: `zoo pull {resolve_language(next(iter(sorted(pivots)))).alias} --from "
                      "hf://NAMESPACE` brings it along.", LangzooWarning, stacklevel=4)
        return
    english_se = read_manifest(packs[ENGLISH] / "se").content_hash if (packs[ENGLISH] / "se").is_dir() else None
    off = sorted(c for c, p in pivots.items() if p["se"] != english_se)
    if off:
        names = ", ".join(f"{resolve_language(c).alias} (English {pivots[c]['version']})" for c in off)
        warnings.warn(f"The English pack at {packs[ENGLISH]} is not the pivot these packs were aligned to: {names}. "
                      "Load the zoo with that English version, or rebuild them.", LangzooWarning, stacklevel=4)


def _local_registry(registry):
    """The local registry packs are read from: the given folder, or the default one
    (also when ``registry`` is remote: pulled packs are installed there)."""
    from langzoo.registry.uri import is_hub_uri, open_registry

    return open_registry(None if registry is None or is_hub_uri(registry) else registry)


def _pack_from_registry(code: str, registry, fingerprint: str, version: str | None = None) -> Path:
    """The folder of ``code``'s pack: ``Registry.resolve`` (a remote registry pulls what the
    local one lacks)."""
    from langzoo.registry.uri import open_registry

    return open_registry(registry).resolve(code, base_fingerprint=fingerprint, version=version)
