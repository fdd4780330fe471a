"""Data-parallel training under a launcher (torchrun here; `accelerate launch --multi_gpu`
sets up the same environment): two CPU processes on gloo."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from conftest import TINY

from langzoo.recipes import distributed, training

# One training run of a small dropout-free model: 2 processes x batch 4 must take
# the same steps as 1 process x batch 8 on the same global batches.
LOOP = r'''
import json, sys, torch
from langzoo.recipes import distributed, training

batch, out = int(sys.argv[1]), sys.argv[2]
torch.manual_seed(0)
x, y = torch.randn(40, 6), torch.randn(40, 1)
model = torch.nn.Sequential(torch.nn.Linear(6, 5), torch.nn.Tanh(), torch.nn.Linear(5, 1))
w = distributed.world()
if w.rank:  # a different start on rank 1: the loop must take rank 0's weights
    torch.nn.init.normal_(model[0].weight)
batches = training.index_batches(40, batch, seed=7)
evals = iter([0.1, 0.5, 0.3, 0.2] if w.rank == 0 else [0.9, 0.1, 0.8, 0.7])

def loss_fn(step):
    idx = next(batches)
    return torch.nn.functional.mse_loss(model(x[idx]), y[idx])

res = training.train_loop(stage="toy", params=list(model.parameters()), loss_fn=loss_fn, steps=9, lr=0.05,
                          warmup=0.2, eval_fn=lambda: next(evals), eval_every=3)
with open(f"{out}.{w.rank}.json", "w") as fh:
    json.dump({"rank": w.rank, "size": w.size, "best_step": res.best_step,
               "params": [p.detach().flatten().tolist() for p in model.parameters()],
               "steps": training.steps_for({"epochs": 1, "batch_size": batch}, 40)}, fh)
distributed.finish()
sys.exit(distributed.exit_if_launched(0))
'''


def _launch(nproc: int, args: list[str], env: dict, timeout: int = 300) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", f"--nproc_per_node={nproc}", *args]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)


def _env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("RANK", "WORLD_SIZE", "LOCAL_RANK")}
    env.update({"OMP_NUM_THREADS": "1", "PYTHONPATH": str(Path(__file__).resolve().parents[2]), **extra})
    return env


def test_two_processes_take_the_steps_of_one_process_on_the_whole_batch(tmp_path):
    script = tmp_path / "loop.py"
    script.write_text(LOOP)
    run = _launch(2, [str(script), "4", str(tmp_path / "two")], _env())
    assert run.returncode == 0, run.stderr[-3000:]
    single = subprocess.run([sys.executable, str(script), "8", str(tmp_path / "one")], env=_env(),
                            capture_output=True, text=True, timeout=120)
    assert single.returncode == 0, single.stderr[-3000:]
    r0, r1 = (json.loads((tmp_path / f"two.{r}.json").read_text()) for r in (0, 1))
    one = json.loads((tmp_path / "one.0.json").read_text())
    assert (r0["size"], r1["size"], one["size"]) == (2, 2, 1)
    assert r0["params"] == r1["params"]  # averaged gradients keep the copies identical
    for a, b in zip(r0["params"], one["params"]):
        assert torch.allclose(torch.tensor(a), torch.tensor(b), atol=1e-5)
    # rank 0's dev metric decides for everyone (rank 1 alone would have kept step 0)
    assert r0["best_step"] == r1["best_step"] == 3
    assert r0["steps"] == 5 and one["steps"] == 5  # one epoch: 40 items / (4 x 2) per step


def test_one_process_is_not_a_launch(monkeypatch):
    monkeypatch.delenv("WORLD_SIZE", raising=False)
    distributed.reset_for_tests()
    try:
        w = distributed.world()
        assert (w.rank, w.size, w.is_main, w.active) == (0, 1, True, False)
        assert distributed.broadcast({"a": 1}) == {"a": 1}
        assert distributed.exit_if_launched(3) == 3  # a plain process goes on
        batches = training.index_batches(10, 4, seed=1)
        assert len(next(batches)) == 4
    finally:
        distributed.reset_for_tests()


def test_too_few_items_for_the_processes_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(distributed, "_WORLD", distributed.World(rank=1, size=3))
    with pytest.raises(ValueError, match="2 training items cannot be split over 3 processes"):
        next(training.index_batches(2, 4, seed=1))
    slices = [next(training.index_batches(9, 2, seed=5)) for _ in range(1)]
    assert len(slices[0]) == 2  # rank 1's slice of a global batch of 6
    monkeypatch.setattr(distributed, "_WORLD", None)


def test_zoo_build_under_accelerate_launch_builds_one_pack(tiny_base, recipe_file, tmp_path):
    """`accelerate launch --multi_gpu --num_processes 2 -m langzoo.cli build` (gloo on CPU): both processes train, rank 0 alone
    writes the stages, the pack and the registry entry; the scratch copies are gone."""
    home, scratch, out = tmp_path / "home", tmp_path / "scratch", tmp_path / "pack"
    scratch.mkdir()
    sets = [a for s in TINY for a in ("--set", s)]
    cmd = [sys.executable, "-m", "accelerate.commands.launch", "--multi_gpu", "--num_processes", "2",
           "-m", "langzoo.cli", "build", "--lang", "uz", "--base", str(tiny_base), "--recipe", str(recipe_file),
           "--out", str(out), *sets]
    env = _env(LANGZOO_HOME=str(home), TMPDIR=str(scratch), COLUMNS="200")  # no wrapping in the summary table
    run = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-4000:]
    info = json.loads((out / "pack.json").read_text())
    assert info["build"]["processes"] == 2
    stages = {p.name.split("-")[0]: json.loads((p / "stage.json").read_text())
              for p in (home / "builds").rglob("*") if (p / "stage.json").is_file() and "uzn_Latn" in str(p)}
    assert {s for s, i in stages.items() if i.get("processes") == 2} == {"la", "se", "cla"}
    assert "processes" not in stages["focus"]
    assert not list(scratch.glob("langzoo-rank*"))  # rank 1's throwaway stage folders were removed
    assert len(list((home / "registry").rglob("pack.json"))) == 2  # uz and its English pivot, once each
    assert run.stdout.count("pack folder:") == 1 and "× 2 processes" in run.stdout  # one summary, from rank 0
