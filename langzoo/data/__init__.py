"""Training data for language packs: sources, offline harvesting, splits and hygiene.

Public API (used by the recipes):

* :func:`load_pairs` / :func:`load_texts` — one interface over every source spec;
* :func:`register_source_kind` / :class:`SourceKind` / :func:`source_kinds` — the source kinds by name;
* :mod:`langzoo.data.sib` — the one reader of SIB-200 / FLORES folders (recipes and evaluation);
* :func:`harvest` — English→L pairs from localisation catalogs;
* :func:`help_pairs` — English→L paragraph pairs from LibreOffice help pages;
* :func:`fetch_l10n_packages` — Debian localisation packages into the l10n cache;
* :func:`split_pairs`, :func:`apply_hygiene`, :func:`shuffle` — the recipes' train/dev/test split and filters;
* :func:`synthesize_paraphrases`, :func:`load_mt_model` — MT synthesis (optional).
"""

from langzoo.data.errors import (
    CatalogWarning,
    DataError,
    DataSourceError,
    DatasetOfflineError,
    FetchError,
    FetchWarning,
    MTModelError,
    SourceSpecError,
)
from langzoo.data.fetch import fetch_l10n_packages
from langzoo.data.harvest import harvest
from langzoo.data.help_pages import help_pairs
from langzoo.data.locales import language_packages
from langzoo.data.mt import load_mt_model, synthesize_paraphrases
from langzoo.data.paths import l10n_cache_dir, langzoo_home
from langzoo.data.report import counts_table, print_counts
from langzoo.data.sets import FilterLog, PairSet, TextSet
from langzoo.data.sources import SourceKind, load_pairs, load_texts, register_source_kind, source_kinds
from langzoo.data.splits import apply_hygiene, shuffle, split_pairs

__all__ = [
    "CatalogWarning", "DataError", "DataSourceError", "DatasetOfflineError", "FetchError", "FetchWarning",
    "MTModelError", "SourceSpecError", "FilterLog", "PairSet", "TextSet", "apply_hygiene", "counts_table",
    "fetch_l10n_packages", "harvest", "help_pairs", "l10n_cache_dir", "langzoo_home", "language_packages", "load_mt_model",
    "load_pairs", "load_texts", "print_counts", "shuffle", "split_pairs", "synthesize_paraphrases",
    "SourceKind", "register_source_kind", "source_kinds",
]
