"""Second-stage LID inside a family of close languages (Turkic: uz, az, tr, kk, ky, ...).

The general model and lid.176 agree well on *whether* a short text is Turkic but not on
*which* Turkic language: lid.176 sends most short Azerbaijani and much short Uzbek to
Turkish, and the general model, with 130 labels to share its capacity, confuses az/tr
and kk/ky on sentence openings.  A small fastText model trained on the family's labels
only (more word-list text per label, more epochs) re-splits the family's probability
mass: ``p'(c) = (1 - w) * p(c) + w * P(family) * q(c)`` for each member ``c``, where
``p`` is the first stage's distribution and ``q`` the family model's.  The total
family mass is unchanged, so whether a text goes to some Turkic pack, to another pack
or to "other" is still the first stage's call.

A family model learns some members from UI strings only (Crimean Tatar, Chuvash, Tatar,
Turkmen have no word list): its share for them says "sounds like a settings dialog", not
"is this language" ("sistem nasıl", "zaman zarfında": Crimean Tatar 0.63 after the
re-split, Turkish 0.30, so the Turkish text went to the bare base).  Such members are
*capped*: the family model may lower their share, never raise it above the first
stage's, and the rest of its share goes to the members it learned from running words.

Only members that can be written in the text's script take part (``same_script``): a
voter's "Tatar" for a Latin-script text (CLD2 answers it for "Rayon Sports", a Rwandan
football club) names a language langzoo knows only in Cyrillic, so its mass is no
evidence for a Latin-script member and stays where it is, as a language without a pack.
Before, the family model handed it to Uzbek, and Kinyarwanda tweets about the club went
to the uz pack (stop 39).

Measured in ``benchmarks/LID_RESULTS.md`` (runs of 3 and 5 words of FLORES dev
sentences, weight 0.5): Azerbaijani routed into an installed tr/uz pack 7.2 % -> 2.9 %,
Uzbek into another pack 1.3 % -> 0.5 %, Kazakh to its pack 95.8 -> 96.5 %, for 1.2
points of Turkish routed to its own pack.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence

import numpy as np

from langzoo.languages import LANGUAGES
from langzoo.lid.scripts import dominant_script, same_language_in_script, script_agrees

# ISO 639 codes (the part before "_" of a label) of each family with a second stage.
FAMILIES: dict[str, frozenset[str]] = {
    "turkic": frozenset({
        "az", "azj", "azb", "tr", "tur", "uz", "uzn", "kk", "kaz", "ky", "kir", "tt", "tat",
        "ba", "bak", "tk", "tuk", "crh", "cv", "chv", "krc", "sah", "ug", "uig", "kaa", "nog",
        "kum", "gag", "alt", "tyv",
    }),
}
DEFAULT_FAMILY_WEIGHT = 0.5
_PREFIX = "__label__"


@functools.lru_cache(maxsize=4096)  # called for every label of every text in predict()
def family_of(label: str) -> str | None:
    """The family a label or canonical code belongs to (``uzn_Latn`` -> ``turkic``), if any."""
    iso = label.removeprefix(_PREFIX).split("_")[0]
    for name, members in FAMILIES.items():
        if iso in members:
            return name
    return None


def family_members(labels: Sequence[str], family: str) -> list[str]:
    return sorted(label for label in labels if family_of(label) == family)


@functools.lru_cache(maxsize=4096)
def written_in(label: str, script: str | None) -> bool:
    """Can the language of ``label`` be written in ``script`` (``uzn_Latn`` in Cyrillic:
    yes, as ``uzn_Cyrl``; ``tat_Cyrl`` in Latin: no, langzoo knows no Latin Tatar)?
    Unknown on either side counts as yes."""
    code = label.removeprefix(_PREFIX)
    return script_agrees(code, script) or bool(same_language_in_script(code, script, LANGUAGES))


class StackedModel:
    """What every stage stacked on the first stage shares (family models, Lingua, the pair
    lexicons): fastText's interface (``get_labels``, a batched ``predict``) over
    :meth:`distributions`, which subclasses write, and the first stage's coverage.

    ``base`` answers ``predict(texts, k, threshold)`` with ``__label__<code>`` labels (a
    :class:`~langzoo.lid.trained.MixtureModel` or another stage); ``labels`` are the ones
    the stage may give mass to besides ``base``'s.
    """

    def __init__(self, base, labels: Iterable[str] = ()):
        self.base = base
        self._labels = sorted(set(base.get_labels()) | set(labels))

    def get_labels(self) -> list[str]:
        return list(self._labels)

    def coverage(self, label: str) -> float:
        """The first stage's :meth:`MixtureModel.coverage`."""
        return coverage_of(self.base, label)

    def predict(self, texts: list[str], k: int = 1, threshold: float = 0.0):
        return ranked(self.distributions(texts), k, threshold)

    def distributions(self, texts: list[str]) -> list[dict[str, float]]:
        raise NotImplementedError


