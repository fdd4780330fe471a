"""Named compositions: which module kinds a route of a :class:`Zoo` stacks.

Modelled on ``adapters``' ``composition.py`` (``Stack``/``Parallel`` blocks), for what a
language pack holds: ``Stack("embeddings", "la", "se", Parallel("cla"))`` is the paper's
Mod_mc (cross-lingual: the ``cla`` bottleneck runs beside every feed-forward block),
``Stack("embeddings", "la", "se")`` its Mod_m (monolingual). A route uses the kinds its
pack holds that the composition names (an English pack holds only ``se``).

Only optional kinds (``ModuleKind.optional``: ``cla``) can be left out at run time; the
others are merged into the shared body when a pack is attached. A zoo has a default
composition and may name another one per language; ``alignment=True/False`` is the
shortcut for ``"aligned"``/``"monolingual"``. Compositions are saved in ``zoo.json``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from langzoo.errors import InvalidInputError
from langzoo.languages import resolve_language
from langzoo.modules.kinds import encoding_kinds, get_module_kind, is_module_kind, kind_names


@dataclass(frozen=True, init=False)
class Parallel:
    """Kinds that run beside the stack's layers (parallel adapters) rather than on top."""

    kinds: tuple[str, ...]

    def __init__(self, *kinds: str):
        object.__setattr__(self, "kinds", tuple(kinds))

    def to_json(self) -> dict:
        return {"parallel": list(self.kinds)}


@dataclass(frozen=True, init=False)
class Stack:
    """Module kinds stacked on the base for a route, bottom-up; blocks are kind names or
    :class:`Parallel` groups."""

    blocks: tuple[str | Parallel, ...]

    def __init__(self, *blocks: str | Parallel):
        object.__setattr__(self, "blocks", tuple(blocks))
        _check(self)

    @property
    def kinds(self) -> tuple[str, ...]:
        out: list[str] = []
        for block in self.blocks:
            out.extend(block.kinds if isinstance(block, Parallel) else [block])
        return tuple(out)

    @property
    def alignment(self) -> bool:
        """Whether the optional kinds (``cla``) are on: what the composer switches."""
        return any(get_module_kind(k).optional for k in self.kinds)

    def to_json(self) -> list:
        return [b.to_json() if isinstance(b, Parallel) else b for b in self.blocks]

    @classmethod
    def from_json(cls, data) -> "Stack":
        if isinstance(data, str):
            return named_composition(data)
        if not isinstance(data, list):
            raise InvalidInputError(f"a composition is a name or a list of module kinds, not {data!r}")
        blocks: list[str | Parallel] = []
        for item in data:
            if isinstance(item, dict) and set(item) == {"parallel"} and isinstance(item["parallel"], list):
                blocks.append(Parallel(*item["parallel"]))
            elif isinstance(item, str):
                blocks.append(item)
            else:
                raise InvalidInputError(f"composition block {item!r} is neither a module kind nor "
                                        "{'parallel': [...]}")
        return cls(*blocks)


def _check(stack: Stack) -> None:
    kinds = stack.kinds
    unknown = [k for k in kinds if not is_module_kind(k)]
    if unknown:
        raise InvalidInputError(f"composition names unknown module kind(s) {unknown}; known: {list(kind_names())}")
    other = [k for k in kinds if not get_module_kind(k).encodes]
    if other:
        raise InvalidInputError(f"composition names {other}, which encoding never uses (word alignment does); "
                                f"a composition stacks {list(encoding_kinds())}")
    if len(set(kinds)) != len(kinds):
        raise InvalidInputError(f"composition names a module kind twice: {list(kinds)}")
    for k in kinds:
        below = [p for p in get_module_kind(k).parents if p not in kinds]
        if below:
            raise InvalidInputError(f"composition stacks {k!r} without {below}, which it was trained on")
    left_out = [k for k in encoding_kinds() if k not in kinds and not get_module_kind(k).optional]
    if left_out:
        optional = [k for k in encoding_kinds() if get_module_kind(k).optional]
        raise InvalidInputError(f"a composition can leave out only optional kinds ({optional}) at run time, not "
                                f"{left_out}: those are part of every attached pack's stack")


def named_composition(name: str) -> Stack:
    """``"aligned"`` (every registered kind, ``cla`` in parallel: Mod_mc) or ``"monolingual"``
    (the kinds that cannot be left out: Mod_m)."""
    required = [k for k in encoding_kinds() if not get_module_kind(k).optional]
    optional = [k for k in encoding_kinds() if get_module_kind(k).optional]
    if name == "aligned":
        return Stack(*required, *([Parallel(*optional)] if optional else []))
    if name == "monolingual":
        return Stack(*required)
    raise InvalidInputError(f"unknown composition {name!r}: use 'aligned', 'monolingual' or a Stack(...)")


@dataclass
class Composition:
    """What each route of a zoo stacks: a default and per-language exceptions."""

    default: Stack
    languages: dict[str, Stack] = field(default_factory=dict)  # canonical code -> Stack

    def for_route(self, code: str | None) -> Stack:
        return self.languages.get(code, self.default) if code is not None else self.default

    def to_json(self) -> dict:
        return {"default": self.default.to_json(),
                "languages": {c: s.to_json() for c, s in sorted(self.languages.items())}}

    @classmethod
    def from_json(cls, data) -> "Composition":
        if not isinstance(data, dict) or "default" not in data:
            raise InvalidInputError(f"composition must be {{'default': ..., 'languages': {{...}}}}, not {data!r}")
        return cls(Stack.from_json(data["default"]),
                   {resolve_language(c).code: Stack.from_json(s) for c, s in (data.get("languages") or {}).items()})


def as_composition(value, alignment: bool = True) -> Composition:
    """A Composition from what ``Zoo(composition=...)`` accepts: None (then ``alignment``
    decides), a name, a Stack, a Composition, or ``{language or "*": name or Stack}``."""
    if value is None:
        return Composition(named_composition("aligned" if alignment else "monolingual"))
    if isinstance(value, Composition):
        return value
    if isinstance(value, (str, Stack)):
        return Composition(_stack(value))
    if isinstance(value, dict):
        default = _stack(value.get("*", "aligned" if alignment else "monolingual"))
        return Composition(default, {resolve_language(k).code: _stack(v) for k, v in value.items() if k != "*"})
    raise InvalidInputError(f"composition must be a name, a Stack or a dict of them, not {type(value).__name__}")


def _stack(value) -> Stack:
    return value if isinstance(value, Stack) else named_composition(value)
