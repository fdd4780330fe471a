"""Evaluation tasks: what texts each needs embedded, and how it scores the embeddings.

A task never calls an encoder itself. It lists the (language, texts) it needs
(:meth:`Task.requests`); the runner embeds them (through the on-disk cache) and
hands back an ``embed(lang, texts) -> ndarray`` lookup to :meth:`Task.evaluate`.
That split lets one encode pass serve every task that shares texts (e.g. the
SIB-200 sentences used for classification, bitext mining and RSIM).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from langzoo.evaluation import metrics
from langzoo.evaluation.errors import DatasetFormatError
from langzoo.languages import resolve_language

Embed = Callable[[str, Sequence[str]], np.ndarray]


def canonical(code: str) -> str:
    """Canonical language code (``spa_Latn``) for any accepted spelling (``es``, ``spa``)."""
    return resolve_language(code).code


def alias(code: str) -> str:
    """Short alias (``es``) used in score labels."""
    return resolve_language(code).alias


@dataclass
class TaskScores:
    """Scores of one task for one encoder: ``main`` goes to tables/plots, ``details`` to JSON only."""

    main: dict[str, float]
    details: dict = field(default_factory=dict)


class Task(ABC):
    """One evaluation task. Subclasses set the class attributes and implement the methods."""

    kind: str = ""  # sts, str, sts-x (multi-parallel), bitext, classification, rsim
    metric: str = ""  # unit of the main scores, for table headers and plot axes
    higher_is_better: bool = True
    lower_is_better_keys: frozenset[str] = frozenset()

    def __init__(self, name: str, family: str, source: str = ""):
        self.name = name
        self.family = family
        self.source = source  # where the data came from (path or Hub id), for the report

    @property
    @abstractmethod
    def languages(self) -> tuple[str, ...]:
        """Canonical codes of the languages the task touches."""

    @property
    @abstractmethod
    def n_items(self) -> int:
        """Number of evaluation items (pairs, sentences per language, test examples)."""

    @abstractmethod
    def requests(self) -> list[tuple[str, list[str]]]:
        """(language, texts) lists this task needs embedded."""

    @abstractmethod
    def evaluate(self, embed: Embed) -> TaskScores:
        """Score the task from embeddings looked up through ``embed``."""

    def better(self, key: str) -> str:
        """'higher' or 'lower': which direction is better for main score ``key``."""
        if key in self.lower_is_better_keys:
            return "lower"
        return "higher" if self.higher_is_better else "lower"

    def describe(self) -> dict:
        return {
            "name": self.name,
            "family": self.family,
            "kind": self.kind,
            "metric": self.metric,
            "languages": list(self.languages),
            "n_items": self.n_items,
            "source": self.source,
        }


def _check_len(name: str, **columns: Sequence) -> None:
    lengths = {k: len(v) for k, v in columns.items()}
    if len(set(lengths.values())) != 1:
        raise DatasetFormatError(f"{name}: columns differ in length: {lengths}")
    if not next(iter(lengths.values())):
        raise DatasetFormatError(f"{name}: no items")


class PairSimilarityTask(Task):
    """STS or STR: Spearman ×100 of cosine(s1, s2) against gold; cross-lingual when lang1 ≠ lang2."""

    metric = "Spearman x100"

    def __init__(self, name, family, sentences1, sentences2, scores, lang1, lang2, kind="sts", source=""):
        super().__init__(name, family, source)
        _check_len(name, sentences1=sentences1, sentences2=sentences2, scores=scores)
        self.kind = kind
        self.sentences1 = list(sentences1)
        self.sentences2 = list(sentences2)
        self.scores = [float(s) for s in scores]
        self.lang1 = canonical(lang1)
        self.lang2 = canonical(lang2)

    @property
    def languages(self):
        return tuple(dict.fromkeys((self.lang1, self.lang2)))

    @property
    def n_items(self):
        return len(self.scores)

    def requests(self):
        return [(self.lang1, self.sentences1), (self.lang2, self.sentences2)]

    def evaluate(self, embed):
        e1 = embed(self.lang1, self.sentences1)
        e2 = embed(self.lang2, self.sentences2)
        return TaskScores({"spearman": metrics.sts_spearman(e1, e2, self.scores)})


class MultiParallelSTSTask(Task):
    """An STS set available in several languages (same pairs, same gold).

    Scores: monolingual Spearman per language (``nl-nl``), cross-lingual Spearman
    for every ordered combination A≠B (sentence 1 in A, sentence 2 in B; in
    ``details``), their average (``cross avg``), the pooled Spearman over all
    cross-lingual combinations (``pooled``) and ``bias = cross avg - pooled``
    (:func:`langzoo.evaluation.metrics.language_bias`).
    """

    kind = "sts-x"
    metric = "Spearman x100"
    lower_is_better_keys = frozenset({"bias"})

    def __init__(self, name, family, sentences1: Mapping[str, Sequence[str]], sentences2: Mapping[str, Sequence[str]],
                 scores, source=""):
        super().__init__(name, family, source)
        if set(sentences1) != set(sentences2) or len(sentences1) < 2:
            raise DatasetFormatError(f"{name}: needs the same ≥2 languages on both sides, got "
                                     f"{sorted(sentences1)} and {sorted(sentences2)}")
        self.scores = [float(s) for s in scores]
        self.sentences1 = {canonical(k): list(v) for k, v in sentences1.items()}
        self.sentences2 = {canonical(k): list(v) for k, v in sentences2.items()}
        for lang in self.sentences1:
            _check_len(f"{name}/{lang}", s1=self.sentences1[lang], s2=self.sentences2[lang], scores=self.scores)

    @property
    def languages(self):
        return tuple(self.sentences1)

    @property
    def n_items(self):
        return len(self.scores)

    def requests(self):
        out = []
        for lang in self.languages:
            out += [(lang, self.sentences1[lang]), (lang, self.sentences2[lang])]
        return out

    def evaluate(self, embed):
        e1 = {lang: embed(lang, self.sentences1[lang]) for lang in self.languages}
        e2 = {lang: embed(lang, self.sentences2[lang]) for lang in self.languages}
        main = {}
        for lang in self.languages:
            main[f"{alias(lang)}-{alias(lang)}"] = metrics.sts_spearman(e1[lang], e2[lang], self.scores)
        combos = metrics.cross_lingual_combinations(self.languages)
        sims = {(a, b): metrics.paired_cosine(e1[a], e2[b]) for a, b in combos}
        lb = metrics.language_bias(sims, self.scores)
        main["cross avg"] = lb.average
        main["pooled"] = lb.pooled
        main["bias"] = lb.bias
        details = {"cross": {f"{alias(a)}-{alias(b)}": v for (a, b), v in lb.per_pair.items()}}
        return TaskScores(main, details)


class BitextTask(Task):
    """Bitext mining over row-aligned sentences in ≥2 languages (all unordered pairs).

    Two languages: one score ``error``. More (a multi-parallel set): ``avg`` over
    all pairs, and per language its error against the pivot (``fr-en``); every
    pair's error is in ``details``.
    """

    kind = "bitext"
    metric = "error %"
    higher_is_better = False

    def __init__(self, name, family, sentences: Mapping[str, Sequence[str]], pivot: str | None = "eng_Latn", source=""):
        super().__init__(name, family, source)
        if len(sentences) < 2:
            raise DatasetFormatError(f"{name}: bitext mining needs ≥2 languages, got {sorted(sentences)}")
        self.sentences = {canonical(k): list(v) for k, v in sentences.items()}
        _check_len(name, **self.sentences)
        self.pivot = canonical(pivot) if pivot and canonical(pivot) in self.sentences else None

    @property
    def languages(self):
        return tuple(self.sentences)

    @property
    def n_items(self):
        return len(next(iter(self.sentences.values())))

    def requests(self):
        return list(self.sentences.items())

    def evaluate(self, embed):
        embs = {lang: embed(lang, texts) for lang, texts in self.sentences.items()}
        errs = metrics.multiparallel_bitext_error(embs)
        if len(errs) == 1:
            return TaskScores({"error": next(iter(errs.values()))})
        main = {"avg": float(np.mean(list(errs.values())))}
        if self.pivot:
            for (a, b), v in errs.items():
                if self.pivot in (a, b):
                    other = b if a == self.pivot else a
                    main[f"{alias(other)}-{alias(self.pivot)}"] = v
        return TaskScores(main, {"pairs": {f"{alias(a)}-{alias(b)}": v for (a, b), v in errs.items()}})


class ClassificationTask(Task):
    """Topic classification with a logistic-regression probe on frozen embeddings.

    ``mono:L``: train and test in L. ``zs:L``: train in ``source_lang`` (English),
    test in L (zero-shot cross-lingual transfer). Plus their averages.
    """

    kind = "classification"
    metric = "accuracy %"

    def __init__(self, name, family, train: Mapping[str, tuple[Sequence[str], Sequence[str]]],
                 test: Mapping[str, tuple[Sequence[str], Sequence[str]]], source_lang="eng_Latn", seed=0, source=""):
        super().__init__(name, family, source)
        self.train = {canonical(k): (list(t), list(y)) for k, (t, y) in train.items()}
        self.test = {canonical(k): (list(t), list(y)) for k, (t, y) in test.items()}
        for split_name, split in (("train", self.train), ("test", self.test)):
            for lang, (t, y) in split.items():
                _check_len(f"{name}/{split_name}/{lang}", texts=t, labels=y)
        self.source_lang = canonical(source_lang)
        self.seed = seed

    @property
    def languages(self):
        return tuple(dict.fromkeys([*self.train, *self.test]))

    @property
    def n_items(self):
        return sum(len(y) for _, y in self.test.values())

    def requests(self):
        return [(lang, t) for lang, (t, _) in self.train.items()] + [(lang, t) for lang, (t, _) in self.test.items()]

    def evaluate(self, embed):
        # One probe per training language; the English probe serves both its own
        # monolingual score and every zero-shot transfer.
        probes = {lang: metrics.train_probe(embed(lang, t), y, self.seed) for lang, (t, y) in self.train.items()}
        mono, zs = {}, {}
        for lang, (texts, labels) in self.test.items():
            test_x = embed(lang, texts)
            if lang in probes:
                mono[lang] = metrics.probe_accuracy(probes[lang], test_x, labels)
            if self.source_lang in probes and lang != self.source_lang:
                zs[lang] = metrics.probe_accuracy(probes[self.source_lang], test_x, labels)
        main = {}
        if mono:
            main["mono avg"] = float(np.mean(list(mono.values())))
        if zs:
            main["zs avg"] = float(np.mean(list(zs.values())))
        main.update({f"mono:{alias(k)}": v for k, v in mono.items()})
        main.update({f"zs:{alias(k)}": v for k, v in zs.items()})
        return TaskScores(main)


class RSIMTask(Task):
    """RSIM of each language against the pivot (English) over a multi-parallel corpus."""

    kind = "rsim"
    metric = "Pearson r"

    def __init__(self, name, family, sentences: Mapping[str, Sequence[str]], pivot="eng_Latn", source=""):
        super().__init__(name, family, source)
        self.sentences = {canonical(k): list(v) for k, v in sentences.items()}
        _check_len(name, **self.sentences)
        self.pivot = canonical(pivot)
        if self.pivot not in self.sentences or len(self.sentences) < 2:
            raise DatasetFormatError(f"{name}: RSIM needs the pivot {self.pivot} and ≥1 other language")

    @property
    def languages(self):
        return tuple(self.sentences)

    @property
    def n_items(self):
        return len(self.sentences[self.pivot])

    def requests(self):
        return list(self.sentences.items())

    def evaluate(self, embed):
        piv = embed(self.pivot, self.sentences[self.pivot])
        per = {f"{alias(lang)}-{alias(self.pivot)}": metrics.rsim(embed(lang, texts), piv)
               for lang, texts in self.sentences.items() if lang != self.pivot}
        return TaskScores({"avg": float(np.mean(list(per.values()))), **per})


class ParallelGuardTask(RSIMTask):
    """Real-sentence checks of each language against English on a small multi-parallel
    set (the FLORES dev sentences that guard ``zoo build``), per language L:

    - ``err L>en`` / ``err en>L``: bitext retrieval error in %, each direction;
    - ``rsim L``: Pearson of L–L vs en–en similarities (RSIM);
    - ``rank L``: Spearman ×100 of the L–L similarities vs the en–en similarities of the
      translations (monolingual structure, an STS proxy);
    - ``xrank L``: the same for L–en similarities of *different* sentences (an L–en STS
      proxy).

    English is embedded by the same configuration (with its English pack, if any).
    99 sentences make a guard, not a benchmark: one miss is ~1 point of error.
    """

    kind = "flores-dev"
    metric = "mixed (err: %, rsim: r, rank: Spearman x100)"

    def __init__(self, name, family, sentences: Mapping[str, Sequence[str]], pivot="eng_Latn", source=""):
        super().__init__(name, family, sentences, pivot=pivot, source=source)
        others = [alias(lang) for lang in self.sentences if lang != self.pivot]
        self.lower_is_better_keys = frozenset(f"err {a}>en" for a in others) | frozenset(f"err en>{a}" for a in others)

    def evaluate(self, embed):
        en = embed(self.pivot, self.sentences[self.pivot])
        main: dict[str, float] = {}
        for lang, texts in self.sentences.items():
            if lang == self.pivot:
                continue
            a, x = alias(lang), embed(lang, texts)
            main[f"err {a}>en"] = metrics.retrieval_error(x, en)
            main[f"err en>{a}"] = metrics.retrieval_error(en, x)
            main[f"rsim {a}"] = metrics.rsim(x, en)
            main[f"rank {a}"] = metrics.structure_ranking(x, x, en)
            main[f"xrank {a}"] = metrics.structure_ranking(x, en, en)
        return TaskScores(main)
