"""Several training processes on one machine: ``accelerate launch`` / ``torchrun``.

Both launchers start N copies of ``zoo build`` with ``RANK``, ``WORLD_SIZE``,
``LOCAL_RANK`` and ``MASTER_ADDR``/``MASTER_PORT`` set; this module turns that into
data-parallel training without changing the stages:

- every process trains the same adapter on its own slice of each global batch
  (:func:`langzoo.recipes.training.index_batches`), so ``batch_size`` is per process
  and one step sees ``batch_size × world`` examples;
- after ``backward`` the trainable gradients are averaged across processes, so every
  copy takes the same optimizer step (the weights are broadcast from rank 0 once at
  the start, so they stay identical);
- evaluation runs everywhere, but rank 0's number decides early stopping and the
  kept checkpoint, so all processes stop together;
- only rank 0 writes: stage folders, the pack, the registry. Stages that do not train
  (tokenizer, FOCUS) run on rank 0 alone while the others wait.

The process group is plain ``torch.distributed`` (NCCL on CUDA, gloo on CPU), which
is what ``accelerate launch --multi_gpu`` sets up the environment for. One machine
only: the processes share the build folder.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime
import logging
import os
import sys
from dataclasses import dataclass

import torch
import torch.distributed as dist


@dataclass(frozen=True)
class World:
    rank: int = 0
    size: int = 1
    local_rank: int = 0

    @property
    def is_main(self) -> bool:
        return self.rank == 0

    @property
    def active(self) -> bool:
        return self.size > 1


_WORLD: World | None = None
# The other processes wait at a barrier while rank 0 alone runs FOCUS (hours with the
# paper profile's 10M sentences), far beyond torch's default 10-30 min collective timeout.
TIMEOUT_ENV = "LANGZOO_DIST_TIMEOUT"  # seconds
DEFAULT_TIMEOUT_S = 12 * 3600


def world() -> World:
    """The current process's place in the launch, joining the process group on first use."""
    global _WORLD
    if _WORLD is None:
        size = int(os.environ.get("WORLD_SIZE", "1") or 1)
        if size <= 1:
            _WORLD = World()
        else:
            local_rank = int(os.environ.get("LOCAL_RANK", "0"))
            if not dist.is_initialized():
                cuda = torch.cuda.is_available()
                if cuda:
                    torch.cuda.set_device(local_rank)
                timeout = datetime.timedelta(seconds=float(os.environ.get(TIMEOUT_ENV) or DEFAULT_TIMEOUT_S))
                dist.init_process_group("nccl" if cuda else "gloo", timeout=timeout)
                atexit.register(_leave_group)
            _WORLD = World(dist.get_rank(), dist.get_world_size(), local_rank)
    return _WORLD


def _leave_group() -> None:
    # Fallback at exit: a process that exits with its group alive can abort in gloo's
    # teardown ("terminate called without an active exception").
    if dist.is_available() and dist.is_initialized():
        dist.destroy_process_group()


def finish() -> None:
    """End a successful launch: wait until every process is done, then leave the group.
    Only on success: after an error the others may be inside a collective, and a barrier
    would pair with it."""
    if world().active:
        dist.barrier()
        dist.destroy_process_group()


def exit_if_launched(code: int) -> int:
    """``code`` in a plain process; in a launched one, end the process now with ``code``.

    Why: after a finished launch, gloo's threads can still abort the interpreter's teardown
    ("terminate called without an active exception", SIGABRT), so a build that completed
    and wrote everything exits non-zero.  Seen once in CI (tests/recipes/test_distributed.py)
    after :func:`finish` had left the group; 30 reruns under load did not repeat it.
    ``os._exit`` skips that teardown; Python's streams and logging are flushed first, and
    the work's files are closed by then.  Call it last, after :func:`finish`.
    """
    if _WORLD is None or not _WORLD.active:
        return code
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)


def barrier() -> None:
    if world().active:
        dist.barrier()


def broadcast(value):
    """Rank 0's ``value`` (any picklable object) on every process."""
    if not world().active:
        return value
    box = [value if world().is_main else None]
    dist.broadcast_object_list(box, src=0)
    return box[0]


@contextlib.contextmanager
def main_first():
    """Rank 0 runs the block first (it may fill caches: base, data); the others run it
    after, when what they read is in place."""
    if world().is_main:
        yield
        barrier()
    else:
        barrier()
        yield


def sync_parameters(params: list[torch.nn.Parameter]) -> None:
    """Copy rank 0's values of ``params`` to every process."""
    if not world().active:
        return
    with torch.no_grad():
        for p in params:
            dist.broadcast(p.data, src=0)


def average_gradients(params: list[torch.nn.Parameter]) -> None:
    """Replace each gradient with its mean over the processes (one flat all-reduce)."""
    if not world().active:
        return
    grads = [p.grad if p.grad is not None else torch.zeros_like(p) for p in params]
    flat = torch.cat([g.reshape(-1).float() for g in grads])
    dist.all_reduce(flat)
    flat /= world().size
    offset = 0
    for p, g in zip(params, grads):
        n = g.numel()
        p.grad = flat[offset:offset + n].view_as(g).to(g.dtype)
        offset += n


def reset_for_tests() -> None:
    """Forget the cached world (tests that fake the launcher's environment)."""
    global _WORLD
    _WORLD = None
