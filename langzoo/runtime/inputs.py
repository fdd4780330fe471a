"""Checking and cleaning what callers pass to `Zoo.encode` / `Zoo.detect`.

One job: turn caller input into a list of texts the tokenizers accept and a list of
requested language codes, or refuse it with an ``InvalidInputError`` that says what
was expected. Nothing here loads models.
"""

from __future__ import annotations

from collections.abc import Mapping, Set

import numpy as np

from langzoo.errors import InvalidInputError
from langzoo.languages import resolve_language


def check_texts(sentences) -> list[str]:
    """A list of strings from a string, a list/tuple/array of strings or another sequence."""
    if sentences is None:
        raise InvalidInputError("encode() needs a string or a list of strings, got None")
    if isinstance(sentences, str):
        return [sentences]
    # A dict iterates over its keys and a set in no fixed order: both would give vectors
    # that silently do not line up with what the caller meant.
    if isinstance(sentences, (Mapping, Set, bytes, bytearray)):
        raise InvalidInputError(f"encode() needs a string or a list of strings, got {type(sentences).__name__}; "
                                "pass list(d.values()) (or list(d)) to encode a dict's texts")
    if isinstance(sentences, np.ndarray):
        sentences = sentences.tolist()
    try:
        texts = list(sentences)
    except TypeError:
        raise InvalidInputError(
            f"encode() needs a string or a list of strings, got {type(sentences).__name__}") from None
    for i, t in enumerate(texts):
        if not isinstance(t, str):
            raise InvalidInputError(f"text {i} is {type(t).__name__}, not str")
    return texts


def encodable(text: str) -> str:
    """``text`` with characters UTF-8 cannot hold (lone surrogates, e.g. from a badly
    decoded file) replaced by '?', as language identification cleans them: the Rust
    tokenizers raise on them and would lose the whole batch."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")


def requested_languages(lang, n: int) -> list[str | None]:
    """Canonical codes per text from ``lang``: ``None`` (detect), one code for all texts,
    or one code (or ``None``) per text."""
    if lang is None:
        return [None] * n
    if isinstance(lang, str):
        return [resolve_language(lang).code] * n
    if isinstance(lang, (Mapping, Set, bytes, bytearray)) or not _is_sequence(lang):
        raise InvalidInputError(f"lang must be a language code such as 'uz', a list with one code (or None) per "
                                f"text, or None to detect; got {type(lang).__name__}")
    langs = list(lang)
    if len(langs) != n:
        raise InvalidInputError(f"lang has {len(langs)} entries for {n} texts")
    for i, item in enumerate(langs):
        if item is not None and not isinstance(item, str):
            raise InvalidInputError(f"lang[{i}] is {type(item).__name__}; expected a language code or None")
    return [resolve_language(item).code if item is not None else None for item in langs]


def _is_sequence(value) -> bool:
    return isinstance(value, (list, tuple, np.ndarray))
