"""Runner, cache and reports with fake encoders."""

import json

import numpy as np
import pytest

from langzoo.evaluation.catalog import load_suite
from langzoo.evaluation.errors import EncoderOutputError, EvaluationError
from langzoo.evaluation.report import score_rows, to_markdown, write_reports
from langzoo.evaluation.runner import run_evaluation

from .fakes import FakeEncoder, FakeSTEncoder
from .test_loaders import make_dev

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture()
def dev(tmp_path):
    return make_dev(tmp_path / "dev")


def test_run_all_tasks_two_encoders_and_reports(dev, tmp_path):
    tasks = load_suite("dev", dev)
    # "good" knows the Tatoeba translations are the same sentence; "st" is random
    same = {"Hallo.": [1, 0, 0], "Hello.": [1, 0, 0.1], "Dank je.": [0, 1, 0], "Thanks.": [0, 1, 0.1],
            "Goed.": [0, 0, 1], "Good.": [0.1, 0, 1]}
    good = FakeEncoder({k: v + [0.0] * 13 for k, v in same.items()})
    st = FakeSTEncoder(cache_key="st")
    result = run_evaluation(tasks, {"good": good, "st": st}, cache_dir=tmp_path / "cache", show_progress=False)
    assert result.errors == {}
    assert set(result.scores) == {"good", "st"}
    assert all(set(per) == {t.name for t in tasks} for per in result.scores.values())
    assert result.scores["good"]["tatoeba-nld"].main == {"error": 0.0}
    # the lang-aware encoder got one canonical code per text, the ST-like one none
    for texts, lang in good.calls:
        assert lang is not None and len(lang) == len(texts) and len(set(lang)) == 1 and "_" in lang[0]
    assert all(lang is None for _, lang in st.calls)
    sick_x = result.scores["good"]["sick-x"].main
    assert {"en-en", "nl-nl", "pl-pl", "cross avg", "pooled", "bias"} <= set(sick_x)
    assert sick_x["bias"] == pytest.approx(sick_x["cross avg"] - sick_x["pooled"])
    assert set(result.scores["good"]["sick-x"].details["cross"]) == {"en-nl", "en-pl", "nl-en", "nl-pl", "pl-en",
                                                                     "pl-nl"}
    cls = result.scores["st"]["sib-topic"].main
    assert {"mono avg", "zs avg", "mono:en", "mono:fr", "zs:fr"} == set(cls)

    paths = write_reports(result, tmp_path / "out")
    data = json.loads(paths["json"].read_text())
    assert data["configs"] == ["good", "st"]
    for config in ("good", "st"):
        for task in tasks:
            main = data["scores"][config][task.name]["main"]
            want = result.scores[config][task.name].main
            assert main.keys() == want.keys()
            for k, v in want.items():
                assert (main[k] is None and np.isnan(v)) or main[k] == pytest.approx(v)
    assert {t["name"]: t["n_items"] for t in data["tasks"]}["sick-x"] == 2  # ids shared by NL and PL
    md = paths["markdown"].read_text()
    assert md.splitlines()[0] == "| task | score | metric | n | good | st |"
    assert "| tatoeba-nld | error | error % ↓ | 3 | **0.00** |" in md  # best (lowest) in bold
    png = paths["png"].read_bytes()
    assert png[:8] == PNG_MAGIC and len(png) > 2000


def test_second_run_reuses_cache(dev, tmp_path):
    cache = tmp_path / "cache"
    first = FakeEncoder()
    r1 = run_evaluation(load_suite("dev", dev, tasks=["sts17-en-en"]), {"m": first}, cache_dir=cache,
                        show_progress=False)
    seen = {(t, lang[0]) for texts, lang in first.calls for t in texts}
    assert len(seen) == 6 and r1.timing["m"]["texts_encoded"] == 6

    second = FakeEncoder()
    r2 = run_evaluation(load_suite("dev", dev, tasks=["sts17-en-en", "tatoeba-nld"]), {"m": second},
                        cache_dir=cache, show_progress=False)
    again = {(t, lang[0]) for texts, lang in second.calls for t in texts}
    assert again and not (again & seen)  # only the new task's texts were encoded
    assert r2.timing["m"]["texts_cached"] == 6
    assert r2.scores["m"]["sts17-en-en"].main == r1.scores["m"]["sts17-en-en"].main

    third = FakeEncoder()
    run_evaluation(load_suite("dev", dev, tasks=["sts17-en-en", "tatoeba-nld"]), {"m": third}, cache_dir=cache,
                   show_progress=False)
    assert third.calls == []

    changed = FakeEncoder(cache_key="fake-v2")  # another configuration under the same name
    run_evaluation(load_suite("dev", dev, tasks=["sts17-en-en"]), {"m": changed}, cache_dir=cache,
                   show_progress=False)
    assert changed.calls


