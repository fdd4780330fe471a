"""Per-language build pipeline: data -> tokenizer + FOCUS -> LA -> SE -> CLA.

    from langzoo.recipes import build
    result = build("uz", profile="demo", overrides=["la.steps=100"])
"""

from langzoo.recipes.errors import RecipeDataError, RecipeError, StageFailedError
from langzoo.recipes.profiles import PROFILES, apply_overrides, get_profile
from langzoo.recipes.spec import available_specs, build_config, load_spec


def build(*args, **kwargs):
    """See :func:`langzoo.recipes.runner.build` (imported lazily: it pulls in torch)."""
    from langzoo.recipes.runner import build as _build

    return _build(*args, **kwargs)


__all__ = ["PROFILES", "RecipeDataError", "RecipeError", "StageFailedError", "apply_overrides",
           "available_specs", "build", "build_config", "get_profile", "load_spec"]
