"""Small parts: load_splits, metrics, losses, fastText fallback, tokenizer special ids."""

import pytest
import torch

from langzoo.recipes import losses, metrics
from langzoo.recipes.data import load_splits
from langzoo.recipes.errors import RecipeDataError


def test_load_splits_inline_and_monolingual_excludes_dev():
    cfg = {"translation": {"kind": "inline", "pairs": [[f"e{i}", f"l{i}"] for i in range(60)]}}
    s = load_splits(cfg, lang="uz", dev=10, test=5, seed=0)
    assert len(s.dev) == 10 and not set(s.monolingual) & {p[1] for p in s.dev + s.test}
    assert s.hash_of("dev") != s.hash_of("train")
    with pytest.raises(RecipeDataError, match="two strings"):
        load_splits({"translation": {"kind": "inline", "pairs": [["only one"]]}}, lang="uz", dev=1, test=1, seed=0)


def test_metrics_and_losses():
    eye = torch.eye(4)
    assert metrics.retrieval_accuracy(eye, eye) == 1.0
    assert metrics.bitext_error(eye, eye.flip(0))["error"] == 1.0
    x = torch.nn.functional.normalize(torch.randn(6, 8), dim=-1)
    assert metrics.similarity_ranking(x, x) == pytest.approx(1.0)
    assert float(losses.distance(x, x)) == pytest.approx(0.0, abs=1e-6)
    assert float(losses.structure(x, x)) == pytest.approx(0.0, abs=1e-6)
    assert float(losses.mnrl(x * 5, x)) < float(losses.mnrl(x, x.roll(1, 0)))


def test_fasttext_retries_then_fails_clearly(tmp_path):
    from langzoo.recipes.stages.focus import train_fasttext

    corpus = tmp_path / "c.txt"
    corpus.write_text("")
    with pytest.raises(RecipeDataError, match="fastText training failed"):
        train_fasttext(corpus, tmp_path / "m.bin", dim=8, epochs=1, min_count=1, bucket=1000, threads=1)
    corpus.write_text("a b c d e f g\n" * 30)
    info = train_fasttext(corpus, tmp_path / "m.bin", dim=8, epochs=1, min_count=5, bucket=1000, threads=1)
    assert (tmp_path / "m.bin").is_file() and info["bucket"] == 1000


def test_fasttext_vectors_stay_sane_when_malloc_returns_garbage(tmp_path):
    # fastText initialises only `thread` tenths of its input matrix; the rest is whatever
    # malloc hands back. MALLOC_PERTURB_ makes glibc fill fresh memory with 0xd5 bytes
    # (-2.9e13 as float32), which is what a long test process's freed heap looked like
    # when CI's FOCUS stage failed with "Encountered NaN".
    import os
    import subprocess
    import sys

    corpus = tmp_path / "c.txt"
    corpus.write_text("".join(f"w{i % 37} w{(i * 7) % 41} w{(i * 3) % 29} w{i % 11} w{i % 5}\n" for i in range(120)))
    script = ("import sys, fasttext; from pathlib import Path;"
              "from langzoo.recipes.stages.focus import train_fasttext;"
              "info = train_fasttext(Path(sys.argv[1]), Path(sys.argv[2]), dim=16, epochs=5, min_count=1,"
              " bucket=1000, threads=1);"
              "m = fasttext.load_model(sys.argv[2]); print(abs(m.get_input_matrix()).max(), info['thread'])")
    env = {**os.environ, "MALLOC_PERTURB_": "42"}
    out = subprocess.run([sys.executable, "-c", script, str(corpus), str(tmp_path / "m.bin")], env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    peak, threads = out.stdout.split()
    assert float(peak) < 1.0 and int(threads) >= 11


def test_tokenizer_keeps_base_special_ids(tiny_base):
    from langzoo.modules.base_encoder import resolve_base
    from langzoo.recipes.stages.tokenizer import special_id_map, train_tokenizer

    base_tok = resolve_base(str(tiny_base)).load_tokenizer()
    texts = [f"so'z{i} kitob{i % 7} o'qiydi" for i in range(100)]
    tok = train_tokenizer(base_tok, texts, 120)
    m = special_id_map(base_tok, tok)
    assert m["[PAD]"]["new_id"] == m["[PAD]"]["base_id"] == 0
    assert set(tok.all_special_tokens) == set(base_tok.all_special_tokens)
