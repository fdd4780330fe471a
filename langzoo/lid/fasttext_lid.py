"""Language identification for the runtime: which language pack should encode a text?

:class:`LanguageIdentifier` wraps a fastText LID model (the embedded ``lid.176.ftz`` by
default, GlotLID when available) and returns one :class:`Detection` per text, with the
language as the zoo's canonical code (``uzn_Latn``) or ``None`` plus a reason.

Decision steps for one text:

1. **Clean** (never raise): look only at the first ``max_chars`` characters, replace
   newlines/control characters (fastText's predict rejects ``"\\n"``) and unpaired
   surrogates; an empty result is ``reason="empty"``, one without letters (digits,
   emoji, punctuation) ``"no_letters"``.
2. **Script**: the dominant Unicode script of the text (:mod:`langzoo.lid.scripts`).
3. **Predict** with fastText and map every label to a canonical code
   (``__label__uz`` -> ``uzn_Latn``, ``__label__uzn_Latn`` -> ``uzn_Latn``, unknown
   ``__label__ceb`` -> ``ceb``).  A label whose language exists in the text's script as
   another candidate code (``uzn_Latn`` for a Cyrillic text while ``uzn_Cyrl`` is a
   candidate) is moved to that code: lid.176 has one ``uz`` label for both scripts.
   With ``orthography_weight`` set, spelling facts then adjust the distribution
   (:mod:`langzoo.lid.orthography`: no ə in Turkish, Turkish ``Ankara'da``).
4. **Restrict** (GlotLID's CustomLID idea) when ``allowed`` is set: take the full
   distribution, renormalise over the allowed codes, and answer ``"other"`` when the
   probability mass outside the allowed set is at least ``other_mass`` (or, with
   ``strict_other``, when the most probable language overall is not allowed and leads
   the best allowed one by ``other_margin``; by ``foreign_margin`` when it is outside that
   language's family and every voter of a mixture can name it).  With
   ``neighbour_margin``, the best allowed language must also lead every language of its
   family that is not allowed (and can be written in the text's script) by that share of
   the two's mass (0.15: it must hold at least 57.5 % of it): "Bu yol uzundur." is
   Azerbaijani as much as Turkish, and a wrong pack is worse than the bare base.
5. **Check**: the winner's script must agree with the text's dominant script, or with a
   script holding at least a third of its letters (``"script_mismatch"`` otherwise: a
   Cyrillic Uzbek text never goes to a Latin pack),
   and its confidence must reach ``min_confidence`` (``"low_confidence"``), as must its
   probability among all labels reach ``min_probability`` (default 0: off;
   ``pack_min_probability``, when set, for winners other than English).
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path

from langzoo.cli_args import split_commas
from langzoo.errors import UnknownLanguageError
from langzoo.languages import ENGLISH, LANGUAGES, resolve_language
from langzoo.lid.apostrophes import APOSTROPHE_RULE, APOSTROPHE_RULES, unify_uzbek_apostrophes
from langzoo.lid.detection import Detection, LidInputError
from langzoo.lid.families import coverage_of, family_of, written_in
from langzoo.lid.orthography import ORTHOGRAPHY_VERSION, Orthography
from langzoo.lid.models import (
    GLOTLID_HUB_ID,
    LidModelError,
    default_model_path,
    load_fasttext_model,
    resolve_glotlid_path,
)
from langzoo.lid.scripts import char_script, same_language_in_script, script_agrees

__all__ = [
    "DEFAULT_MAX_CHARS",
    "DEFAULT_MIN_CONFIDENCE",
    "DEFAULT_OTHER_MASS",
    "Detection",
    "LanguageIdentifier",
    "LidInputError",
    "LidModelError",
]

# Only a prefix is classified: LID is saturated long before 1,000 characters and fastText
# cost grows with length, so a 100,000-character text costs the same as a paragraph.
DEFAULT_MAX_CHARS = 1000
# Below this confidence (the model's probability, or the renormalised probability over
# the allowed set) the answer is "low_confidence" (the router then falls back instead of
# using a wrong pack).  Chosen on the 81-sentence built-in benchmark (lid/evaluation.py) with
# lid.176: unrestricted, 0.4 keeps 72 right answers and lets 1 wrong one through (0.0:
# 76 right, 5 wrong); restricted to the 9 benchmark languages 75 right / 3 wrong.
DEFAULT_MIN_CONFIDENCE = 0.4
# With a restriction, answer "other" when at least this share of the model's probability
# lies outside the allowed set.  Deliberately high: short Turkic sentences often put most
# mass on a neighbour (tr, ru, mn) while the right allowed label still leads inside the
# set, and restricting exists to recover exactly those.
DEFAULT_OTHER_MASS = 0.9
# A winner written in a script that is not the text's dominant one is still accepted when
# that script holds at least this share of the letters: "Chandrayaan-1 ұшқышсыз ай" is
# Kazakh with a longer Latin name (FLORES dev), and a third keeps a Cyrillic Uzbek text
# with one Latin word away from the Latin pack.
MIN_SCRIPT_SHARE = 1 / 3
# Without a restriction only the top labels matter; k=-1 (all labels) is needed only to
# renormalise over an allowed set.
_UNRESTRICTED_TOP_K = 5

# Codes that name "no language" rather than a language (GlotLID has e.g. zxx_Zxxx).
_UNDETERMINED_ISO = frozenset({"und", "zxx", "mis", "mul"})

_CONTROL_OR_SPACE = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u200b-\u200d\u2060\ufeff]+")


def label_to_code(label: str, prefix: str = "__label__") -> str:
    """Map a fastText label to the zoo's canonical code; unknown languages keep their own code.

    ``__label__uz`` -> ``uzn_Latn``, ``__label__uzn_Latn`` -> ``uzn_Latn``,
    ``__label__ceb`` -> ``ceb``, ``__label__xyz_Latn`` -> ``xyz_Latn``.
    """
    raw = label[len(prefix):] if prefix and label.startswith(prefix) else label
    try:
        return resolve_language(raw).code
    except UnknownLanguageError:
        return raw


def _clean(text: str, max_chars: int) -> str:
    """A one-line prefix of ``text`` that fastText accepts (letters and case untouched)."""
    # Slice generously before cleaning so that collapsed whitespace still leaves
    # max_chars characters, then cut to max_chars after.
    prefix = text[: max_chars * 2]
    try:
        prefix.encode("utf-8")
    except UnicodeEncodeError:
        # Lone surrogates cannot be UTF-8 encoded and make fastText's binding raise.
        prefix = prefix.encode("utf-8", "replace").decode("utf-8")
    return _CONTROL_OR_SPACE.sub(" ", prefix).strip()[:max_chars]


def _model_input(clean: str, lowercase: bool, apostrophe_rule: int = APOSTROPHE_RULE) -> str:
    """What the model sees: unified Uzbek apostrophes, optionally lower-cased."""
    text = unify_uzbek_apostrophes(clean, apostrophe_rule)
    return text.lower() if lowercase else text


def _letters_and_scripts(text: str) -> tuple[int, dict[str, int]]:
    """Number of letters in ``text`` and the letters per known script."""
    counts: dict[str, int] = {}
    letters = 0
    for ch in text:
        if ch.isalpha():
            letters += 1
            script = char_script(ch)
            if script is not None:
                counts[script] = counts.get(script, 0) + 1
    return letters, counts


def _dominant(counts: dict[str, int]) -> str | None:
    return max(counts, key=counts.__getitem__) if counts else None


class LanguageIdentifier:
    """fastText language identification mapped to canonical zoo codes.

    Build with :meth:`from_default`, :meth:`from_glotlid` or :meth:`from_path` (or
    :func:`load_identifier`).  ``allowed`` restricts answers to a set of languages
    (any spelling ``resolve_language`` accepts); set it to ``None`` to lift it.

    ``model`` is a loaded fastText model, or anything with its ``get_labels()`` and
    batched ``predict(list_of_str, k=..., threshold=...)``; ``label_prefix`` defaults
    to the model's own (``__label__``).
    """

    def __init__(self, model, *, name: str, path: str | os.PathLike[str] | None = None,
                 allowed: Iterable[str] | None = None,
                 min_confidence: float = DEFAULT_MIN_CONFIDENCE,
                 other_mass: float = DEFAULT_OTHER_MASS,
                 max_chars: int = DEFAULT_MAX_CHARS, lowercase: bool = False,
                 label_prefix: str | None = None, strict_other: bool = False,
                 other_margin: float = 0.0, min_probability: float = 0.0,
                 foreign_margin: float = 0.0, neighbour_margin: float = 0.0,
                 pack_min_probability: float | None = None,
                 orthography_weight: float | None = None,
                 orthography_version: int | None = ORTHOGRAPHY_VERSION,
                 apostrophe_rule: int = APOSTROPHE_RULE) -> None:
        if not 0.0 <= min_confidence <= 1.0:
            raise ValueError(f"min_confidence must be in [0, 1], got {min_confidence}")
        if not 0.0 <= min_probability <= 1.0:
            raise ValueError(f"min_probability must be in [0, 1], got {min_probability}")
        if not 0.0 < other_mass <= 1.0:
            raise ValueError(f"other_mass must be in (0, 1], got {other_mass}")
        if not 0.0 <= neighbour_margin <= 1.0:
            raise ValueError(f"neighbour_margin must be in [0, 1], got {neighbour_margin}")
        if max_chars < 1:
            raise ValueError(f"max_chars must be >= 1, got {max_chars}")
        if apostrophe_rule not in APOSTROPHE_RULES:
            raise ValueError(f"apostrophe_rule must be one of {list(APOSTROPHE_RULES)}, got {apostrophe_rule!r}")
        self._model = model
        self.name = name
        self.path = Path(path) if path is not None else None
        # Keyword arguments besides the settings below that rebuilt this detector from
        # ``path`` (the mixture's weights, see lid.trained.combined_detector): a zoo.json
        # pins them so that a later default does not change a saved zoo's routes.
        self.build_options: dict[str, float | None] = {}
        self.min_confidence = float(min_confidence)
        # The winner's probability among *all* labels (min_confidence is among the allowed
        # ones): below it the model does not know the language, e.g. Hausa text that a
        # model without Hausa spreads over English, Indonesian and Malay.
        self.min_probability = float(min_probability)
        # The same floor for winners other than English (None: min_probability).  English
        # needs the higher one: it is where text nobody knows lands (lid.176 and the
        # trained model call unknown Latin-script text English), while a language's own
        # pack wins with a low share mostly when one voter abstains or is lost on a few words.
        if pack_min_probability is not None and not 0.0 <= pack_min_probability <= 1.0:
            raise ValueError(f"pack_min_probability must be in [0, 1], got {pack_min_probability}")
        self.pack_min_probability = None if pack_min_probability is None else float(pack_min_probability)
        self.other_mass = float(other_mass)
        self.max_chars = int(max_chars)
        self.lowercase = bool(lowercase)
        # Which apostrophes become Uzbek's oʻ/gʻ before the model reads a text
        # (langzoo.lid.apostrophes); a zoo.json pins it.
        self.apostrophe_rule = int(apostrophe_rule)
        # strict_other: with a restriction, a text whose most probable language overall is
        # outside the allowed set is "other" (a Kazakh text never goes to a Kyrgyz pack just
        # because kk is not installed).  Needs a model that knows the neighbours well.
        self.strict_other = bool(strict_other)
        # ...unless an allowed language is within this probability of that winner.
        self.other_margin = float(other_margin)
        # ...or within this one of a winner outside the allowed language's family (Manx
        # over Uzbek): strict_other is there for close neighbours (az/tr, ky/kk), and a
        # narrow win of a far language on a few words is noise, not a neighbour.
        self.foreign_margin = float(foreign_margin)
        # The best allowed language must lead each neighbour that is not allowed (same
        # family, writable in the text's script) by this share of the two's mass, or the
        # text is "other": a string valid in both languages is not the pack's (0: off).
        self.neighbour_margin = float(neighbour_margin)
        # Spelling facts read from the text as written (langzoo.lid.orthography); None: off.
        self._orthography = (None if orthography_weight is None
                             else Orthography(orthography_weight, orthography_version or ORTHOGRAPHY_VERSION))
        if label_prefix is None:
            try:
                label_prefix = str(model.f.getArgs().label)
            except AttributeError:  # not a fasttext object: assume fastText's default
                label_prefix = "__label__"
        prefix = label_prefix
        self._raw_labels: list[str] = list(model.get_labels())
        # Label -> canonical code once per model: detect() then does dict lookups only.
        self._code_of: dict[str, str] = {lab: label_to_code(lab, prefix) for lab in self._raw_labels}
        self.codes: frozenset[str] = frozenset(self._code_of.values())
        self._allowed: frozenset[str] | None = None
        self._variant_cache: dict[tuple[str, str | None], str] = {}
        self._codes_by_script: dict[str | None, dict[str, str]] = {}
        self.allowed = allowed  # type: ignore[assignment]

    @property
    def orthography_weight(self) -> float | None:
        """The orthography stage's marker weight (None: the stage is off); a zoo.json pins it."""
        return None if self._orthography is None else self._orthography.marker_weight

    @property
    def orthography_version(self) -> int | None:
        """The orthography stage's rule set (None: the stage is off); a zoo.json pins it."""
        return None if self._orthography is None else self._orthography.version

    # ----------------------------------------------------------------- constructors
    @classmethod
    def from_path(cls, path: str | os.PathLike[str], **kwargs) -> LanguageIdentifier:
        """Any fastText supervised LID model file (lid.176.bin/.ftz, GlotLID model.bin, ...)."""
        model = load_fasttext_model(path)
        return cls(model, name=Path(path).name, path=path, **kwargs)

    @classmethod
    def from_default(cls, **kwargs) -> LanguageIdentifier:
        """The embedded offline lid.176.ftz (176 languages, ISO 639-1-style labels).

        Lower-cases its input by default: on the built-in benchmark that lifts Uzbek
        from 4/9 to 6/9 sentences and changes no other language.
        """
        kwargs.setdefault("lowercase", True)
        path = default_model_path()
        return cls(load_fasttext_model(path), name="lid.176", path=path, **kwargs)

    @classmethod
    def from_glotlid(cls, path_or_hub_id: str | os.PathLike[str] = GLOTLID_HUB_ID,
                     **kwargs) -> LanguageIdentifier:
        """GlotLID from a local ``model.bin`` (or its folder), or from a Hub id.

        A Hub id (default ``cis-lmu/glotlid``) uses the network only if the file is not
        in the Hugging Face cache and ``HF_HUB_OFFLINE`` is unset; otherwise it raises
        :class:`~langzoo.lid.models.LidModelNotAvailableError` saying what to do.
        """
        path = resolve_glotlid_path(path_or_hub_id)
        return cls(load_fasttext_model(path), name="glotlid", path=path, **kwargs)

    # ----------------------------------------------------------------- restriction
    @property
    def allowed(self) -> frozenset[str] | None:
        """Canonical codes answers are restricted to, or None for no restriction."""
        return self._allowed

    @allowed.setter
    def allowed(self, codes: Iterable[str] | None) -> None:
        if codes is None:
            self._allowed = None
        else:
            if isinstance(codes, str):
                codes = split_commas(codes)
            resolved = frozenset(resolve_language(c).code for c in codes)
            if not resolved:
                raise UnknownLanguageError(
                    "allowed must name at least one language (or be None for no restriction)"
                )
            unreachable = sorted(c for c in resolved if not self._reachable(c))
            if unreachable:
                # Not an error: a zoo may list languages this model lacks (lid.176 has no
                # Hausa); those are never predicted and their texts come out as "other".
                warnings.warn(
                    f"LID model {self.name} cannot predict {', '.join(unreachable)}; texts "
                    "in these languages will be reported as 'other' or as a neighbour.",
                    stacklevel=2,
                )
            self._allowed = resolved
        self._variant_cache.clear()
        self._codes_by_script.clear()

    def _reachable(self, code: str) -> bool:
        """Can some model label end up as ``code`` (directly or via a script variant)?"""
        iso = code.split("_")[0]
        return code in self.codes or any(c.split("_")[0] == iso for c in self.codes)

    def _script_variant(self, code: str, text_script: str | None) -> str:
        """``code``, or the same language in the text's script when that is a candidate.

        Candidates are the allowed codes when restricted, else the model's own codes and
        the language table (so lid.176's ``uz`` on a Cyrillic text becomes ``uzn_Cyrl``).
        """
        key = (code, text_script)
        cached = self._variant_cache.get(key)
        if cached is not None:
            return cached
        result = code
        if not script_agrees(code, text_script):
            pool = self._allowed if self._allowed is not None else (self.codes | set(LANGUAGES))
            result = next(iter(same_language_in_script(code, text_script, pool)), code)
        self._variant_cache[key] = result
        return result

    def _label_codes(self, text_script: str | None) -> dict[str, str]:
        """Model label -> candidate code for texts in ``text_script`` (cached per script)."""
        table = self._codes_by_script.get(text_script)
        if table is None:
            table = {label: self._script_variant(code, text_script)
                     for label, code in self._code_of.items()}
            self._codes_by_script[text_script] = table
        return table

    # ----------------------------------------------------------------- detection
    def detect_one(self, text: str) -> Detection:
        """Detect the language of one text (see :meth:`detect`)."""
        return self.detect([text])[0]

    def detect(self, texts: Sequence[str]) -> list[Detection]:
        """One :class:`Detection` per text, in order; never raises for odd strings.

        All texts that need the model go through one batched fastText call.
        """
        if isinstance(texts, str):
            raise LidInputError("detect() takes a list of texts; use detect_one() for one string")
        texts = list(texts)
        results: list[Detection | None] = [None] * len(texts)
        pending_idx: list[int] = []
        pending_text: list[str] = []
        pending_script: list[str | None] = []
        for i, text in enumerate(texts):
            if not isinstance(text, str):
                raise LidInputError(f"text #{i} is {type(text).__name__}, not str")
            clean = _clean(text, self.max_chars)
            if not clean:
                results[i] = Detection(None, 0.0, "", "empty")
                continue
            letters, counts = _letters_and_scripts(clean)
            if letters == 0:
                results[i] = Detection(None, 0.0, "", "no_letters")
                continue
            pending_idx.append(i)
            pending_text.append(_model_input(clean, self.lowercase, self.apostrophe_rule))
            pending_script.append((_dominant(counts), counts, letters, clean))
        if pending_text:
            k = -1 if self._allowed is not None else _UNRESTRICTED_TOP_K
            all_labels, all_probs = self._model.predict(pending_text, k=k, threshold=0.0)
            for i, labels, probs, (script, counts, letters, clean) in zip(pending_idx, all_labels, all_probs,
                                                                          pending_script):
                results[i] = self._decide(labels, probs, script, counts, letters, clean)
        return results  # type: ignore[return-value]

    def _decide(self, labels: Sequence[str], probs: Sequence[float], script: str | None,
                script_counts: dict[str, int] | None = None, letters: int = 0, text: str = "") -> Detection:
        raw_top = labels[0] if len(labels) else ""
        codes = self._label_codes(script)
        dist: dict[str, float] = {}
        for label, p in zip(labels, probs.tolist() if hasattr(probs, "tolist") else probs):
            code = codes.get(label) or label_to_code(label)
            dist[code] = dist.get(code, 0.0) + p
        if not dist:
            return Detection(None, 0.0, raw_top, "low_confidence")
        if self._orthography is not None:
            dist = self._orthography.adjust(text, dist)
        if self._allowed is not None:
            total = sum(dist.values()) or 1.0
            inside = {c: p for c, p in dist.items() if c in self._allowed}
            in_mass = sum(inside.values())
            outside_share = 1.0 - in_mass / total
            overall_top = max(dist, key=dist.__getitem__)
            best_inside = max(inside, key=inside.__getitem__, default=None)
            top_outside = (self.strict_other and overall_top not in self._allowed
                           and dist[overall_top] - inside.get(best_inside, 0.0)
                           >= self._margin(overall_top, best_inside))
            if (not inside or outside_share >= self.other_mass or top_outside
                    or self._neighbour_close(dist, best_inside, script)):
                return Detection(None, outside_share, raw_top, "other")
            top = best_inside
            confidence = inside[top] / in_mass
        else:
            top = max(dist, key=dist.__getitem__)
            confidence = dist[top]  # already a probability over all labels
        confidence = min(1.0, confidence)  # fastText probs carry a 1e-5 smoothing excess
        if top.split("_")[0] in _UNDETERMINED_ISO:
            return Detection(None, confidence, raw_top, "undetermined")
        if not script_agrees(top, script) and not any(
                script_agrees(top, sc) for sc, n in (script_counts or {}).items()
                if n >= MIN_SCRIPT_SHARE * letters):  # a minority script with a third of the letters
            return Detection(None, confidence, raw_top, "script_mismatch")
        if confidence < self.min_confidence or dist[top] < self._floor(top):
            return Detection(None, confidence, raw_top, "low_confidence")
        return Detection(top, confidence, raw_top, "ok")

    def _neighbour_close(self, dist: dict[str, float], winner: str, script: str | None) -> bool:
        """Is a language of ``winner``'s family that is not allowed (another language,
        writable in the text's script) close to it: ``p_w - p_r < neighbour_margin * (p_w +
        p_r)``, i.e. ``winner`` holds less than ``(1 + margin) / 2`` of the two's mass?
        Relative, not absolute: a winner with a small share ("Men seni sevaman.": Uzbek
        0.12, the rest spread over Indonesian and English) is not close to a trace of
        Crimean Tatar (0.02)."""
        if self.neighbour_margin <= 0.0:
            return False
        family = family_of(winner)
        if family is None:
            return False
        iso, p_w, margin = winner.split("_")[0], dist[winner], self.neighbour_margin
        return any(p_w - p < margin * (p_w + p) and code not in self._allowed and code.split("_")[0] != iso
                   and family_of(code) == family and written_in(code, script) for code, p in dist.items())

    def _floor(self, winner: str) -> float:
        """The least probability among all labels ``winner`` needs (min_probability)."""
        if winner == ENGLISH or self.pack_min_probability is None:
            return self.min_probability
        return self.pack_min_probability

    def _margin(self, winner: str, allowed: str | None) -> float:
        """How far an outside ``winner`` must lead the best ``allowed`` language."""
        family = family_of(allowed) if allowed is not None else None
        if family is None or family_of(winner) == family:
            return self.other_margin
        # A winner some voter cannot name has its lead understated by that voter's share
        # (lid.176 gives Kinyarwanda's to Turkish): a narrow lead is no noise there.
        if coverage_of(self._model, winner) < 1.0 - 1e-9:
            return self.other_margin
        return max(self.other_margin, self.foreign_margin)

    def __repr__(self) -> str:
        allowed = sorted(self._allowed) if self._allowed is not None else None
        return (f"LanguageIdentifier({self.name!r}, labels={len(self._raw_labels)}, "
                f"allowed={allowed}, min_confidence={self.min_confidence})")
