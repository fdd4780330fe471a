"""Hyper-parameter profiles of `zoo build`.

``paper`` reproduces the settings of Huang et al. (ACL 2025); ``demo`` is a small,
CPU-friendly build (2 cores, offline base, harvested UI strings) that regularises
every stage toward the frozen base, because short UI strings are a narrow domain:
a probe showed that a CLA adapter trained with plain alternating MNRL/cosine batches
on en–uz UI pairs raised in-domain alignment but cost ~10 points of cross-lingual
STS and ~5 of monolingual STS on real sentences.

A profile is a nested dict; ``--set la.steps=500`` style overrides change any leaf.
"""

from __future__ import annotations

import copy

import yaml

from langzoo.recipes.errors import RecipeError

_LORA = {"r": 8, "alpha": 16, "dropout": 0.1}

PAPER: dict = {
    "seed": 42,
    "device": "auto",  # cuda when available, else cpu
    "bf16": True,  # autocast on GPU (ignored on CPU)
    "dev_size": 500,  # held-out translation pairs for measuring every stage
    "test_size": 500,
    "max_seq_length": 128,
    # with data.real_dev (en-L real sentences): a checkpoint is kept only if it is not worse
    # than its stage's step 0 there by more than these (recipes/real_dev.py)
    # measured on whole sentences (max_seq_length tokens), whatever the training length
    "real_dev": {"ranking_tolerance": 0.0, "error_tolerance": 0.0, "offset_tolerance": 0.01, "max_seq_length": 128},
    "tokenizer": {"method": "train", "vocab_size": 50000, "max_sentences": 10_000_000, "keep_base_max_ratio": 1.4},
    "focus": {"fasttext_dim": 300, "fasttext_epochs": 3, "fasttext_min_count": 3, "fasttext_bucket": 200_000,
              "max_sentences": 10_000_000},
    "la": {"steps": 200_000, "batch_size": 128, "lr": 1e-4, "warmup": 0.05, "mask_prob": 0.15,
           "lora": {**_LORA, "targets": ["query", "key", "value"]}, "train_embeddings": True,
           "eval_every": 5000, "patience": 0},
    "se": {"objective": "auto", "epochs": 1, "steps": 0, "batch_size": 128, "lr": 2e-5, "warmup": 0.1,
           "scale": 20.0, "lora": {**_LORA, "targets": ["query", "key", "value", "dense"]},
           "distill": {"en_weight": 1.0, "l_weight": 1.0, "structure_weight": 0.0, "cross_weight": 0.0,
                       "contrastive_weight": 0.0},
           "eval_every": 0, "patience": 0},
    "cla": {"objective": "alternate", "epochs": 1, "steps": 0, "batch_size": 256, "lr": 2e-5, "warmup": 0.1,
            "scale": 20.0, "adapter": {},  # adapters.ParBnConfig defaults
            "distill": {"structure_weight": 0.0, "cross_weight": 0.0, "contrastive_weight": 0.0,
                        "structure_reference": "below"},
            "use_english_se": True, "eval_every": 0, "patience": 0},
    "english_se": {"objective": "auto", "epochs": 1, "steps": 0, "batch_size": 128, "lr": 2e-5, "warmup": 0.1,
                   "scale": 20.0, "lora": {**_LORA, "targets": ["query", "key", "value", "dense"]},
                   "distill": {"en_weight": 1.0, "l_weight": 0.0, "structure_weight": 0.0, "contrastive_weight": 0.0},
                   "eval_every": 0, "patience": 0},
}

# Demo: whole uz build <= 20 min on 2 CPU cores. Small vocabulary, short sequences,
# few steps, small learning rates, distillation toward the frozen base, early stopping.
DEMO: dict = copy.deepcopy(PAPER)
DEMO.update({
    "bf16": False,
    "dev_size": 200,
    "test_size": 200,
    "max_seq_length": 32,
    # auto (stages/tokenizer.py: choose_method): keep the base's vocabulary when it already
    # segments L about as compactly as English (pieces-per-word ratio <= keep_base_max_ratio);
    # else trim the base's own unigram pieces that L uses, or train a new WordPiece vocabulary.
    "tokenizer": {"method": "auto", "vocab_size": 8000, "max_sentences": 200_000, "keep_base_max_ratio": 1.4},
    "focus": {"fasttext_dim": 100, "fasttext_epochs": 5, "fasttext_min_count": 1, "fasttext_bucket": 100_000,
              "max_sentences": 200_000},
})
# patience 2: on the base vocabulary, MLM on UI strings lost on real sentences at every
# checkpoint (uz FLORES dev: bitext error 2.5 -> 4.0-7.6 %, ranking 0.502 -> 0.45-0.48), so
# the guard keeps la at identity; stopping after two refused checkpoints saves half the stage.
DEMO["la"].update({"steps": 200, "batch_size": 16, "lr": 5e-4, "eval_every": 50, "patience": 2})
# SE: measured on uz, 150 steps at lr 2e-4 -> dev retrieval 0.18->0.335; 400 steps at 5e-4 (early
# stopping, best at 250) -> 0.40. ~1 step/s on 2 idle cores.
# cross_weight (nl, es builds guarded by FLORES dev; Mod_m / Mod_mc): without it SICK en/nl/pl
# language bias 5.88 / 5.56 and STS17 es-es 86.30 / 85.20 (base 85.70); at 10: 4.83 / 4.89 and
# 86.47 / 85.22; at 50: 4.15 / 4.52 and 86.59 / 86.08 (base bias 1.51); with a pl pack too, 1.78 / 1.25.
# en_structure_weight (uz on the base vocabulary, FLORES dev whole sentences, base -> pack): at 0 the
# L-L ranking fell 68.29 -> 67.60 while L-en ranking rose 66.6 -> 77.4; at 50, 68.29 -> 68.65 and
# 66.6 -> 78.4 (uz STS is poorer than the base's English STS, so uz-uz is pulled toward en-en).
DEMO["se"].update({"objective": "auto", "steps": 400, "epochs": 0, "batch_size": 16, "lr": 5e-4,
                   "distill": {"en_weight": 1.0, "l_weight": 1.0, "structure_weight": 1.0, "en_structure_weight": 50.0,
                               "cross_weight": 50.0, "contrastive_weight": 0.0},
                   "eval_every": 50, "patience": 2})
