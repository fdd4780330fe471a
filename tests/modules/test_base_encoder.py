import json

import pytest

from langzoo.errors import BaseModelNotAvailableError, UnknownLanguageError
from langzoo.languages import resolve_language
from langzoo.modules.base_encoder import KNOWN_PROFILES, EncodingProfile, profile_from_sentence_transformers, resolve_base


def test_uncached_hub_base_offline_fails_with_instructions(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(BaseModelNotAvailableError, match="huggingface-cli download"):
        resolve_base("someone/not-a-cached-model")


def test_folder_without_config_is_not_a_base(tmp_path):
    with pytest.raises(BaseModelNotAvailableError, match="no config.json"):
        resolve_base(str(tmp_path))
    with pytest.raises(BaseModelNotAvailableError, match="neither a local model folder"):
        resolve_base("no-such-thing")


def test_local_base_has_profile_and_stable_fingerprint(tiny_base):
    base = resolve_base(str(tiny_base))
    assert base.profile.prefix == "query: " and base.profile.pooling == "mean"
    from langzoo.modules.hashing import fingerprint_state_dict

    recomputed = fingerprint_state_dict(base.load_model().state_dict(), base.load_tokenizer().get_vocab())
    assert recomputed == base.fingerprint


def test_fingerprint_changes_with_any_weight(tiny_base):
    import torch

    from langzoo.modules.hashing import fingerprint_state_dict

    base = resolve_base(str(tiny_base))
    sd = base.load_model().state_dict()
    vocab = base.load_tokenizer().get_vocab()
    before = fingerprint_state_dict(sd, vocab)
    key = next(iter(sd))
    sd[key] = sd[key].clone()
    sd[key].view(-1)[0] += torch.tensor(1e-3, dtype=sd[key].dtype)
    assert fingerprint_state_dict(sd, vocab) != before


def test_sentence_transformers_folder_profile(tmp_path):
    (tmp_path / "1_Pooling").mkdir()
    (tmp_path / "2_Dense").mkdir()
    (tmp_path / "modules.json").write_text(json.dumps([
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Dense", "type": "sentence_transformers.models.Dense"},
        {"idx": 3, "name": "3", "path": "3_Normalize", "type": "sentence_transformers.models.Normalize"}]))
    (tmp_path / "1_Pooling" / "config.json").write_text(json.dumps({"pooling_mode_cls_token": True}))
    (tmp_path / "2_Dense" / "config.json").write_text(json.dumps({"activation_function": "torch.nn.modules.activation.Tanh"}))
    (tmp_path / "sentence_bert_config.json").write_text(json.dumps({"max_seq_length": 256}))
    assert profile_from_sentence_transformers(tmp_path) == KNOWN_PROFILES["sentence-transformers/LaBSE"]
    with pytest.raises(ValueError):
        EncodingProfile(pooling="max")


def test_language_codes():
    assert resolve_language("uz").code == "uzn_Latn"
    assert resolve_language("uzb").alias == "uz"
    assert resolve_language("kaz_Cyrl").alias == "kk"
    assert resolve_language("xyz_Latn").code == "xyz_Latn"  # unknown but well-formed
    with pytest.raises(UnknownLanguageError):
        resolve_language("klingon")
    with pytest.raises(UnknownLanguageError):
        resolve_language("")