def test_runner_without_cache_and_bad_inputs(dev, tmp_path):
    tasks = load_suite("dev", dev, tasks=["str24"])
    enc = FakeEncoder()
    result = run_evaluation(tasks, {"m": enc}, cache_dir=None, show_progress=False)
    assert "spearman" in result.scores["m"]["str24-eng"].main
    assert not list(tmp_path.glob("**/*.npy"))
    with pytest.raises(EvaluationError, match="no encoders"):
        run_evaluation(tasks, {}, show_progress=False)

    class Broken(FakeEncoder):
        def encode(self, texts, **kw):
            return np.zeros((len(texts) + 1, 4))

    with pytest.raises(EncoderOutputError, match="expected \\[n_texts, dim\\]"):
        run_evaluation(tasks, {"b": Broken()}, show_progress=False)


def test_failed_metric_is_reported_not_fatal(dev):
    tasks = load_suite("dev", dev, tasks=["str24", "sts17-en-en"])

    class Constant(FakeEncoder):
        def encode(self, texts, **kw):
            return np.ones((len(texts), 4))

    result = run_evaluation(tasks, {"c": Constant()}, show_progress=False)
    rows = score_rows(result)
    assert all(np.isnan(r["values"]["c"]) for r in rows)  # constant cosine -> undefined Spearman
    assert "nan" in to_markdown(result)


class _RoutingFake(FakeEncoder):
    """A zoo-like encoder: languages without a pack share the bare base's namespace."""

    def __init__(self, packs, **kw):
        super().__init__(**kw)
        self.packs = set(packs)

    def cache_key_for(self, lang):
        return self.cache_key if lang in self.packs else "bare-base"  # lang: canonical code


@pytest.mark.parametrize("use_cache_dir", [True, False])
def test_configurations_share_texts_routed_to_the_bare_base(dev, tmp_path, use_cache_dir):
    tasks = load_suite("dev", dev, tasks=["sts17-en-en", "tatoeba-nld"])
    base = _RoutingFake([], cache_key="base")
    mod = _RoutingFake(["nld_Latn"], cache_key="mod")
    result = run_evaluation(tasks, {"base": base, "mod": mod}, cache_dir=tmp_path / "c" if use_cache_dir else None,
                            show_progress=False)
    assert {lang[0] for _, lang in base.calls} == {"eng_Latn", "nld_Latn"}
    assert {lang[0] for _, lang in mod.calls} == {"nld_Latn"}  # English vectors came from the shared store
    assert result.timing["mod"]["texts_cached"] > 0
    assert result.scores["mod"]["sts17-en-en"].main == result.scores["base"]["sts17-en-en"].main


def test_interrupted_encode_pass_keeps_finished_chunks(dev, tmp_path, monkeypatch):
    import langzoo.evaluation.runner as runner

    monkeypatch.setattr(runner, "ENCODE_CHUNK", 2)
    tasks = load_suite("dev", dev)

    class Dies(FakeEncoder):
        def encode(self, texts, lang=None, **kw):
            if len(self.calls) == 3:
                raise KeyboardInterrupt  # Ctrl-C in the middle of the pass
            return super().encode(texts, lang, **kw)

    dying = Dies()
    with pytest.raises(KeyboardInterrupt):
        run_evaluation(tasks, {"fake": dying}, cache_dir=tmp_path / "cache", show_progress=False)
    done = {t for texts, _ in dying.calls for t in texts}
    assert len(done) >= 5  # three chunks of two texts (shared texts counted once)
    again = FakeEncoder()
    result = run_evaluation(tasks, {"fake": again}, cache_dir=tmp_path / "cache", show_progress=False)
    assert result.errors == {}
    redone = [t for texts, _ in again.calls for t in texts]
    assert redone and not done & set(redone)  # only what the first run had not finished
