"""Settings shared by several stages (LoRA, training loop, distillation weights) and the
global build settings (seed, device, ...). Each stage's own config class lives in its
stage file (``langzoo/recipes/stages/<stage>.py``) and builds on these."""

from __future__ import annotations

from dataclasses import dataclass

from langzoo.recipes.settings import Settings, boolean, device, integer, one_of, real, setting, str_list


@dataclass
class LoraSettings(Settings):
    r: int | None = setting("LoRA rank", integer(1))
    alpha: float | None = setting("LoRA scaling alpha", real(0, above=True))
    dropout: float | None = setting("dropout on the LoRA input", real(0, 1))
    targets: list[str] | None = setting("module names LoRA wraps, e.g. [query,key,value]", str_list)


@dataclass
class TrainingSettings(Settings):
    """The training loop every training stage (la, se, cla, english_se) shares."""

    steps: int | None = setting("optimizer steps (se, cla: 0 = use epochs instead)", integer(0))
    batch_size: int | None = setting("items per batch (per process)", integer(1))
    lr: float | None = setting("peak learning rate (AdamW)", real(0))
    warmup: float | None = setting("share of the steps with a linear learning-rate warm-up", real(0, 1))
    eval_every: int | None = setting("steps between dev checkpoints (0: only at the end)", integer(0))
    patience: int | None = setting("refused checkpoints in a row before stopping early (0: never stop)", integer(0))


@dataclass
class PairTrainingSettings(TrainingSettings):
    """Training on sentence pairs (se, cla): epochs and the contrastive losses' scale."""

    epochs: float | None = setting("passes over the training pairs when steps is 0", real(0))
    scale: float | None = setting("similarity scale (inverse temperature) of the contrastive losses", real(0, above=True))


@dataclass
class StructureWeights(Settings):
    """Loss weights of every ``distill`` objective (``langzoo.recipes.losses.distillation``)."""

    structure_weight: float | None = setting("keep the in-batch L-L similarity structure close to the reference's", real(0))
    en_structure_weight: float | None = setting("pull L-L similarities toward the English-English ones of the translations", real(0))
    cross_weight: float | None = setting("keep cosines to the other sentences' English vectors at the English-English level "
                                         "(language bias)", real(0))
    contrastive_weight: float | None = setting("in-batch contrastive term against the English targets", real(0))


@dataclass
class DistillWeights(StructureWeights):
    """SE's ``distill`` weights: also the pulls toward the base's vectors (CLA fixes these)."""

    en_weight: float | None = setting("pull an L sentence's vector toward the base's vector of its English translation", real(0))
    l_weight: float | None = setting("pull it toward the base's vector of the L sentence itself (English: always 0)", real(0))


@dataclass
class RealDevSettings(Settings):
    """Tolerances of the real-sentence guard (``data.real_dev``, recipes/real_dev.py)."""

    ranking_tolerance: float | None = setting("similarity ranking a kept checkpoint may lose on real sentences vs step 0", real(0))
    error_tolerance: float | None = setting("bitext error a kept checkpoint may add on real sentences vs step 0", real(0))
    offset_tolerance: float | None = setting("cross-lingual offset a kept checkpoint may add on real sentences vs step 0", real(0))
    max_seq_length: int | None = setting("tokens per real sentence when measuring (whole sentences)", integer(4))


@dataclass
class BuildSettings(Settings):
    """The global settings of a build config (outside the stage sections)."""

    seed: int | None = setting("random seed of splits, batches and initialisation", integer(0))
    device: str | None = setting("where to train: auto (cuda when available), cpu, cuda, cuda:N, mps", device)
    bf16: bool | None = setting("bf16 autocast on GPU (ignored on CPU)", boolean)
    dev_size: int | None = setting("held-out translation pairs measuring every stage", integer(0))
    test_size: int | None = setting("held-out translation pairs for the final test", integer(0))
    # room for [CLS], [SEP] and a prefix token or two
    max_seq_length: int | None = setting("tokens per training sentence", integer(4))
    real_dev: RealDevSettings | None = setting("the real-sentence guard's tolerances", section_of=RealDevSettings)


def objective(*choices: str):
    """The ``objective`` field of a stage config."""
    return setting(f"training objective: {', '.join(choices)}", one_of(*choices))
