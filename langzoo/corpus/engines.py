"""The two engines that run a plan: ``local`` (this process, one `Zoo`) and ``ray``
(Ray Data ``map_batches`` over the pending shards with an actor pool, one `Zoo` per
actor; each actor writes the shards it encodes, so no vectors pass through the
driver)."""

from __future__ import annotations

import os
import time
from dataclasses import asdict
from pathlib import Path

from tqdm.auto import tqdm

from langzoo.corpus.output import is_done
from langzoo.corpus.plan import Job, ShardSpec, encode_shard


def pending_shards(plan: list[ShardSpec], job: Job) -> list[ShardSpec]:
    return [s for s in plan if not is_done(Path(job.out), s.index, job.fmt)]


def _bar(plan: list[ShardSpec], todo: list[ShardSpec]):
    total = sum(s.count for s in plan)
    done = total - sum(s.count for s in todo)
    return tqdm(total=total, initial=done, unit="text", unit_scale=True, desc="Encoding", smoothing=0.1)


def run_local(plan: list[ShardSpec], job: Job, zoo_options: dict) -> int:
    """Encode the pending shards here; returns how many shards were encoded."""
    from langzoo.runtime.zoo import Zoo

    todo = pending_shards(plan, job)
    if not todo:
        return 0
    zoo = Zoo.load(**zoo_options)
    with _bar(plan, todo) as bar:
        for spec in todo:
            bar.update(encode_shard(zoo, spec, job))
    return len(todo)


class ShardEncoder:
    """A Ray Data actor: loads one `Zoo`, then encodes and writes the shards it is given."""

    def __init__(self, zoo_options: dict, job: dict, threads: int | None = None):
        import torch

        from langzoo.runtime.zoo import Zoo

        if threads:
            torch.set_num_threads(threads)
        self.job = Job.from_dict(job)
        self.zoo = Zoo.load(**zoo_options)

    def __call__(self, batch: dict) -> dict:
        counts, seconds = [], []
        for i in range(len(batch["index"])):
            fields = {k: _plain(batch[k][i]) for k in ShardSpec.__dataclass_fields__}
            spec = ShardSpec(**{**fields, "offset": None if fields["offset"] < 0 else fields["offset"]})
            started = time.perf_counter()
            counts.append(encode_shard(self.zoo, spec, self.job))
            seconds.append(time.perf_counter() - started)
        return {"index": batch["index"], "count": counts, "seconds": seconds}


def _plain(value):
    """numpy scalars from a Ray batch back to Python values."""
    return value.item() if hasattr(value, "item") else value


def run_ray(plan: list[ShardSpec], job: Job, zoo_options: dict, *, num_actors: int = 2,
            cpus_per_actor: float = 1.0, gpus_per_actor: float = 0.0) -> int:
    """Encode the pending shards on Ray (the running cluster, ``RAY_ADDRESS``, or a local one)."""
    todo = pending_shards(plan, job)
    try:
        import ray
        import ray.data  # noqa: F401
    except ModuleNotFoundError:
        from langzoo.errors import LangzooError

        raise LangzooError("`zoo encode --engine ray` needs Ray Data: pip install 'langzoo[ray]'") from None
    if not todo:
        return 0
    if not ray.is_initialized():
        ray.init(address=os.environ.get("RAY_ADDRESS"), log_to_driver=False)
    if gpus_per_actor and "device" not in zoo_options:
        zoo_options = {**zoo_options, "device": "cuda"}
    # Ray's tabular blocks cannot mix ints and None in one column: -1 stands for "no offset".
    items = [{**asdict(s), "offset": -1 if s.offset is None else s.offset} for s in todo]
    ds = ray.data.from_items(items, override_num_blocks=min(len(items), max(1, num_actors * 4)))
    threads = max(1, int(cpus_per_actor)) if cpus_per_actor >= 1 else 1
    ds = ds.map_batches(ShardEncoder, batch_size=1, compute=ray.data.ActorPoolStrategy(size=num_actors),
                        fn_constructor_kwargs={"zoo_options": zoo_options, "job": job.to_dict(), "threads": threads},
                        num_cpus=cpus_per_actor, num_gpus=gpus_per_actor or None)
    with _bar(plan, todo) as bar:
        for row in ds.iter_rows():
            bar.update(int(row["count"]))
    return len(todo)
