"""What a module kind is, and the registry that every other part of langzoo looks kinds up in.

A kind (``embeddings``, ``la``, ``se``, ``cla``, or one a project adds) declares, in one
place, everything the pack format and the runtime need to know about it:

- ``name`` and ``parents``: the module folder's name and the kinds it was trained on
  top of (active beneath it at run time; a pack must hold them too);
- ``allowed_files`` / ``required_files``: what its folder may and must hold (nothing
  else is read: unknown names, and pickle-like suffixes above all, are refused);
- ``save``: write its weights into a module folder;
- ``attach`` / ``detach``: put it into (take it out of) a :class:`ComposedEncoder`;
- ``describe``: its line on the pack's model card.

Kinds are registered in the order they stack (bottom-up); ``kind_names()`` is that
order. The pattern is peft's ``register_peft_method``: one file per kind under
``langzoo/modules/kinds/``, registered when the package is imported.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from langzoo.errors import ModuleFormatError

if TYPE_CHECKING:  # the composer imports this package; kinds only receive its objects
    from langzoo.modules.composer import AttachedPack, ComposedEncoder
    from langzoo.modules.manifest import ModuleManifest
    from langzoo.modules.pack import LanguagePack


class ModuleKind:
    """Base class of module kinds; subclasses set the class attributes and the methods."""

    name: str = ""
    parents: tuple[str, ...] = ()
    allowed_files: frozenset[str] = frozenset()
    required_files: tuple[str, ...] = ()
    description: str = ""
    # Whether an English (pivot) pack may hold this kind. English keeps the base's own
    # vocabulary and is the alignment target, so only its sentence adapter is trained.
    in_english_pack: bool = False
    # Whether a composition may leave this kind out at run time (``alignment=False``
    # leaves the cross-lingual ``cla`` out); the others are always active when attached.
    optional: bool = False
    # Whether the module was trained against the English pivot pack (``cla``): pulls and
    # zoos bring along the English pack its pack.json names (``modules/pivot.py``).
    needs_pivot: bool = False
    # Whether the module is part of the encoding stack that compositions describe. ``align``
    # is not: it serves word alignment only and ``encode`` never switches it on.
    encodes: bool = True

    def required(self, config: dict | None = None) -> tuple[str, ...]:
        """Files a module of this kind must hold (its config may say it needs fewer)."""
        return self.required_files

    def describe(self, manifest: ModuleManifest) -> str:
        """One line for the model card: what this module is."""
        return self.description

    def save(self, folder: Path, **payload: Any) -> None:
        """Write this kind's weight and config files into ``folder`` (the manifest is
        written afterwards by ``write_manifest``, which hashes what is there)."""
        raise NotImplementedError(f"module kind {self.name!r} does not say how it saves")

    def attach(self, encoder: ComposedEncoder, pack: LanguagePack, attached: AttachedPack) -> None:
        """Load this kind's module of ``pack`` into ``encoder`` and record it on ``attached``."""
        raise NotImplementedError(f"module kind {self.name!r} cannot be attached to the composer")

    def detach(self, encoder: ComposedEncoder, attached: AttachedPack) -> None:
        """Undo ``attach`` (default: drop what was recorded under ``attached.extra``)."""
        attached.extra.pop(self.name, None)

    def __repr__(self) -> str:
        return f"<module kind {self.name!r} on {list(self.parents) or 'the base'}>"


_KINDS: dict[str, ModuleKind] = {}


def register_module_kind(kind: ModuleKind | type[ModuleKind], *, replace: bool = False) -> ModuleKind:
    """Register a kind (an instance, or a class that is instantiated); returns it, so it
    also works as a class decorator. Its parents must be registered first (kinds stack
    in registration order)."""
    if isinstance(kind, type):
        kind = kind()
    name = kind.name
    if not name or not name.isidentifier() or name.startswith("_"):
        raise ValueError(f"module kind name {name!r} must be a plain identifier (it becomes a folder name)")
    if name in _KINDS and not replace:
        raise ValueError(f"module kind {name!r} is already registered ({_KINDS[name]!r})")
    missing = [p for p in kind.parents if p not in _KINDS]
    if missing:
        raise ValueError(f"module kind {name!r} stands on unregistered kind(s) {missing}; register them first")
    overlap = set(kind.required_files) - set(kind.allowed_files)
    if overlap:
        raise ValueError(f"module kind {name!r} requires files it does not allow: {sorted(overlap)}")
    _KINDS[name] = kind
    return kind


def unregister_module_kind(name: str) -> None:
    """Remove a kind (for tests and plugins that registered one temporarily)."""
    users = [k.name for k in _KINDS.values() if name in k.parents]
    if users:
        raise ValueError(f"module kind {name!r} is a parent of {users}; unregister those first")
    _KINDS.pop(name, None)


def get_module_kind(name: str) -> ModuleKind:
    """The registered kind called ``name``; ModuleFormatError for anything else (names come
    from files that may have been downloaded)."""
    try:
        return _KINDS[name]
    except (KeyError, TypeError):
        raise ModuleFormatError(f"Unknown module kind {name!r}; expected one of {kind_names()}") from None


def is_module_kind(name: object) -> bool:
    return isinstance(name, str) and name in _KINDS


def kind_names() -> tuple[str, ...]:
    """Registered kinds, bottom-up (the order modules stack and are listed in)."""
    return tuple(_KINDS)


def encoding_kinds() -> tuple[str, ...]:
    """Registered kinds that are part of the encoding stack, bottom-up."""
    return tuple(k for k, kind in _KINDS.items() if kind.encodes)


def needs_pivot(names) -> bool:
    """Whether any of these kinds was aligned to the English pivot pack."""
    return any(get_module_kind(k).needs_pivot for k in names)


def kind_order(names) -> list[str]:
    """``names`` (registered kinds) sorted bottom-up."""
    order = kind_names()
    return sorted(names, key=order.index)
