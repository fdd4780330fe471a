"""Issue 16, case 25: the README's "Using it" snippet runs as written and its stated
outputs are what the code returns (tiny packs, the shipped offline default detector)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

README = Path(__file__).resolve().parents[2] / "README.md"


def _using_it() -> str:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Using it"):]
    section = section[:section.index("\n## ", 5)]
    return section


def test_case25_using_it_snippet_runs_and_says_what_it_returns(tiny_base, tiny_packs, monkeypatch):
    import langzoo
    from langzoo.modules.composer import ComposedEncoder
    from langzoo.runtime.zoo import Zoo

    section = _using_it()
    [code] = re.findall(r"```python\n(.*?)```", section, re.S)
    packs = {"uzn_Latn": tiny_packs["uz"], "kaz_Cyrl": tiny_packs["kk"], "eng_Latn": tiny_packs["en"]}
    monkeypatch.setattr(Zoo, "load", classmethod(lambda cls, *a, **k: cls(ComposedEncoder(str(tiny_base)), packs)))
    assert langzoo.Zoo is Zoo
    scope: dict = {}
    exec(compile(code, str(README), "exec"), scope)  # every name is defined before it is used
    zoo, texts, vectors = scope["zoo"], scope["texts"], scope["vectors"]
    assert vectors.shape == (len(texts), 32) and np.isfinite(vectors).all()
    got = zoo.detect(texts)
    assert [(d.lang, d.raw_label, d.reason) for d in got] == [
        ("uzn_Latn", "__label__uzn_Latn", "ok"), ("eng_Latn", "__label__eng_Latn", "ok")]
    assert f"confidence={str(got[0].confidence)[:5]}..." in code
    short = zoo.detect("Bugun havo juda yaxshi.")  # issue 15: the short example goes to uz
    assert (short.lang, short.reason) == ("uzn_Latn", "ok")
    assert f"lang='uzn_Latn', confidence={str(short.confidence)[:5]}..." in code
    [az] = zoo.explain(["Bu gün hava çox yaxşıdır."])
    assert (az["lang"], az["reason"], az["route"]) == (None, "other", None)
    assert "lang=None, reason='other', route=None" in code
    [cyrillic] = zoo.explain(["Бугун ҳаво жуда яхши."])
    assert (cyrillic["lang"], cyrillic["route"]) == ("uzn_Cyrl", "uzn_Latn")
    assert "lang='uzn_Cyrl', route='uzn_Latn'" in code


def test_case25_readme_bad_input_paragraph_lists_the_behaviours():
    section = _using_it()
    assert "Never an exception" not in section
    for phrase in ("**Bad input.**", "InvalidInputError", "UnknownLanguageError", "lone surrogates",
                   "normalize_embeddings=False", "truncate_dim", "prompt", "not UTF-8", "LangzooWarning"):
        assert phrase in section, phrase
    table_row = next(line for line in README.read_text(encoding="utf-8").splitlines() if line.startswith("| `embeddings`"))
    assert "base's vocabulary kept" in table_row
