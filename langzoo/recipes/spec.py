"""Recipe specs: per-language YAML files (``langzoo/recipes/specs/<alias>.yaml``)
that declare the data source of each stage, merged with a profile and with
``--set`` overrides into one build config."""

from __future__ import annotations

import copy
from importlib import resources
from pathlib import Path

import yaml

from langzoo.languages import resolve_language
from langzoo.recipes.errors import RecipeError
from langzoo.recipes.profiles import apply_overrides, deep_merge, get_profile
from langzoo.recipes.validate import validate_config

DATA_KEYS = ("translation", "monolingual", "paraphrase", "en_paraphrase", "real_dev")
# Every build is checked on real sentences unless the recipe says `real_dev: null`: the
# shipped FLORES dev set of L when there is one (languages without one get no guard).
DEFAULT_REAL_DEV = {"kind": "flores-dev"}


def specs_dir() -> Path:
    return Path(str(resources.files("langzoo.recipes") / "specs"))


def available_specs() -> list[str]:
    return sorted(p.stem for p in specs_dir().glob("*.yaml"))


def load_spec(lang_or_path: str | Path) -> dict:
    """Load a recipe spec by language (shipped spec) or from a YAML file path."""
    path = Path(str(lang_or_path))
    if not path.suffix in (".yaml", ".yml"):
        alias = resolve_language(str(lang_or_path)).alias
        path = specs_dir() / f"{alias}.yaml"
        if not path.is_file():
            raise RecipeError(
                f"No recipe spec for {lang_or_path!r} (shipped: {', '.join(available_specs())}). "
                f"Write one (copy {specs_dir() / 'uz.yaml'}) and pass --recipe PATH."
            )
    if not path.is_file():
        raise RecipeError(f"Recipe spec {path} does not exist")
    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise RecipeError(f"{path} is not valid YAML: {exc}") from exc
    if not isinstance(spec, dict) or "language" not in spec:
        raise RecipeError(f"{path}: a recipe spec needs a top-level 'language'")
    unknown = set(spec.get("data") or {}) - set(DATA_KEYS)
    if unknown:
        raise RecipeError(f"{path}: unknown data keys {sorted(unknown)}; known: {DATA_KEYS}")
    spec["_path"] = str(path)
    return spec


def build_config(spec: dict, profile: str = "demo", overrides: list[str] | None = None) -> dict:
    """profile <- spec's per-profile tweaks <- spec's data <- ``--set`` overrides."""
    config = get_profile(profile)
    tweaks = copy.deepcopy((spec.get("profiles") or {}).get(profile) or {})
    data_tweaks = tweaks.pop("data", {}) or {}
    config = deep_merge(config, tweaks)
    spec_data = spec.get("data") or {}
    config["data"] = {k: copy.deepcopy(spec_data.get(k)) for k in DATA_KEYS}
    if "real_dev" not in spec_data:
        config["data"]["real_dev"] = dict(DEFAULT_REAL_DEV)
    for key, extra in data_tweaks.items():  # e.g. the demo profile caps sentence length
        if isinstance(config["data"].get(key), dict) and isinstance(extra, dict):
            config["data"][key] = deep_merge(config["data"][key], extra)
    config["english"] = copy.deepcopy(spec.get("english") or {})  # e.g. {data: {...}} for the English pivot
    config["profile"] = profile
    config["language"] = resolve_language(spec["language"]).code
    config["stages"] = list(spec.get("stages") or (["se"] if config["language"] == "eng_Latn"
                                                   else ["tokenizer", "focus", "la", "se", "cla"]))
    return validate_config(apply_overrides(config, overrides))  # bad values stop here, before any stage
