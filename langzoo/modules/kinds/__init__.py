"""Module kinds as registered objects: one file per kind, looked up by name everywhere.

Importing this package registers the built-in kinds bottom-up (embeddings, la, se, cla, align).
A new kind is one new file: subclass :class:`ModuleKind`, decorate it with
:func:`register_module_kind`, and import it before packs holding it are read.
"""

from langzoo.modules.kinds.base import (ModuleKind, encoding_kinds, get_module_kind, is_module_kind, kind_names, kind_order,
                                        needs_pivot, register_module_kind, unregister_module_kind)
from langzoo.modules.kinds import embeddings as _embeddings  # noqa: F401  (registration order = stacking order)
from langzoo.modules.kinds import la as _la  # noqa: F401
from langzoo.modules.kinds import se as _se  # noqa: F401
from langzoo.modules.kinds import cla as _cla  # noqa: F401
from langzoo.modules.kinds import align as _align  # noqa: F401

__all__ = ["ModuleKind", "encoding_kinds", "get_module_kind", "is_module_kind", "kind_names", "kind_order", "needs_pivot",
           "register_module_kind", "unregister_module_kind"]
