"""Parse and check request bodies of /v1/embeddings (OpenAI) and /embed (TEI).

Everything a client can get wrong is refused here, before the request is queued,
with a ``RequestError`` (an HTTP status and a message naming the field): a bad
request must never reach a shared batch.
"""

from __future__ import annotations

from dataclasses import dataclass

from langzoo.errors import UnknownLanguageError
from langzoo.languages import resolve_language


class RequestError(Exception):
    def __init__(self, status: int, message: str, param: str | None = None, code: str = "invalid_request"):
        super().__init__(message)
        self.status, self.message, self.param, self.code = status, message, param, code


@dataclass(frozen=True)
class Limits:
    max_items: int = 2048  # texts per request (OpenAI's own limit)
    max_chars: int = 100_000  # characters per text


@dataclass
class EmbedRequest:
    texts: list[str]
    langs: list[str | None] | None
    alignment: bool | None
    want_routes: bool
    normalize: bool = True
    encoding_format: str = "float"
    model: str | None = None


def parse_openai(body, limits: Limits, dim: int) -> EmbedRequest:
    body = _object(body)
    if "input" not in body:
        raise RequestError(400, "'input' is required: a string or a list of strings", "input")
    texts = _texts(body["input"], "input", limits)
    model = body.get("model")
    if model is not None and not isinstance(model, str):
        raise RequestError(400, f"'model' must be a string, got {_kind(model)}", "model")
    fmt = body.get("encoding_format") or "float"
    if fmt not in ("float", "base64"):
        raise RequestError(400, f"'encoding_format' must be 'float' or 'base64', got {fmt!r}", "encoding_format")
    dims = body.get("dimensions")
    if dims is not None and dims != dim:
        raise RequestError(400, f"'dimensions' is not supported: this model returns {dim}-dimensional vectors "
                           f"only (got dimensions={dims!r}); leave it out", "dimensions", "unsupported_parameter")
    return EmbedRequest(texts, *_extensions(body, len(texts)), encoding_format=fmt, model=model)


def parse_tei(body, limits: Limits) -> EmbedRequest:
    body = _object(body)
    if "inputs" not in body:
        raise RequestError(400, "'inputs' is required: a string or a list of strings", "inputs")
    texts = _texts(body["inputs"], "inputs", limits)
    normalize = _bool(body, "normalize", True)
    _bool(body, "truncate", False)  # accepted for compatibility: texts are always cut at the base's max length
    if body.get("prompt_name") is not None:
        raise RequestError(400, "'prompt_name' is not supported: every text gets the base's own prefix",
                           "prompt_name")
    return EmbedRequest(texts, *_extensions(body, len(texts)), normalize=normalize)


def _object(body) -> dict:
    if not isinstance(body, dict):
        raise RequestError(400, f"the request body must be a JSON object, got {_kind(body)}")
    return body


def _texts(value, field: str, limits: Limits) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise RequestError(400, f"'{field}' must be a string or a list of strings, got {_kind(value)}", field)
    if not value:
        raise RequestError(400, f"'{field}' is empty: send at least one text", field)
    if len(value) > limits.max_items:
        raise RequestError(413, f"'{field}' has {len(value)} texts; at most {limits.max_items} per request: "
                           "split it into several requests", field, "too_many_inputs")
    for i, text in enumerate(value):
        if not isinstance(text, str):
            hint = " (token arrays are not supported: send the text)" if isinstance(text, (int, list)) else ""
            raise RequestError(400, f"'{field}[{i}]' must be a string, got {_kind(text)}{hint}", field)
        if not text.strip():
            raise RequestError(400, f"'{field}[{i}]' is empty or only whitespace", field)
        if len(text) > limits.max_chars:
            raise RequestError(413, f"'{field}[{i}]' has {len(text)} characters; at most {limits.max_chars}",
                               field, "input_too_long")
    return value


def _extensions(body: dict, n: int) -> tuple:
    """The langzoo fields: ``lang`` (one code for all texts, or one code or null per
    text), ``alignment`` (cla adapters on/off) and ``return_routes``."""
    lang = body.get("lang")
    langs = None
    if lang is not None:
        items = [lang] * n if isinstance(lang, str) else lang
        if not isinstance(items, list):
            raise RequestError(400, f"'lang' must be a language code or a list with one code (or null) per text, "
                               f"got {_kind(lang)}", "lang")
        if len(items) != n:
            raise RequestError(400, f"'lang' has {len(items)} entries for {n} texts", "lang")
        langs = []
        for i, item in enumerate(items):
            if item is not None and not isinstance(item, str):
                raise RequestError(400, f"'lang[{i}]' must be a language code or null, got {_kind(item)}", "lang")
            try:
                langs.append(None if item is None else resolve_language(item).code)
            except UnknownLanguageError as exc:
                raise RequestError(400, f"'lang': {exc}", "lang", "unknown_language") from None
    alignment = body.get("alignment")
    if alignment is not None and not isinstance(alignment, bool):
        raise RequestError(400, f"'alignment' must be true or false, got {_kind(alignment)}", "alignment")
    return langs, alignment, _bool(body, "return_routes", False)


def _bool(body: dict, key: str, default: bool) -> bool:
    value = body.get(key, default)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise RequestError(400, f"'{key}' must be true or false, got {_kind(value)}", key)
    return value


def _kind(value) -> str:
    names = {str: "a string", bool: "a boolean", int: "a number", float: "a number", list: "a list",
             dict: "an object", type(None): "null"}
    return names.get(type(value), type(value).__name__)
