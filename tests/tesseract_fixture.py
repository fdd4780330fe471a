"""Tesseract ``.traineddata`` files with a given word list, written by the tests (a
trie in the squished-DAWG layout plus a unicharset), for the LID word-list reader."""

from __future__ import annotations

import math
import struct
from pathlib import Path

_MARKER, _WERD_END = 1, 4


def _squished_dawg(words: list[str], chars: list[str], size: int) -> bytes:
    """A trie in Tesseract's squished-DAWG layout: each node's edges contiguous, the last
    one marked, root at edge 0, a leaf edge pointing at node 0."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[None] = True
    flag_start = math.ceil(math.log2(size + 1))  # Tesseract: id `size` is the null letter
    shift = flag_start + 3
    edges: list[int] = []

    def place(node: dict) -> int:
        keys = sorted(k for k in node if k is not None)
        start = len(edges)
        edges.extend([0] * len(keys))
        for i, ch in enumerate(keys):
            child = node[ch]
            has_children = any(k is not None for k in child)
            nxt = place(child) if has_children else 0
            flags = (_MARKER if i == len(keys) - 1 else 0) | (_WERD_END if None in child else 0)
            edges[start + i] = (nxt << shift) | (flags << flag_start) | chars.index(ch)
        return start

    place(trie)
    return struct.pack("<hii", 42, size, len(edges)) + struct.pack(f"<{len(edges)}Q", *edges)


def write_traineddata(path: Path, words: list[str], pad_to: int = 0) -> Path:
    """``pad_to``: fill the unicharset with unused symbols up to this size (a power of two
    is the case where the letter-field width needs Tesseract's + 1)."""
    chars = [" "] + sorted({c for w in words for c in w})
    chars += [chr(0x2460 + i) for i in range(max(0, pad_to - len(chars)))]
    unicharset = (f"{len(chars)}\n" + "".join(
        ("NULL" if c == " " else c) + " 0 0,255,0,255 0 0 0 0 0 0 Common 0 0 0 0 #\n" for c in chars)).encode()
    parts = {21: unicharset, 19: _squished_dawg(words, chars, len(chars))}
    count = 24
    offsets = [-1] * count
    body = b""
    header = 4 + 8 * count
    for index in sorted(parts):
        offsets[index] = header + len(body)
        body += parts[index]
    path.write_bytes(struct.pack("<i", count) + struct.pack(f"<{count}q", *offsets) + body)
    return path