DEMO["cla"].update({"objective": "distill", "steps": 100, "epochs": 0, "batch_size": 16, "lr": 5e-5,
                    "distill": {"structure_weight": 10.0, "cross_weight": 50.0, "contrastive_weight": 0.1,
                                "structure_reference": "below"},
                    "eval_every": 25, "patience": 2})
# English offline has no paraphrases: its SE self-distils toward the base, whose optimum
# is the base itself, so dev selection may keep step 0 (measured: 20 unselected steps moved
# STS17 en-en 86.56 -> 86.54 and Tatoeba fra 7.50 -> 7.65 % through the English side).
DEMO["english_se"].update({"objective": "auto", "steps": 20, "epochs": 0, "batch_size": 16, "lr": 2e-5,
                           "eval_every": 5, "patience": 2})

PROFILES: dict[str, dict] = {"paper": PAPER, "demo": DEMO}


def get_profile(name: str) -> dict:
    """A deep copy of a named profile."""
    if name not in PROFILES:
        raise RecipeError(f"Unknown profile {name!r}; choose one of {sorted(PROFILES)}")
    return copy.deepcopy(PROFILES[name])


def deep_merge(base: dict, update: dict) -> dict:
    """Recursively merge ``update`` into a copy of ``base``."""
    out = copy.deepcopy(base)
    for key, value in (update or {}).items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def parse_override(text: str) -> tuple[list[str], object]:
    """``la.steps=500`` -> (["la", "steps"], 500); values are parsed as YAML scalars/lists."""
    if "=" not in text:
        raise RecipeError(f"Override {text!r} must look like key.path=value (e.g. la.steps=500)")
    key, raw = text.split("=", 1)
    path = [p for p in key.strip().split(".") if p]
    if not path:
        raise RecipeError(f"Override {text!r} has an empty key")
    try:
        value = yaml.safe_load(raw) if raw.strip() else ""
    except yaml.YAMLError as exc:
        raise RecipeError(f"Override {text!r}: value is not valid YAML ({exc})") from exc
    if isinstance(value, str):  # YAML 1.1 reads "5e-4" as a string; numbers are meant
        try:
            value = float(value) if any(c in value for c in ".eE") else int(value)
        except ValueError:
            pass
    return path, value


def apply_overrides(config: dict, overrides: list[str] | None, *, allow_new: tuple[str, ...] = ("data", "english")) -> dict:
    """Apply ``--set`` overrides. Unknown keys are refused (typos would silently do nothing):
    a key is known when the config has it or a settings class declares it (a stage's config
    class, :class:`~langzoo.recipes.build_settings.BuildSettings`); below ``allow_new``
    sections (data sources may be added freely) any key goes."""
    out = copy.deepcopy(config)
    for item in overrides or []:
        path, value = parse_override(item)
        node = out
        for i, part in enumerate(path[:-1]):
            if not isinstance(node, dict):
                raise RecipeError(f"Override {item!r}: {'.'.join(path[:i])} is not a section")
            if part not in node or (node[part] is None and path[0] in allow_new):
                if path[0] in allow_new or _declared(path[:i]).get(part) == "section":
                    node[part] = {}
                else:
                    raise RecipeError(f"Override {item!r}: unknown section {'.'.join(path[:i + 1])!r}")
            node = node[part]
        if not isinstance(node, dict):
            raise RecipeError(f"Override {item!r}: {'.'.join(path[:-1])} is not a section")
        leaf, declared = path[-1], _declared(path[:-1])
        if leaf not in node and path[0] not in allow_new and declared.get(leaf) != "value":
            known = ", ".join(sorted({*node, *declared}))
            raise RecipeError(f"Override {item!r}: unknown key {leaf!r} (known here: {known})")
        node[leaf] = _like_default(item, node.get(leaf), value)
    return out


def _declared(path: list[str]) -> dict[str, str]:
    """``{key: "value" | "section"}`` the settings classes declare at a config ``path``
    (``[]``: the top level, ``["se", "distill"]``: a stage's nested section)."""
    from langzoo.recipes.build_settings import BuildSettings
    from langzoo.recipes.stages.descriptor import config_classes  # late: stage modules pull in torch

    sections = config_classes()
    if not path:
        return {**BuildSettings.keys(), **{name: "section" for name in sections}}
    cls = sections.get(path[0]) or BuildSettings.section_class(path[0])
    for part in path[1:]:
        cls = cls.section_class(part) if cls else None
    return cls.keys() if cls else {}


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _like_default(item: str, default, value):
    """Give a numeric override the type of the value it replaces. ``--set x=50`` parses to
    the int 50; left as is next to a profile's 50.0 it would change the stage's cache key
    and rebuild a stage whose settings did not change."""
    if _is_number(default) and isinstance(value, str):
        raise RecipeError(f"Override {item!r}: expects a number (the default is {default!r})")
    if not (_is_number(default) and _is_number(value)):
        return value
    if isinstance(default, float):
        return float(value)
    if isinstance(value, float):
        if not value.is_integer():
            raise RecipeError(f"Override {item!r}: expects a whole number (the default is {default!r})")
        return int(value)
    return value
