"""Up-front checks of a build config's settings (profile + recipe tweaks + ``--set``).

A wrong value must stop the build before the first stage runs, with the key and what
it expects: ``la.steps=-5`` or ``la.batch_size=0`` used to "build" a pack, and
``la.lora=5`` or ``tokenizer.method=bogus`` failed only when their stage ran, maybe an
hour later. Only the keys listed in ``RULES`` are checked; keys this module does not
know (new profile options) pass through untouched.
"""

from __future__ import annotations

import math

from langzoo.recipes.errors import RecipeError

TOKENIZER_METHODS = ("train", "trim", "base", "auto")
SE_OBJECTIVES = ("auto", "mnrl", "distill")
CLA_OBJECTIVES = ("alternate", "distill")


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_real(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def integer(minimum: int):
    def check(v):
        return None if _is_int(v) and v >= minimum else f"a whole number >= {minimum}"
    return check


def real(minimum: float = 0.0, maximum: float = math.inf, *, above: bool = False):
    """A finite number in [minimum, maximum] (``above``: strictly more than minimum)."""
    def check(v):
        ok = _is_real(v) and (v > minimum if above else v >= minimum) and v <= maximum
        low = f"> {minimum}" if above else f">= {minimum}"
        return None if ok else f"a finite number {low}" + (f" and <= {maximum}" if maximum != math.inf else "")
    return check


def boolean(v):
    return None if isinstance(v, bool) else "true or false"


def one_of(*choices: str):
    def check(v):
        return None if v in choices else f"one of {', '.join(choices)}"
    return check


def section(v):
    return None if isinstance(v, dict) else "a section (key: value pairs), e.g. la.lora.r=8"


def str_list(v):
    return None if isinstance(v, list) and v and all(isinstance(x, str) and x for x in v) else \
        "a non-empty list of module names, e.g. [query,key,value]"


def device(v):
    if not isinstance(v, str) or not v:
        return "auto, cpu, cuda, cuda:N or mps"
    if v == "auto":
        return None
    import torch

    try:
        torch.device(v)
    except (RuntimeError, ValueError):
        return "a device torch knows: auto, cpu, cuda, cuda:N or mps"
    return None


_LORA = {"": section, "r": integer(1), "alpha": real(0, above=True), "dropout": real(0, 1),
         "targets": str_list}
_TRAIN = {"": section, "steps": integer(0), "epochs": real(0), "batch_size": integer(1),
          "lr": real(0), "warmup": real(0, 1), "scale": real(0, above=True),
          "eval_every": integer(0), "patience": integer(0), "lora": _LORA, "distill": {"": section}}
_WEIGHTS = {k: real(0) for k in ("en_weight", "l_weight", "structure_weight", "en_structure_weight",
                                         "cross_weight", "contrastive_weight")}

# key -> checker, or a nested dict of them ("" checks the section itself)
RULES: dict = {
    "seed": integer(0),
    "device": device,
    "bf16": boolean,
    "dev_size": integer(0),
    "test_size": integer(0),
    "max_seq_length": integer(4),  # room for [CLS], [SEP] and a prefix token or two
    "real_dev": {"": section, "ranking_tolerance": real(0), "error_tolerance": real(0),
                 "offset_tolerance": real(0), "max_seq_length": integer(4)},
    "tokenizer": {"": section, "method": one_of(*TOKENIZER_METHODS), "vocab_size": integer(1),
                  "max_sentences": integer(1), "keep_base_max_ratio": real(0, above=True)},
    "focus": {"": section, "fasttext_dim": integer(1), "fasttext_epochs": integer(1),
              "fasttext_min_count": integer(1), "fasttext_bucket": integer(0), "max_sentences": integer(1)},
    "la": {**_TRAIN, "mask_prob": real(0, 1, above=True), "train_embeddings": boolean},
    "se": {**_TRAIN, "objective": one_of(*SE_OBJECTIVES), "distill": {"": section, **_WEIGHTS}},
    "cla": {**_TRAIN, "objective": one_of(*CLA_OBJECTIVES), "adapter": section, "use_english_se": boolean,
            "distill": {"": section, **_WEIGHTS, "structure_reference": one_of("below", "base")}},
    "english_se": {**_TRAIN, "objective": one_of(*SE_OBJECTIVES), "distill": {"": section, **_WEIGHTS}},
}


def problems(config: dict, rules: dict = RULES, prefix: str = "") -> list[str]:
    """Every known setting of ``config`` that has a wrong type or value, as readable lines."""
    out = []
    for key, rule in rules.items():
        if key == "" or key not in config:
            continue
        value, name = config[key], f"{prefix}{key}"
        check = rule.get("") if isinstance(rule, dict) else rule
        why = check(value) if check else None
        if why:
            out.append(f"{name}={value!r}: expected {why}")
        elif isinstance(rule, dict) and isinstance(value, dict):
            out += problems(value, rule, f"{name}.")
    return out


def validate_config(config: dict) -> dict:
    """Raise a RecipeError listing every bad setting (nothing is run); return ``config``."""
    bad = problems(config)
    if bad:
        raise RecipeError("Invalid build settings (fix the profile, the recipe or the --set value):\n  "
                          + "\n  ".join(bad))
    return config
