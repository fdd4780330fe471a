"""A small, plain-torch training loop shared by the stages.

Plain loops keep the stages simple and their caching exact (a stage is the unit of
resumption). bf16 autocast on GPU; tqdm progress with ETA; optional periodic dev
evaluation with early stopping that restores the best trainable weights.
Under ``accelerate launch`` / ``torchrun`` the same loop trains data-parallel
(``distributed.py``): each process takes its slice of every batch and gradients are
averaged before the step.
"""

from __future__ import annotations

import contextlib
import math
import random
from dataclasses import dataclass, field
from typing import Callable

import torch
from tqdm.auto import tqdm

from langzoo.recipes import distributed

# Test hook: a callable(stage_name, step) that may raise to simulate an interruption.
INTERRUPT_HOOK: Callable[[str, int], None] | None = None


def pick_device(spec: str = "auto") -> torch.device:
    if spec in (None, "auto"):
        if not torch.cuda.is_available():
            return torch.device("cpu")
        return torch.device("cuda", distributed.world().local_rank)  # one GPU per launched process
    return torch.device(spec)


def autocast(device: torch.device, bf16: bool):
    if bf16 and device.type == "cuda":
        return torch.autocast("cuda", dtype=torch.bfloat16)
    return contextlib.nullcontext()


def seed_everything(seed: int) -> None:
    random.seed(seed)
    torch.manual_seed(seed)


def index_batches(n: int, batch_size: int, seed: int):
    """Endless shuffled batches of indices (reshuffled every epoch).

    With several processes every one draws the same global batch of
    ``batch_size × world`` indices and keeps its own disjoint slice of it."""
    if n <= 0:
        raise ValueError("cannot batch an empty dataset")
    w = distributed.world()
    if n < w.size:
        raise ValueError(f"{n} training items cannot be split over {w.size} processes")
    rng = random.Random(seed)
    batch_size = max(w.size, min(batch_size * w.size, n))
    while True:
        order = list(range(n))
        rng.shuffle(order)
        for i in range(0, n - batch_size + 1, batch_size):
            yield order[i:i + batch_size][w.rank::w.size]


def steps_for(cfg: dict, n_items: int) -> int:
    """``steps`` when set (>0), else ``epochs`` passes over ``n_items``."""
    if int(cfg.get("steps") or 0) > 0:
        return int(cfg["steps"])
    epochs = float(cfg.get("epochs") or 1)
    per_step = max(1, int(cfg["batch_size"])) * distributed.world().size  # every process takes a batch
    return max(1, math.ceil(epochs * n_items / per_step))


@dataclass
class LoopResult:
    steps: int
    final_loss: float
    losses: list[float] = field(default_factory=list)
    evals: list[tuple[int, float]] = field(default_factory=list)
    best_step: int | None = None
    best_metric: float | None = None
    stopped_early: bool = False

    def summary(self) -> dict:
        out = {"steps": self.steps, "final_loss": round(self.final_loss, 5)}
        if self.evals:
            out.update({"dev_curve": [[s, round(m, 5)] for s, m in self.evals], "best_step": self.best_step,
                        "best_dev": round(self.best_metric, 5), "stopped_early": self.stopped_early})
        return out


def train_loop(*, stage: str, params: list[torch.nn.Parameter], loss_fn: Callable[[int], torch.Tensor],
               steps: int, lr: float, warmup: float = 0.0, weight_decay: float = 0.0,
               eval_fn: Callable[[], float] | None = None, eval_every: int = 0, patience: int = 0,
               modules_train: list[torch.nn.Module] = (), max_grad_norm: float = 1.0) -> LoopResult:
    """Run ``steps`` AdamW steps of ``loss_fn(step)`` (linear warm-up then decay).

    ``eval_fn`` returns a dev metric where higher is better; with ``eval_every`` it is
    measured periodically, the best trainable weights are kept and restored at the end,
    and with ``patience`` > 0 training stops after that many evaluations without gain.
    """
    params = [p for p in params if p.requires_grad]
    if not params:
        raise RuntimeError(f"stage {stage}: nothing to train")
    w = distributed.world()
    if w.active:
        distributed.sync_parameters(params)  # identical start, so averaged steps keep them identical
        torch.manual_seed(torch.initial_seed() + w.rank)  # but different dropout masks per process
        raw_eval = eval_fn
        eval_fn = None if raw_eval is None else (lambda: distributed.broadcast(raw_eval()))  # rank 0 decides
    opt = torch.optim.AdamW(params, lr=lr, weight_decay=weight_decay)
    n_warm = int(warmup * steps)

    def schedule(step):
        if step < n_warm:
            return (step + 1) / max(1, n_warm)
        return max(0.0, (steps - step) / max(1, steps - n_warm))

    sched = torch.optim.lr_scheduler.LambdaLR(opt, schedule)
    result = LoopResult(steps=0, final_loss=float("nan"))
    best_state = None
    use_eval = eval_fn is not None and eval_every > 0
    if use_eval:
        result.best_metric, result.best_step = eval_fn(), 0
        result.evals.append((0, result.best_metric))
        best_state = [p.detach().clone() for p in params]
    bad = 0
    ema = None
    bar = tqdm(range(steps), desc=stage, dynamic_ncols=True, mininterval=1.0, disable=not w.is_main)
    for step in bar:
        for m in modules_train:
            m.train()
        if INTERRUPT_HOOK is not None:
            INTERRUPT_HOOK(stage, step)
        loss = loss_fn(step)
        if not torch.isfinite(loss):
            raise FloatingPointError(f"stage {stage}: loss became {loss.item()} at step {step}")
        opt.zero_grad(set_to_none=True)
        loss.backward()
        distributed.average_gradients(params)
        torch.nn.utils.clip_grad_norm_(params, max_grad_norm)
        opt.step()
        sched.step()
        value = float(loss.detach())
        result.losses.append(value)
        ema = value if ema is None else 0.9 * ema + 0.1 * value
        bar.set_postfix(loss=f"{ema:.4f}")
        result.steps = step + 1
        # the last step is measured too: otherwise the steps after the last multiple of
        # eval_every (all of them when steps < eval_every) would be trained and thrown away
        if use_eval and ((step + 1) % eval_every == 0 or step + 1 == steps):
            metric = eval_fn()
            result.evals.append((step + 1, metric))
            if metric > result.best_metric:
                result.best_metric, result.best_step, bad = metric, step + 1, 0
                best_state = [p.detach().clone() for p in params]
            else:
                bad += 1
                if patience and bad >= patience:
                    result.stopped_early = True
                    break
    bar.close()
    for m in modules_train:
        m.eval()
    if use_eval and best_state is not None:
        with torch.no_grad():
            for p, saved in zip(params, best_state):
                p.copy_(saved)
    result.final_loss = ema if ema is not None else float("nan")
    return result
