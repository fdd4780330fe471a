"""`Zoo.align` / `zoo align` on tiny packs: each side through its own pack, bad inputs, long inputs."""

import warnings

import numpy as np
import pytest

from langzoo.align.aligner import align_vectors
from langzoo.align.tokens import token_vectors
from langzoo.errors import InvalidInputError
from langzoo.modules.composer import ComposedEncoder
from langzoo.runtime.zoo import Zoo
from tiny import CORPUS


@pytest.fixture(scope="module")
def zoo(tiny_base, tiny_packs):
    enc = ComposedEncoder(str(tiny_base))
    return Zoo(enc, {"uzn_Latn": tiny_packs["uz"], "kaz_Cyrl": tiny_packs["kk"], "eng_Latn": tiny_packs["en"]},
               lid="unused")


def test_each_side_uses_its_own_pack(zoo):
    src, tgt = CORPUS["uz"][:3], CORPUS["kk"][:3]
    got = zoo.align(src, tgt, "uz", "kk", method="argmax", layer=1)
    enc = zoo.encoder
    for s, t, a in zip(src, tgt, got):
        sv = token_vectors(enc, [s.split()], "uzn_Latn", layer=1)[0]
        tv = token_vectors(enc, [t.split()], "kaz_Cyrl", layer=1)[0]
        want = align_vectors(sv, tv, "argmax", 0.1)  # batched with padding: equal up to float noise
        assert a.pairs == want.pairs and np.allclose(a.scores, want.scores, atol=1e-4)
    # the uz side was cut by the uz tokenizer and run with the uz modules
    words = src[0].split()
    sv = token_vectors(enc, [words], "uzn_Latn", layer=1)[0]
    pieces = [p for w in words for p in enc.tokenizer_for("uz").tokenize(w)]
    assert len(sv.word_ids) == len(pieces)
    as_kk = token_vectors(enc, [words], "kaz_Cyrl", layer=1)[0]
    assert len(as_kk.word_ids) != len(sv.word_ids) or np.abs(as_kk.vectors - sv.vectors).max() > 1e-3
    # the vectors really are the layer's hidden states with uz active
    enc.activate("uzn_Latn")
    batch = enc.tokenizer_for("uz")(["query:"] + words, is_split_into_words=True, return_tensors="pt")
    import torch

    with torch.inference_mode():
        hidden = enc.body(**batch, output_hidden_states=True).hidden_states[1][0].numpy()
    keep = [i for i, w in enumerate(batch.word_ids(0)) if w is not None and w >= 1]
    assert np.abs(hidden[keep] - sv.vectors).max() < 1e-5


def test_bare_base_side_and_english_pack(zoo):
    out = zoo.align(CORPUS["en"][:2], CORPUS["de"][:2], "en", "de", method="itermax")
    assert len(out) == 2 and all(out)
    n_src, n_tgt = len(CORPUS["en"][0].split()), len(CORPUS["de"][0].split())
    assert all(0 <= i < n_src and 0 <= j < n_tgt for i, j in out[0].pairs)


def test_layer_changes_vectors_and_is_checked(zoo):
    w = [CORPUS["uz"][0].split()]
    a = token_vectors(zoo.encoder, w, "uzn_Latn", layer=1)[0].vectors
    b = token_vectors(zoo.encoder, w, "uzn_Latn", layer=2)[0].vectors
    assert np.abs(a - b).max() > 1e-3
    with pytest.raises(InvalidInputError, match="layer"):
        zoo.align(["a"], ["b"], "uz", "kk", layer=3)
    zoo.align(["a b"], ["c d"], "uz", "kk", layer=-1)  # the last layer


def test_bad_inputs_are_refused_like_encode(zoo):
    with pytest.raises(InvalidInputError, match="as many"):
        zoo.align(["a", "b"], ["c"], "uz", "kk")
    with pytest.raises(InvalidInputError):
        zoo.align({"a": 1}, ["c"], "uz", "kk")
    with pytest.raises(InvalidInputError, match="text 1"):
        zoo.align(["a", 3], ["c", "d"], "uz", "kk")
    with pytest.raises(InvalidInputError, match="method"):
        zoo.align(["a"], ["c"], "uz", "kk", method="greedy")
    with pytest.raises(InvalidInputError, match="threshold"):
        zoo.align(["a"], ["c"], "uz", "kk", threshold=1.5)
    assert zoo.align([], [], "uz", "kk") == []


def test_empty_odd_and_very_long_inputs(zoo):
    long_src = " ".join(["mushuk"] * 400)
    odd = "bad \ud800 surrogate"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = zoo.align(["", "   ", long_src, odd, CORPUS["uz"][0]],
                        [CORPUS["kk"][0], "", CORPUS["kk"][1], CORPUS["kk"][2], "   "], "uz", "kk")
    assert out[0].pairs == [] and out[1].pairs == [] and out[4].pairs == []
    assert any("truncated" in str(w.message) for w in caught)
    max_len = zoo.encoder.profile.max_seq_length
    assert all(i < max_len for i, _ in out[2].pairs)  # later words were cut off
    long_vec = token_vectors(zoo.encoder, [long_src.split()], "uzn_Latn", layer=2)[0]
    assert long_vec.truncated and long_vec.n_words == 400 and 0 < max(long_vec.word_ids) < max_len
    assert all(j < len(CORPUS["kk"][2].split()) for _, j in out[3].pairs)


def test_batches_and_chunks_do_not_change_results(zoo):
    src = CORPUS["uz"] * 3
    tgt = CORPUS["kk"][:6] * 3
    one = zoo.align(src, tgt, "uz", "kk", batch_size=1)
    many = zoo.align(src, tgt, "uz", "kk", batch_size=7)
    assert [a.pairs for a in one] == [a.pairs for a in many]
    for a, b in zip(one, many):
        assert np.allclose(a.scores, b.scores, atol=1e-4)


def test_cli_writes_pharaoh_lines(tiny_base, tiny_packs, tmp_path, capsys):
    from langzoo.cli import main

    (tmp_path / "s.txt").write_text("\n".join(CORPUS["uz"][:3]) + "\n")
    (tmp_path / "t.txt").write_text("\n".join(CORPUS["kk"][:3]) + "\n")
    args = ["align", "--src", str(tmp_path / "s.txt"), "--tgt", str(tmp_path / "t.txt"), "--src-lang", "uz",
            "--tgt-lang", "kk", "--base", str(tiny_base), "--languages", f"{tiny_packs['uz']},{tiny_packs['kk']}",
            "--method", "argmax", "--layer", "1"]
    assert main(args + ["--out", str(tmp_path / "a.txt")]) == 0
    lines = (tmp_path / "a.txt").read_text().splitlines()
    assert len(lines) == 3
    for line in lines:
        for item in line.split():
            i, j = map(int, item.split("-"))
    assert main(args + ["--scores"]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert [" ".join(x.split(":")[0] for x in line.split()) for line in printed] == lines
    (tmp_path / "short.txt").write_text("one line\n")
    assert main(args[:4] + [str(tmp_path / "short.txt")] + args[5:]) == 1