class FamilyRefinedModel(StackedModel):
    """A fastText-like model whose family members' shares come from family models.

    Each family model answers ``predict(texts, k, threshold)`` with ``__label__<code>``
    labels, as ``base`` does (a :class:`~langzoo.lid.trained.MixtureModel`, or a
    fastText model whose labels are canonical codes).
    """

    def __init__(self, base, families: Mapping[str, tuple[object, float]],
                 capped: Mapping[str, Collection[str]] | None = None, same_script: bool = True):
        """``capped``: per family, the labels whose share its model may lower but not raise.
        ``same_script``: only members that can be written in the text's script share the
        family's mass (see the module docstring; False: every member, as before stop 39)."""
        for name, (_, weight) in families.items():
            if name not in FAMILIES:
                raise ValueError(f"unknown language family {name!r}; known: {sorted(FAMILIES)}")
            if not 0.0 <= weight <= 1.0:
                raise ValueError(f"family weight must be in [0, 1], got {weight} for {name!r}")
        super().__init__(base, (label for model, _ in families.values() for label in model.get_labels()))
        self.families = dict(families)
        self.capped = {name: frozenset(labels) for name, labels in (capped or {}).items()}
        self.same_script = bool(same_script)

    def distributions(self, texts: list[str]) -> list[dict[str, float]]:
        dists = distributions(self.base, texts)
        for name, (model, weight) in self.families.items():
            if weight <= 0.0:
                continue
            in_family = functools.partial(_in_family, family=name)
            # Skipping texts where the family cannot win keeps the second stage off most
            # English text, whose top-10 labels often hold a trace of Turkish.
            todo = [i for i, d in enumerate(dists) if group_may_win(d, in_family)]
            if not todo:
                continue
            capped = self.capped.get(name, frozenset())
            for i, share in zip(todo, distributions(model, [texts[i] for i in todo])):
                members = [lab for lab in dists[i] if in_family(lab)]
                if self.same_script:
                    script = dominant_script(texts[i])
                    members = [lab for lab in members if written_in(lab, script)]
                if capped:
                    share = cap_shares(share, dists[i], members, capped)
                dists[i] = resplit(dists[i], members, share, weight)
        return dists


def cap_shares(share: dict[str, float], first: dict[str, float], members: Sequence[str],
               capped: Collection[str]) -> dict[str, float]:
    """``share`` (a family model's distribution) with each ``capped`` label held to its
    share of the family's mass in ``first``; what that frees goes to the other labels in
    proportion.  Unchanged when no label outside ``capped`` has a share to take it."""
    total = sum(share.values())
    mass = sum(first.get(lab, 0.0) for lab in members)
    if total <= 0.0 or mass <= 0.0:
        return share
    share = {lab: q / total for lab, q in share.items()}
    held = {lab: min(q, first.get(lab, 0.0) / mass) for lab, q in share.items() if lab in capped}
    rest = {lab: q for lab, q in share.items() if lab not in capped}
    rest_total = sum(rest.values())
    if rest_total <= 0.0:
        return share
    scale = (1.0 - sum(held.values())) / rest_total
    return {**held, **{lab: q * scale for lab, q in rest.items()}}


def coverage_of(model, label: str) -> float:
    """``model.coverage(label)`` (a :class:`~langzoo.lid.trained.MixtureModel` or a stage
    stacked on one); 1.0 for a model without it, such as a plain fastText model."""
    coverage = getattr(model, "coverage", None)
    return 1.0 if coverage is None else coverage(label)


def distributions(model, texts: list[str]) -> list[dict[str, float]]:
    """``model``'s full distribution for each text, as label -> probability.

    A stage of the default detector hands its dicts over as they are
    (``model.distributions``): ranking them into fastText's arrays and reading those back
    at every stage boundary cost more than some stages' own work."""
    own = getattr(model, "distributions", None)
    if own is not None:
        return own(texts)
    labels, probs = model.predict(texts, k=-1, threshold=0.0)
    return [dict(zip(labs, np.asarray(ps, dtype=float).tolist())) for labs, ps in zip(labels, probs)]


def ranked(dists: list[dict[str, float]], k: int, threshold: float):
    """fastText's ``predict`` answer for label -> probability dicts: the top ``k`` labels
    (all for ``k < 0``) with probability at least ``threshold``, best first."""
    out_labels, out_probs = [], []
    for d in dists:
        best = [(lab, p) for lab, p in sorted(d.items(), key=lambda kv: -kv[1]) if p >= threshold]
        best = best[: (None if k < 0 else k)]
        out_labels.append([lab for lab, _ in best])
        out_probs.append(np.array([p for _, p in best]))
    return out_labels, out_probs


def _in_family(label: str, family: str) -> bool:
    return family_of(label) == family


def group_may_win(dist: dict[str, float], is_member: Callable[[str], bool]) -> bool:
    """Can re-splitting a group's mass change the top label?  Only if the group's whole
    mass beats the best label outside it."""
    inside = sum(p for lab, p in dist.items() if is_member(lab))
    outside = max((p for lab, p in dist.items() if not is_member(lab)), default=0.0)
    return inside > 0.0 and inside >= outside


def pair_candidates(dists: list[dict[str, float]], texts: list[str], labels: tuple[str, str],
                    max_words: int | None) -> list[int]:
    """The texts a pair stage looks at: of at most ``max_words`` words (None: any) and with
    a pair mass that could take the top label (:func:`group_may_win`).  Cheapest test
    first: most texts give the pair no mass at all."""
    first, second = labels
    return [i for i, dist in enumerate(dists) if (first in dist or second in dist)
            and (max_words is None or len(texts[i].split()) <= max_words)
            and group_may_win(dist, labels.__contains__)]


def resplit(dist: dict[str, float], members, share: dict[str, float], weight: float) -> dict[str, float]:
    """``dist`` with the mass of ``members`` shared out as ``(1 - w) * dist + w * mass * share``.

    ``share`` is a distribution over members (a label missing from ``dist`` gets its part
    too); an empty one, or members without mass, change nothing.
    """
    members = [lab for lab in members if lab in dist]
    mass = sum(dist[lab] for lab in members)
    total = sum(share.values())
    if mass <= 0.0 or total <= 0.0:
        return dist
    out = {lab: p for lab, p in dist.items() if lab not in members}
    for lab in members:
        out[lab] = (1.0 - weight) * dist[lab]
    for lab, q in share.items():
        out[lab] = out.get(lab, 0.0) + weight * mass * q / total
    return out
