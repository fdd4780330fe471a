"""What every language detector returns, and the protocol the router relies on.

A detector maps texts to one :class:`Detection` each: a canonical zoo code
(``uzn_Latn``) with a confidence, or ``None`` plus the reason.  The router
(:class:`langzoo.runtime.zoo.Zoo`) only needs :class:`LanguageDetector`: ``detect``,
a settable ``allowed`` set (the installed languages + English) and a ``name``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from langzoo.errors import LangzooError


class LidInputError(LangzooError, TypeError):
    """``detect`` was given something that is not a list of strings."""


@dataclass(frozen=True)
class Detection:
    """The language of one text.

    ``lang`` is a canonical zoo code (``uzn_Latn``) when ``reason == "ok"`` and ``None``
    otherwise; reasons are ``ok``, ``empty``, ``no_letters``, ``other`` (restricted and
    the text is outside the allowed set), ``undetermined`` (the model's "no language"
    label), ``script_mismatch`` and ``low_confidence``.  ``confidence`` is the winner's
    probability (renormalised over the allowed set when restricted; for ``other`` the
    mass outside it).  ``raw_label`` is the model's own top label (``__label__uz``),
    empty when the model was not asked.
    """

    lang: str | None
    confidence: float
    raw_label: str = ""
    reason: str = "ok"

    @property
    def ok(self) -> bool:
        return self.lang is not None


@runtime_checkable
class LanguageDetector(Protocol):
    """Texts -> one :class:`Detection` per text, optionally restricted to ``allowed`` codes.

    ``allowed = None`` lifts the restriction; with a restriction, a text in a language
    outside the set must come back as ``lang=None`` (reason ``other``), never as an
    allowed neighbour.
    """

    name: str

    @property
    def allowed(self) -> frozenset[str] | None: ...

    @allowed.setter
    def allowed(self, codes: Iterable[str] | None) -> None: ...

    def detect(self, texts: Sequence[str]) -> list[Detection]: ...
