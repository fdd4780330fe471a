import json
import os

import pytest

os.environ.setdefault("OMP_NUM_THREADS", "1")

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")


@pytest.fixture(scope="module")
def tiny_mt():
    """A random M2M100-style model and a word-level tokenizer with NLLB language tokens."""
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import M2M100Config, M2M100ForConditionalGeneration, PreTrainedTokenizerFast

    torch.manual_seed(0)
    words = ["open", "the", "file", "save", "close", "window", "a", "b", "c", "now"]
    vocab = {t: i for i, t in enumerate(["<s>", "<pad>", "</s>", "<unk>", "eng_Latn", "uzn_Latn", *words])}
    tk = Tokenizer(models.WordLevel(vocab=vocab, unk_token="<unk>"))
    tk.pre_tokenizer = pre_tokenizers.Whitespace()
    tok = PreTrainedTokenizerFast(tokenizer_object=tk, bos_token="<s>", eos_token="</s>", pad_token="<pad>",
                                  unk_token="<unk>", additional_special_tokens=["eng_Latn", "uzn_Latn"])
    cfg = M2M100Config(vocab_size=len(vocab), d_model=16, encoder_layers=1, decoder_layers=1,
                       encoder_attention_heads=2, decoder_attention_heads=2, encoder_ffn_dim=32,
                       decoder_ffn_dim=32, max_position_embeddings=64, pad_token_id=1, bos_token_id=0,
                       eos_token_id=2, decoder_start_token_id=2)
    model = M2M100ForConditionalGeneration(cfg).eval()
    return model, tok


def test_synthesis_batches_and_resumes(tmp_path, tiny_mt):
    from langzoo.data import synthesize_paraphrases

    model, tok = tiny_mt
    pairs = [(f"open the file {w}", f"save the file {w}") for w in ["a", "b", "c", "now", "window"]]
    out = tmp_path / "mt.jsonl"
    calls = []
    orig = model.generate

    def counting_generate(*a, **k):
        calls.append(k["input_ids"].shape[0])
        assert k["forced_bos_token_id"] == tok.convert_tokens_to_ids("uzn_Latn")
        return orig(*a, max_length=None, **{**k, "max_new_tokens": 4})

    model.generate = counting_generate
    try:
        synthesize_paraphrases(pairs, out, model, tok, lang="uz", batch_size=2, max_batches=1, progress=False)
        rows = [json.loads(l) for l in out.read_text().splitlines()]
        assert [r["idx"] for r in rows] == [0, 1] and calls == [4]  # both sides of 2 pairs in one call
        with open(out, "a") as f:
            f.write('{"idx": 2, "en1": "trunc')  # an interrupted write
        synthesize_paraphrases(pairs, out, model, tok, lang="uz", batch_size=2, progress=False)
    finally:
        model.generate = orig
    rows = [json.loads(l) for l in out.read_text().splitlines() if l.startswith('{"idx"') and l.endswith("}")]
    assert sorted(r["idx"] for r in rows) == [0, 1, 2, 3, 4]
    assert calls == [4, 4, 2]
    assert all(isinstance(r["l1"], str) and r["en1"] == pairs[r["idx"]][0] for r in rows)


def test_missing_language_token(tiny_mt):
    from langzoo.data import MTModelError
    from langzoo.data.mt import translate_texts

    model, tok = tiny_mt
    with pytest.raises(MTModelError, match="kaz_Cyrl"):
        translate_texts(["open"], model, tok, tgt_code="kaz_Cyrl")


def test_load_model_error_message(tmp_path):
    from langzoo.data import MTModelError, load_mt_model

    with pytest.raises(MTModelError, match="local folder"):
        load_mt_model(tmp_path / "no-model")
