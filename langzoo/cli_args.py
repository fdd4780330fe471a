"""Values of command-line options that several ``zoo`` subcommands and benchmarks share."""

from __future__ import annotations

__all__ = ["split_commas"]


def split_commas(value: str | None) -> list[str]:
    """The items of a comma-separated option value, stripped, empty ones dropped:
    ``"uz, kk,"`` -> ``["uz", "kk"]``; ``None`` or ``""`` -> ``[]``."""
    return [item.strip() for item in (value or "").split(",") if item.strip()]
