"""tokenizer.method=trim: the base's own unigram pieces that L text uses."""

import pytest

from langzoo.recipes.errors import RecipeDataError
from langzoo.recipes.stages.tokenizer import trim_tokenizer
from tiny import CORPUS


@pytest.fixture(scope="module")
def unigram_base():
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors, trainers
    from transformers import XLMRobertaTokenizerFast

    tok = Tokenizer(models.Unigram())
    tok.normalizer = normalizers.NFKC()
    tok.pre_tokenizer = pre_tokenizers.Metaspace()
    texts = [t for lang in CORPUS.values() for t in lang] * 5 + ["query: x"]
    tok.train_from_iterator(texts, trainers.UnigramTrainer(vocab_size=200, unk_token="<unk>",
                                                           special_tokens=["<s>", "<pad>", "</s>", "<unk>"]))
    tok.add_special_tokens(["<mask>"])
    tok.post_processor = processors.TemplateProcessing(single="<s> $A </s>", special_tokens=[("<s>", 0), ("</s>", 2)])
    return XLMRobertaTokenizerFast(tokenizer_object=tok, bos_token="<s>", eos_token="</s>", sep_token="</s>",
                                   cls_token="<s>", unk_token="<unk>", pad_token="<pad>", mask_token="<mask>")


def test_trimmed_tokenizer_segments_l_text_like_the_base(unigram_base):
    texts = CORPUS["uz"]
    trimmed = trim_tokenizer(unigram_base, texts, 1000, prefix="query: ")
    assert len(trimmed) < len(unigram_base)  # only what uz text uses
    capped = trim_tokenizer(unigram_base, texts, len(trimmed) - 10, prefix="query: ")
    assert len(capped) <= len(trimmed) - 10  # the least frequent pieces go first (characters always stay)
    for text in texts:
        assert trimmed.tokenize("query: " + text) == unigram_base.tokenize("query: " + text)
    for name in ("bos_token", "eos_token", "pad_token", "unk_token"):
        token = getattr(unigram_base, name)
        assert trimmed.convert_tokens_to_ids(token) == unigram_base.convert_tokens_to_ids(token)
    assert set(trimmed.get_vocab()) <= set(unigram_base.get_vocab())
    # an unseen word made of seen characters still avoids <unk>
    ids = trimmed("query: mushuk yuguradi")["input_ids"]
    assert trimmed.unk_token_id not in ids


def test_trim_needs_a_unigram_base(tiny_base):
    from langzoo.modules.base_encoder import resolve_base

    with pytest.raises(RecipeDataError, match="unigram"):
        trim_tokenizer(resolve_base(str(tiny_base)).load_tokenizer(), CORPUS["uz"], 50)
