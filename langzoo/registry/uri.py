"""Turn a registry name from the command line or the API into a registry object.

The one place registry names are parsed (``hf://NAMESPACE``, ``file://PATH``, a folder,
``local``); other code asks ``is_hub_uri`` / ``open_registry`` instead of looking at
prefixes itself."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

from langzoo.modules.pack import LanguagePack
from langzoo.registry.base import Registry
from langzoo.registry.errors import RegistryError
from langzoo.registry.hub import HubRegistry
from langzoo.registry.local import LocalRegistry


HUB_SCHEME = "hf://"


def is_hub_uri(uri: str | os.PathLike | None) -> bool:
    """Whether ``uri`` names a Hub registry (``hf://NAMESPACE``)."""
    return uri is not None and str(uri).startswith(HUB_SCHEME)


def hub_namespace(uri: str | os.PathLike) -> str:
    """The namespace of ``hf://NAMESPACE``."""
    text = str(uri)
    if not is_hub_uri(text):
        raise RegistryError(f"{text!r} is not a Hub registry (hf://NAMESPACE)")
    namespace = text[len(HUB_SCHEME):].strip("/")
    if not namespace:
        raise RegistryError("hf:// needs a namespace: hf://USER_OR_ORG")
    return namespace


def open_registry(uri: str | os.PathLike | None = None, **hub_options) -> Registry:
    """``None``/``"local"`` -> the default local registry (``registry_dir()``); a path or
    ``file://...`` -> a local registry there; ``hf://NAMESPACE`` -> that Hub namespace
    (``HF_ENDPOINT``/``HF_TOKEN`` honoured; ``hub_options`` go to HubRegistry)."""
    if uri is None or str(uri) == "local":
        return LocalRegistry()
    text = str(uri)
    if is_hub_uri(text):
        return HubRegistry(hub_namespace(text), **hub_options)
    if text.startswith("file://"):
        parsed = urlparse(text)
        if parsed.netloc not in ("", "localhost"):
            raise RegistryError(f"{text}: only local file:// URIs are supported")
        return LocalRegistry(Path(unquote(parsed.path)))
    if "://" in text:
        raise RegistryError(f"Unknown registry {text!r}: use a folder, file://PATH, or hf://NAMESPACE")
    return LocalRegistry(Path(text))


def pull(lang: str, source: str, *, modules: list[str] | None = None, revision: str | None = None,
         base_fingerprint: str | None = None, base: str | None = "default", install: bool = True,
         local: str | os.PathLike | None = None, **hub_options) -> LanguagePack:
    """Pull ``lang``'s pack from the Hub registry ``source`` (``hf://NAMESPACE``), verified, and
    install it into the local registry (``local``, default ``registry_dir()``).

    As `zoo pull` does, the pack must be built on the base in use: ``base_fingerprint``
    when given, else the fingerprint of ``base`` (default: the offline base, materialised
    on first use). ``base=None`` without a fingerprint skips the check on purpose."""
    registry = open_registry(source, local=LocalRegistry(local) if local is not None else None, **hub_options)
    if not isinstance(registry, HubRegistry):
        raise RegistryError(f"pull needs a Hub registry (hf://NAMESPACE), not {source!r}; "
                            "a local registry is read directly with open_registry(PATH).get(lang)")
    if base_fingerprint is None and base is not None:
        from langzoo.modules.base_encoder import resolve_base  # late: resolving may materialise the base

        base_fingerprint = resolve_base(base).fingerprint
    return registry.pull(lang, modules=modules, revision=revision, base_fingerprint=base_fingerprint,
                         install=install)
