"""Reading the one-text-per-line input of `zoo encode` / `zoo detect`.

Lines end at '\\n' only (a trailing '\\r' of CRLF files is dropped). ``str.splitlines``
also breaks at U+2028, U+0085, '\\f', '\\v' and others, which would give more vectors
than the file has lines; those characters stay inside their text.
"""

from __future__ import annotations

import sys
from pathlib import Path

from langzoo.errors import InvalidInputError


def split_lines(text: str) -> list[str]:
    """The '\\n'-separated lines of ``text`` (no empty last line for a final newline)."""
    if not text:
        return []
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]


def decode_utf8(data: bytes, where: str) -> str:
    """``data`` as UTF-8 (a leading BOM dropped), or an error naming the line and byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise InvalidInputError(
            f"{where} is not UTF-8 text: byte 0x{data[exc.start]:02x} at line {line} cannot be decoded. "
            f"Convert it first, e.g. `iconv -f LATIN1 -t UTF-8 {where} > fixed.txt`.") from None


def read_lines(path: str) -> list[str]:
    """Lines of a UTF-8 file, or of standard input for ``-``."""
    if path == "-":
        return split_lines(decode_utf8(sys.stdin.buffer.read(), "standard input"))
    file = Path(path)
    if not file.is_file():
        raise InvalidInputError(f"Input file not found: {path}")
    return split_lines(decode_utf8(file.read_bytes(), path))
