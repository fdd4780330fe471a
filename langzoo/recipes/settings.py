"""Typed build settings: dataclasses whose fields carry their help text and their check.

A stage's config (``la``, ``se``, ...) and the global settings are dataclasses of
:func:`setting` fields (pattern: peft's ``LoraConfig``, ``metadata={"help": ...}``).
The build config itself stays a plain nested dict — profiles, recipes and ``--set``
write it, stage cache keys hash it — and these classes check it up front
(:meth:`Settings.problems`, every bad value at once) and list it (:meth:`Settings.describe`,
``zoo build --list-settings``). Keys a class does not declare pass through untouched, so
a new profile option never breaks a build. A field left ``None`` means "not set here"
(the profile sets it); an instance checks its own values in ``__post_init__``.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from typing import Any

from langzoo.recipes.errors import RecipeError

# A check returns None when a value is fine, else what it expects ("a whole number >= 1").
Check = Callable[[Any], "str | None"]


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_real(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def integer(minimum: int) -> Check:
    def check(v):
        return None if _is_int(v) and v >= minimum else f"a whole number >= {minimum}"
    return check


def real(minimum: float = 0.0, maximum: float = math.inf, *, above: bool = False) -> Check:
    """A finite number in [minimum, maximum] (``above``: strictly more than minimum)."""
    def check(v):
        ok = _is_real(v) and (v > minimum if above else v >= minimum) and v <= maximum
        low = f"> {minimum}" if above else f">= {minimum}"
        return None if ok else f"a finite number {low}" + (f" and <= {maximum}" if maximum != math.inf else "")
    return check


def boolean(v):
    return None if isinstance(v, bool) else "true or false"


def one_of(*choices: str) -> Check:
    def check(v):
        return None if v in choices else f"one of {', '.join(choices)}"
    return check


def section(v):
    return None if isinstance(v, dict) else "a section (key: value pairs), e.g. la.lora.r=8"


def str_list(v):
    return None if isinstance(v, list) and v and all(isinstance(x, str) and x for x in v) else \
        "a non-empty list of module names, e.g. [query,key,value]"


def device(v):
    if not isinstance(v, str) or not v:
        return "auto, cpu, cuda, cuda:N or mps"
    if v == "auto":
        return None
    import torch

    try:
        torch.device(v)
    except (RuntimeError, ValueError):
        return "a device torch knows: auto, cpu, cuda, cuda:N or mps"
    return None


def expects(check: Check) -> str:
    """What a check accepts, in words (a value no check accepts makes it say so)."""
    return check(object()) or ""


def setting(help: str, check: Check | None = None, *, section_of: type[Settings] | None = None) -> Any:
    """A field of a :class:`Settings` class: ``help`` text and a value ``check``, or
    ``section_of`` for a nested section checked by another Settings class."""
    return dataclasses.field(default=None, metadata={"help": help, "check": check, "section": section_of})


class Settings:
    """Mixin of the settings dataclasses (see the module docstring)."""

    def __post_init__(self) -> None:
        bad = type(self).problems(self.values())
        if bad:
            raise RecipeError(f"Invalid {type(self).__name__}: " + "; ".join(bad))

    def values(self) -> dict:
        """The fields that are set (not ``None``), nested sections as dicts."""
        out = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if value is not None:
                out[f.name] = value.values() if isinstance(value, Settings) else value
        return out

    @classmethod
    def problems(cls, values: dict, prefix: str = "") -> list[str]:
        """Every declared key of ``values`` with a wrong type or value, as ``key=value: expected ...``."""
        out = []
        for f in dataclasses.fields(cls):
            if f.name not in values:
                continue
            value, name = values[f.name], f"{prefix}{f.name}"
            nested = f.metadata.get("section")
            check = section if nested is not None else f.metadata.get("check")
            why = check(value) if check else None
            if why:
                out.append(f"{name}={value!r}: expected {why}")
            elif nested is not None:
                out += nested.problems(value, f"{name}.")
        return out

    @classmethod
    def from_dict(cls, values: dict):
        """An instance from a config section (undeclared keys are left out). Raises a
        RecipeError naming every bad key."""
        bad = cls.problems(values or {})
        if bad:
            raise RecipeError(f"Invalid {cls.__name__}: " + "; ".join(bad))
        kwargs = {}
        for f in dataclasses.fields(cls):
            if f.name in (values or {}):
                nested, value = f.metadata.get("section"), values[f.name]
                kwargs[f.name] = nested.from_dict(value) if nested is not None else value
        return cls(**kwargs)

    @classmethod
    def keys(cls) -> dict[str, str]:
        """``{field: "section" | "value"}``: a section holds ``key: value`` pairs."""
        return {f.name: "section" if f.metadata.get("section") or f.metadata.get("check") is section else "value"
                for f in dataclasses.fields(cls)}

    @classmethod
    def section_class(cls, name: str) -> type[Settings] | None:
        """The Settings class of a nested section field (``None`` for a plain one or no such field)."""
        return next((f.metadata.get("section") for f in dataclasses.fields(cls) if f.name == name), None)

    @classmethod
    def describe(cls, prefix: str = "") -> list[tuple[str, str, str]]:
        """``(key, what it accepts, help)`` for every field, nested sections flattened."""
        rows = []
        for f in dataclasses.fields(cls):
            nested = f.metadata.get("section")
            check = f.metadata.get("check")
            if nested is not None:
                rows.append((f"{prefix}{f.name}", "a section", f.metadata["help"]))
                rows += nested.describe(f"{prefix}{f.name}.")
            else:
                rows.append((f"{prefix}{f.name}", expects(check) if check else "any", f.metadata["help"]))
        return rows
