"""Stage descriptors and their registry: what the runner knows about a stage.

Each stage file (``langzoo/recipes/stages/<stage>.py``) ends with
``STAGE = register_stage(Stage(...))``: its name, the stages it stacks on, the data
inputs its cache key covers, the module kinds it produces, its typed config class and
its ``run(ctx, out) -> dict``. The runner, the config validation and
``zoo build --list-settings`` look stages up here instead of keeping tables of their own.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from langzoo.recipes.settings import Settings
    from langzoo.recipes.stages.context import StageContext

# The stages langzoo ships, in build order (each module registers itself on import).
BUILTIN = ("tokenizer", "focus", "la", "se", "cla")


@dataclass(frozen=True)
class Stage:
    name: str
    help: str
    run: Callable[[StageContext, Path], dict]
    config: type[Settings]  # the dataclass of its config section
    parents: tuple[str, ...] = ()  # stages whose results it builds on
    reads: tuple[str, ...] = ()  # the Splits inputs it reads (its cache key covers exactly these)
    produces: tuple[str, ...] = ()  # module kinds its folder holds for the pack
    trains: bool = False  # every launched process runs it (data-parallel); otherwise rank 0 alone
    guarded: bool = False  # its choices read the real_dev tolerances
    sections: tuple[str, ...] = ()  # further config sections read with the same config class (english_se)

    @property
    def config_sections(self) -> tuple[str, ...]:
        return (self.name, *self.sections)


STAGES: dict[str, Stage] = {}


def register_stage(stage: Stage) -> Stage:
    """Add a stage to the registry (a recipe's ``stages:`` list can then name it)."""
    if stage.name in STAGES and STAGES[stage.name] is not stage:
        raise ValueError(f"stage {stage.name!r} is already registered")
    STAGES[stage.name] = stage
    return stage


def all_stages() -> dict[str, Stage]:
    """Every registered stage by name (the shipped ones first, in build order)."""
    for name in BUILTIN:
        importlib.import_module(f"langzoo.recipes.stages.{name}")
    return STAGES


def get_stage(name: str) -> Stage:
    stages = all_stages()
    if name not in stages:
        from langzoo.recipes.errors import RecipeError

        raise RecipeError(f"unknown stage {name!r} (known: {', '.join(stages)})")
    return stages[name]


def config_classes() -> dict[str, type[Settings]]:
    """Config section name -> its settings class (``english_se`` reads the ``se`` class)."""
    return {section: stage.config for stage in all_stages().values() for section in stage.config_sections}
