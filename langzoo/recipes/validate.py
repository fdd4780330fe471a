"""Up-front checks of a build config's settings (profile + recipe tweaks + ``--set``).

A wrong value must stop the build before the first stage runs, with the key and what
it expects: ``la.steps=-5`` or ``la.batch_size=0`` used to "build" a pack, and
``la.lora=5`` or ``tokenizer.method=bogus`` failed only when their stage ran, maybe an
hour later. The checks are the typed settings classes: :class:`BuildSettings` for the
global keys and each registered stage's config class for its section(s)
(:func:`langzoo.recipes.stages.descriptor.config_classes`). Keys they do not declare
(new profile options) pass through untouched.
"""

from __future__ import annotations

from langzoo.recipes.build_settings import BuildSettings
from langzoo.recipes.errors import RecipeError
from langzoo.recipes.settings import section


def problems(config: dict) -> list[str]:
    """Every known setting of ``config`` that has a wrong type or value, as readable lines."""
    from langzoo.recipes.stages.descriptor import all_stages, config_classes  # late: stage modules pull in torch

    out = BuildSettings.problems(config)
    unknown = [s for s in config.get("stages") or [] if s not in all_stages()]
    if unknown:
        out.append(f"stages={config['stages']!r}: expected stages of {', '.join(all_stages())} (unknown: {unknown})")
    for name, cls in config_classes().items():
        if name not in config:
            continue
        why = section(config[name])
        if why:
            out.append(f"{name}={config[name]!r}: expected {why}")
        else:
            out += cls.problems(config[name], f"{name}.")
    return out


def validate_config(config: dict) -> dict:
    """Raise a RecipeError listing every bad setting (nothing is run); return ``config``."""
    bad = problems(config)
    if bad:
        raise RecipeError("Invalid build settings (fix the profile, the recipe or the --set value):\n  "
                          + "\n  ".join(bad))
    return config


def describe_settings() -> list[tuple[str, str, str]]:
    """``(key, what it accepts, help)`` for every global setting and every stage section."""
    from langzoo.recipes.stages.descriptor import config_classes

    rows = BuildSettings.describe()
    for name, cls in config_classes().items():
        rows += cls.describe(f"{name}.")
    return rows
