"""Containers returned by every source: pairs or texts, plus provenance and counts."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field


class FilterLog:
    """Counts before/after each filter step, in order (``{"step": count_after}``).

    The first entry is what the source produced; every later one the number of items
    left after that step.  ``as_dict()`` goes into provenance, :func:`render_counts`
    prints it as a table.
    """

    def __init__(self) -> None:
        self.steps: list[tuple[str, int]] = []

    def record(self, step: str, count: int) -> None:
        self.steps.append((step, int(count)))

    def as_dict(self) -> dict[str, int]:
        return dict(self.steps)

    def rows(self) -> list[tuple[str, int, int, int]]:
        """(step, before, after, removed) per step."""
        out: list[tuple[str, int, int, int]] = []
        prev = None
        for step, count in self.steps:
            before = count if prev is None else prev
            out.append((step, before, count, before - count))
            prev = count
        return out


@dataclass
class PairSet:
    """Sentence pairs: (en, L) translations/paraphrases or (L, L) paraphrases."""

    pairs: list[tuple[str, str]]
    provenance: dict = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.pairs)

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self.pairs)

    def texts(self, side: int = 1) -> list[str]:
        """Unique texts of one side, in first-seen order (side 1 = the L side of (en, L))."""
        return list(dict.fromkeys(p[side] for p in self.pairs))


@dataclass
class TextSet:
    """Monolingual sentences of one language."""

    texts: list[str]
    provenance: dict = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.texts)

    def __iter__(self) -> Iterator[str]:
        return iter(self.texts)
