import os
import sys
from pathlib import Path

import pytest

# Keep every test away from the user's caches and from the network.
_HOME = Path(os.environ.get("LANGZOO_TEST_HOME", "/tmp/langzoo-test-home"))
os.environ["LANGZOO_HOME"] = str(_HOME)
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
sys.path.insert(0, str(Path(__file__).parent))  # for `tests/tiny.py`

import torch  # noqa: E402

# OMP_NUM_THREADS wins so parallel test runs on a small machine can take one core each.
torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS") or max(1, min(2, os.cpu_count() or 1))))


@pytest.fixture(scope="session")
def tiny_base(tmp_path_factory):
    from tiny import make_tiny_base

    return make_tiny_base(tmp_path_factory.mktemp("tiny") / "base")


@pytest.fixture(scope="session")
def tiny_packs(tiny_base, tmp_path_factory):
    """uz and kk packs of different vocabulary sizes, and an English se-only pack."""
    from tiny import make_pack

    root = tmp_path_factory.mktemp("packs")
    return {
        "uz": make_pack(tiny_base, "uz", root / "uz", vocab_size=120, seed=1),
        "kk": make_pack(tiny_base, "kk", root / "kk", vocab_size=90, seed=2),
        "en": make_pack(tiny_base, "en", root / "en", seed=3, kinds=("se",)),
    }
